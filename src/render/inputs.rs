//! Everything the Typst compiler sees, by its path in the template's world:
//! the template's `.typ` sources and images, `data.json` and the chart SVGs.
//! `render_pdf` compiles exactly these; `--emit-bundle` writes exactly these
//! (with the fonts) to a folder, so the plain `typst compile` builds the
//! same paper from it.

use anyhow::{Context, Result};

use super::template::Template;
use crate::assets;
use crate::report::ReportData;

pub struct CompileInputs {
    /// The file compiling starts from, e.g. `overview.typ`.
    pub main: String,
    pub sources: Vec<(String, String)>,
    pub binaries: Vec<(String, Vec<u8>)>,
}

impl CompileInputs {
    /// `charts` are (path the template opens, SVG text): `charts/<name>.svg`.
    pub fn new(template: &Template, data: &ReportData, charts: &[(String, &str)]) -> Result<Self> {
        let json = serde_json::to_vec_pretty(data).context("serialising the report data")?;
        let mut binaries = vec![("data.json".to_string(), json)];
        binaries.extend(charts.iter().map(|(path, svg)| (path.clone(), svg.as_bytes().to_vec())));
        binaries.extend(template.files.iter().cloned());
        Ok(CompileInputs { main: template.main.clone(), sources: template.sources.clone(), binaries })
    }

    /// The bundle folder's files: every input, the fonts under `fonts/`, and
    /// a README with the command that builds it.
    pub fn bundle(&self) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = self.sources.iter().map(|(name, text)| (name.clone(), text.as_bytes().to_vec())).collect();
        files.extend(self.binaries.iter().cloned());
        for (name, bytes) in assets::FONT_FILES {
            files.push((format!("fonts/{name}"), bytes.to_vec()));
        }
        files.push(("README.txt".into(), bundle_readme(&self.main).into_bytes()));
        files
    }
}

/// The bundle's README: what it is and the one command that builds it.
fn bundle_readme(main: &str) -> String {
    format!(
        "This folder holds everything missing-report compiles into report.pdf:\n\
         the template ({main} and the files it imports), data.json (every figure,\n\
         already formatted), the charts as SVG, and the fonts.\n\n\
         Build the same paper with the Typst command-line compiler (0.15):\n\n    \
         typst compile --root . --font-path fonts --ignore-system-fonts --pdf-standard ua-1 {main} report.pdf\n\n\
         Edit the .typ files to change the layout; data.json is documented in\n\
         report_templates/README.md of missing-report.\n"
    )
}
