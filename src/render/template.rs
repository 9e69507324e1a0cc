//! A template's files: the built-in templates compiled into the binary, or a
//! user's folder over them (same name: the user's wins), with one fixed
//! lookup order. `config` chooses the `TemplateSource`; this loads it.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::assets;

/// Which template a paper is set with.
#[derive(Debug, Clone, PartialEq)]
pub enum TemplateSource {
    BuiltIn(&'static str),
    /// The main file of a user template; every `.typ` file beside it is loaded too.
    File(PathBuf),
}

/// Typst sources and other files of one template.
pub struct Template {
    pub main: String,
    pub sources: Vec<(String, String)>,
    pub files: Vec<(String, Vec<u8>)>,
}

impl Template {
    /// Built-in files, or a user's folder over them (same name: the user's wins).
    pub fn load(source: &TemplateSource) -> Result<Self> {
        let builtins = || assets::TEMPLATE_FILES.iter().map(|(name, text)| (name.to_string(), text.to_string()));
        match source {
            TemplateSource::BuiltIn(name) => Ok(Template { main: format!("{name}.typ"), sources: builtins().collect(), files: Vec::new() }),
            TemplateSource::File(main) => {
                let folder = main.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
                let mut sources: Vec<(String, String)> = Vec::new();
                let mut files = Vec::new();
                let entries = std::fs::read_dir(folder).with_context(|| format!("cannot read template folder {}", folder.display()))?;
                let inside = folder.canonicalize().with_context(|| format!("cannot read template folder {}", folder.display()))?;
                let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
                paths.sort();
                // A symbolic link may point within the folder, never out of it.
                for path in &paths {
                    let target = path.canonicalize().with_context(|| format!("cannot read template file {}", path.display()))?;
                    if !target.starts_with(&inside) {
                        bail!(
                            "the template file {} leads outside the template folder (to {}): a template may use only files in its own folder; copy the file in instead of linking it",
                            path.display(),
                            target.display()
                        );
                    }
                }
                for path in paths {
                    let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
                    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
                    if extension == "typ" {
                        let text =
                            std::fs::read_to_string(&path).with_context(|| format!("cannot read template file {}", path.display()))?;
                        sources.push((name, text));
                    } else if ["png", "jpg", "jpeg", "svg"].contains(&extension.as_str()) {
                        files.push((name, std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?));
                    }
                }
                for (name, text) in builtins() {
                    if !sources.iter().any(|(n, _)| *n == name) {
                        sources.push((name, text));
                    }
                }
                let main = main.file_name().and_then(|n| n.to_str()).context("template file name is not UTF-8")?.to_string();
                Ok(Template { main, sources, files })
            }
        }
    }
}
