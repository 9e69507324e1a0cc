//! Lays out the paper with Typst (through typst-as-lib) and writes PDF bytes.
//! The template sees only in-memory files: its own `.typ` sources (built-in,
//! or a user's folder with the built-ins as fallbacks), `data.json` and the
//! chart SVGs. There is no file-system resolver, so a template cannot read
//! anything else, and the PDF's date comes from the report period, not the clock.

pub mod commentary;
pub mod data;

use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Label, Selector, Smart, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::utils::PicoStr;
use typst_as_lib::TypstEngine;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use crate::assets;
use crate::config::TemplateSource;
use data::ReportData;

/// The label a template's placeholder box carries (`#metadata(slot) <missing-commentary>`),
/// so `--final` can find commentary slots left empty.
pub const PLACEHOLDER_LABEL: &str = "missing-commentary";

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
                let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
                paths.sort();
                for path in paths {
                    let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
                    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
                    if extension == "typ" {
                        let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read template file {}", path.display()))?;
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

/// What `render` produced.
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// Typst warnings (a missing font is only a warning in Typst).
    pub warnings: Vec<String>,
    /// Commentary slots the template showed a placeholder for.
    pub placeholders: Vec<String>,
}

fn file_id(path: &str) -> Result<FileId> {
    let vpath = VirtualPath::new(path).map_err(|e| anyhow!("template file name `{path}` cannot be used: {e:?}"))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// Compiles `template` with `data` and the chart SVGs into PDF bytes.
pub fn render(template: &Template, data: &ReportData, charts: &[(String, String)], date: chrono::NaiveDate) -> Result<Rendered> {
    let json = serde_json::to_vec(data).context("serialising the report data")?;
    let mut sources = Vec::new();
    for (name, text) in &template.sources {
        sources.push(Source::new(file_id(name)?, text.clone()));
    }
    let mut binaries: Vec<(FileId, Bytes)> = vec![(file_id("data.json")?, Bytes::new(json))];
    for (name, svg) in charts {
        binaries.push((file_id(&format!("charts/{name}.svg"))?, Bytes::new(svg.clone().into_bytes())));
    }
    for (name, bytes) in &template.files {
        binaries.push((file_id(name)?, Bytes::new(bytes.clone())));
    }
    let engine = TypstEngine::builder()
        .fonts(assets::FONTS)
        .with_static_source_file_resolver(sources)
        .with_static_file_resolver(binaries)
        .build();
    let main = file_id(&template.main)?;
    let compiled = engine.compile::<_, PagedDocument>(main);
    let warnings: Vec<String> = compiled.warnings.iter().map(describe).collect();
    let document = compiled.output.map_err(|e| match e {
        typst_as_lib::TypstAsLibError::TypstSource(diagnostics) => anyhow!(
            "the template {} did not compile:\n{}",
            template.main,
            diagnostics.iter().filter(|d| d.severity == Severity::Error).map(describe).collect::<Vec<_>>().join("\n")
        ),
        other => anyhow!("the template {} did not compile: {other}", template.main),
    })?;

    let placeholders = placeholders(&document);
    let timestamp = Datetime::from_ymd_hms(date.year_ce().1 as i32, chrono::Datelike::month(&date) as u8, chrono::Datelike::day(&date) as u8, 12, 0, 0)
        .map(Timestamp::new_utc);
    let options = PdfOptions { ident: Smart::Custom("missing-report".into()), timestamp, ..PdfOptions::default() };
    let pdf = typst_pdf::pdf(&document, &options)
        .map_err(|diagnostics| anyhow!("writing the PDF failed:\n{}", diagnostics.iter().map(describe).collect::<Vec<_>>().join("\n")))?;
    if pdf.is_empty() {
        bail!("the template produced an empty PDF");
    }
    Ok(Rendered { pdf, pages: document.pages().len(), warnings, placeholders })
}

use chrono::Datelike as _;

fn placeholders(document: &PagedDocument) -> Vec<String> {
    let Some(label) = Label::new(PicoStr::intern(PLACEHOLDER_LABEL)) else { return Vec::new() };
    let mut slots: Vec<String> = document
        .introspector()
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|content| content.to_packed::<MetadataElem>().map(|m| m.value.clone()))
        .map(|value| match value {
            Value::Str(s) => s.to_string(),
            other => format!("{other:?}"),
        })
        .collect();
    slots.sort();
    slots.dedup();
    slots
}

fn describe(diagnostic: &SourceDiagnostic) -> String {
    let place = diagnostic
        .span
        .id()
        .map(|id| format!("{}: ", id.vpath().get_without_slash()))
        .unwrap_or_default();
    let mut text = format!("{place}{}", diagnostic.message);
    for hint in &diagnostic.hints {
        text.push_str(&format!(" (hint: {})", hint.v));
    }
    text
}
