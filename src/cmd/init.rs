//! `missing-report init DIR`: a starter configuration, commentary file and an editable template folder.

use std::path::Path;

use anyhow::Result;
use missing_report::{output, starter};

pub fn run(dir: &Path, template: &str) -> Result<()> {
    for file in starter::files(dir, template)? {
        output::write_atomically(&file.path, &file.bytes)?;
        eprintln!("wrote {}", file.path.display());
    }
    eprintln!(
        "edit {0}/missing-report.yaml (set report.authority and input.files), then run: cd {0} && missing-report build",
        dir.display()
    );
    Ok(())
}
