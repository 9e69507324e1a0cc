//! `missing-report init DIR`: a starter configuration, commentary file and an editable template folder.

use std::path::Path;

use anyhow::Result;
use missing_report::config::{Config, Overrides, RawConfig};
use missing_report::report::commentary;
use missing_report::{output, starter, Gate};

pub fn run(dir: &Path, template: &str) -> Result<()> {
    // The template's slots, from building it on the bundled example.
    let example =
        Config::resolve(RawConfig::default(), Path::new("."), Overrides { template: Some(template.into()), ..Overrides::default() })?;
    let slots = missing_report::build(&example, Gate::default())?.slots;
    for file in starter::files(dir, template, commentary::starter_file(template, &slots))? {
        output::write_atomically(&file.path, &file.bytes, output::Access::Default)?;
        eprintln!("wrote {}", file.path.display());
    }
    eprintln!(
        "edit {0}/missing-report.yaml (set report.authority and input.files), then run: cd {0} && missing-report build",
        dir.display()
    );
    Ok(())
}
