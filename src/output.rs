//! Writes finished outputs. Each file is written to a temporary name beside
//! its target and renamed into place, so an existing output is only ever
//! replaced by a complete new one.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// One file a command writes: where (relative to its output folder, or a
/// whole path) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<PathBuf>, bytes: Vec<u8>) -> Self {
        OutputFile { path: path.into(), bytes }
    }
}

/// Writes `bytes` to `path` via a temporary file in the same folder.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).with_context(|| format!("cannot create folder {}", folder.display()))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("output");
    let temporary = folder.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, bytes).with_context(|| format!("cannot write {}", temporary.display()))?;
    std::fs::rename(&temporary, path).with_context(|| {
        let _ = std::fs::remove_file(&temporary);
        format!("cannot replace {}", path.display())
    })
}

/// Writes every file under `folder`, in order.
pub fn write_files(folder: &Path, files: &[OutputFile]) -> Result<()> {
    for file in files {
        write_atomically(&folder.join(&file.path), &file.bytes)?;
    }
    Ok(())
}
