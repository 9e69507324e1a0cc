//! The starter folder `init` writes: a configuration pointed at a copied
//! commentary file and the built-in templates, ready to edit.

use std::path::Path;

use anyhow::{bail, Result};

use crate::assets;
use crate::output::OutputFile;

/// The starter files under `dir`; an error if any already exists (init never overwrites).
pub fn files(dir: &Path) -> Result<Vec<OutputFile>> {
    let files: Vec<OutputFile> = std::iter::once(OutputFile::new(dir.join("config.yaml"), starter_config().into_bytes()))
        .chain(std::iter::once(OutputFile::new(dir.join("commentary.md"), assets::EXAMPLE_COMMENTARY.as_bytes().to_vec())))
        .chain(
            assets::TEMPLATE_FILES.iter().map(|(name, text)| OutputFile::new(dir.join("templates").join(name), text.as_bytes().to_vec())),
        )
        .collect();
    if let Some(existing) = files.iter().find(|f| f.path.exists()) {
        bail!("{} already exists; init never overwrites files", existing.path.display());
    }
    Ok(files)
}

/// The default configuration, pointed at the copied commentary file and templates.
fn starter_config() -> String {
    assets::DEFAULT_CONFIG
        .replace("#commentary: commentary.md", "commentary: commentary.md")
        .replace("#template: templates/overview.typ", "template: templates/overview.typ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_config_uses_the_copied_commentary_and_templates() {
        let dir = tempfile::tempdir().unwrap();
        let files = files(dir.path()).unwrap();
        let config = String::from_utf8(files[0].bytes.clone()).unwrap();
        assert!(config.contains("\ncommentary: commentary.md") && config.contains("\ntemplate: templates/overview.typ"), "{config}");
        assert!(files.iter().any(|f| f.path == dir.path().join("templates/components.typ")));
        std::fs::write(dir.path().join("commentary.md"), "mine").unwrap();
        let refused = format!("{:#}", super::files(dir.path()).unwrap_err());
        assert!(refused.contains("commentary.md already exists"), "{refused}");
    }
}
