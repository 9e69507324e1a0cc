//! `missing-report init DIR`: a starter configuration, commentary file and editable templates.

use std::path::Path;

use anyhow::Result;
use missing_report::{output, starter};

pub fn run(dir: &Path) -> Result<()> {
    for file in starter::files(dir)? {
        output::write_atomically(&file.path, &file.bytes)?;
        eprintln!("wrote {}", file.path.display());
    }
    eprintln!("edit {0}/config.yaml, then run: missing-report build -c {0}/config.yaml", dir.display());
    Ok(())
}
