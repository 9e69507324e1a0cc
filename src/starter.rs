//! The starter folder `init` writes: `missing-report.yaml` (found by
//! `build` in its folder), a commentary file, and `templates/` holding the
//! chosen built-in template as `main.typ` with the shared components, a
//! folder `--template` accepts as it is.

use std::path::Path;

use anyhow::{bail, Result};

use crate::assets;
use crate::output::OutputFile;

/// The starter files under `dir`, with `commentary` as the commentary file;
/// an error if any already exists (init never overwrites).
pub fn files(dir: &Path, template: &str, commentary: String) -> Result<Vec<OutputFile>> {
    let Some(name) = assets::builtin_template(template) else {
        bail!("`{template}` is not a built-in template: choose one of {}", assets::TEMPLATE_NAMES.join(", "));
    };
    let main = format!("{name}.typ");
    let mut files = vec![
        OutputFile::new(dir.join("missing-report.yaml"), starter_config().into_bytes()),
        OutputFile::new(dir.join("commentary.md"), commentary.into_bytes()),
    ];
    for (file, text) in assets::TEMPLATE_FILES {
        if *file == main {
            files.push(OutputFile::new(dir.join("templates").join("main.typ"), text.as_bytes().to_vec()));
        } else if !assets::TEMPLATE_NAMES.iter().chain([&assets::REGIONAL_TEMPLATE]).any(|t| format!("{t}.typ") == *file) {
            files.push(OutputFile::new(dir.join("templates").join(file), text.as_bytes().to_vec()));
        }
    }
    if let Some(existing) = files.iter().find(|f| f.path.exists()) {
        bail!("{} already exists; init never overwrites files", existing.path.display());
    }
    Ok(files)
}

/// The default configuration, pointed at the copied commentary file and template folder.
fn starter_config() -> String {
    assets::DEFAULT_CONFIG
        .replace("#commentary: commentary.md", "commentary: commentary.md")
        .replace("#template: templates", "template: templates")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_config_uses_the_copied_commentary_and_template_folder() {
        let dir = tempfile::tempdir().unwrap();
        let files = files(dir.path(), "scrutiny", "## summary\n".into()).unwrap();
        let config = String::from_utf8(files[0].bytes.clone()).unwrap();
        assert!(files[0].path.ends_with("missing-report.yaml"));
        assert!(config.contains("\ncommentary: commentary.md") && config.contains("\ntemplate: templates\n"), "{config}");
        let main = files.iter().find(|f| f.path == dir.path().join("templates/main.typ")).unwrap();
        assert_eq!(main.bytes, assets::TEMPLATE_FILES.iter().find(|(n, _)| *n == "scrutiny.typ").unwrap().1.as_bytes());
        assert!(files.iter().any(|f| f.path == dir.path().join("templates/components.typ")));
        // Only the chosen paper and the components: no other paper, and not the regional summary.
        let templates: Vec<_> = files.iter().filter(|f| f.path.starts_with(dir.path().join("templates"))).map(|f| f.path.clone()).collect();
        assert_eq!(templates, [dir.path().join("templates/main.typ"), dir.path().join("templates/components.typ")]);
        std::fs::write(dir.path().join("commentary.md"), "mine").unwrap();
        let refused = format!("{:#}", super::files(dir.path(), "scrutiny", String::new()).unwrap_err());
        assert!(refused.contains("commentary.md already exists"), "{refused}");
        let unknown = format!("{:#}", super::files(dir.path(), "fancy", String::new()).unwrap_err());
        assert!(unknown.contains("`fancy` is not a built-in template"), "{unknown}");
    }
}
