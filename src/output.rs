//! Writes finished outputs. Each file is written to a temporary name beside
//! its target and renamed into place, so an existing output is only ever
//! replaced by a complete new one.

use std::path::Path;

use anyhow::{Context, Result};

use crate::BuildOutput;

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

/// `DIR/report.pdf`, `DIR/charts/<name>.svg` and `DIR/metrics.csv`.
pub fn write_build(folder: &Path, output: &BuildOutput) -> Result<()> {
    for chart in &output.charts.charts {
        write_atomically(&folder.join("charts").join(format!("{}.svg", chart.name)), chart.svg.as_bytes())?;
    }
    write_atomically(&folder.join("metrics.csv"), &output.metrics_csv)?;
    write_atomically(&folder.join("report.pdf"), &output.pdf)
}
