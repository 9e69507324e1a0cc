//! Where episode files come from and their bytes: a path, or the bundled
//! example compiled into the binary.

use std::path::PathBuf;

use anyhow::{Context, Result};

use super::limits;
use crate::assets;

/// An input the configuration names.
#[derive(Debug, Clone, PartialEq)]
pub enum InputLocation {
    Path(PathBuf),
    /// `examples/episodes.csv`, compiled into the binary.
    BundledExample,
}

impl InputLocation {
    /// The file's path, unless it is the bundled example.
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            InputLocation::Path(path) => Some(path),
            InputLocation::BundledExample => None,
        }
    }
}

/// One input file's name (for messages) and bytes.
pub struct InputFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl InputFile {
    pub fn load(location: &InputLocation) -> Result<Self> {
        match location {
            InputLocation::BundledExample => {
                Ok(InputFile { name: assets::EXAMPLE_EPISODES_NAME.into(), bytes: assets::EXAMPLE_EPISODES.to_vec() })
            }
            InputLocation::Path(path) => {
                let name = path.display().to_string();
                // A row or workbook over its limit stops the read before the rest is held.
                let mut watch = limits::Watch::new(&name);
                let read = crate::bounded::read_watched(path, limits::MAX_FILE_BYTES, |piece| watch.piece(piece))
                    .with_context(|| format!("cannot read input file {name}"))?;
                if let Some(refusal) = watch.refusal() {
                    return Err(refusal);
                }
                let bytes = read.ok_or_else(|| limits::too_large(&name))?;
                Ok(InputFile { name, bytes })
            }
        }
    }

    /// The names of `files`, for messages: `a.csv, b.csv`.
    pub fn names(files: &[InputFile]) -> String {
        files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", ")
    }
}
