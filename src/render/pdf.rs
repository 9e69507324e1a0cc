//! Compiles a template with the report data into PDF bytes through
//! typst-as-lib. The compiler sees only in-memory files: the template's own
//! `.typ` sources, `data.json` and the chart SVGs. There is no file-system
//! or package resolver, so a template cannot read anything else, and the
//! PDF's date comes from the report period, not the clock.

use anyhow::{anyhow, bail, Context, Result};
use chrono::Datelike;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Label, Selector, Smart, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::utils::PicoStr;
use typst_as_lib::TypstEngine;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use super::template::Template;
use crate::assets;
use crate::report::ReportData;

/// The label a template's placeholder box carries (`#metadata(slot) <missing-commentary>`),
/// so `--final` can find commentary slots left empty.
pub const PLACEHOLDER_LABEL: &str = "missing-commentary";

/// What `render_pdf` produced.
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

/// Compiles `template` with `data` and the chart SVGs, each at the path the
/// template opens it by (`charts/<name>.svg`), into PDF bytes.
pub fn render_pdf(template: &Template, data: &ReportData, charts: &[(String, &str)], date: chrono::NaiveDate) -> Result<Rendered> {
    let json = serde_json::to_vec(data).context("serialising the report data")?;
    let mut sources = Vec::new();
    for (name, text) in &template.sources {
        sources.push(Source::new(file_id(name)?, text.clone()));
    }
    let mut binaries: Vec<(FileId, Bytes)> = vec![(file_id("data.json")?, Bytes::new(json))];
    for (path, svg) in charts {
        binaries.push((file_id(path)?, Bytes::new(svg.as_bytes().to_vec())));
    }
    for (name, bytes) in &template.files {
        binaries.push((file_id(name)?, Bytes::new(bytes.clone())));
    }
    let engine =
        TypstEngine::builder().fonts(assets::FONTS).with_static_source_file_resolver(sources).with_static_file_resolver(binaries).build();
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
    let timestamp = Datetime::from_ymd_hms(date.year_ce().1 as i32, date.month() as u8, date.day() as u8, 12, 0, 0).map(Timestamp::new_utc);
    let options = PdfOptions { ident: Smart::Custom("missing-report".into()), timestamp, ..PdfOptions::default() };
    let pdf = typst_pdf::pdf(&document, &options)
        .map_err(|diagnostics| anyhow!("writing the PDF failed:\n{}", diagnostics.iter().map(describe).collect::<Vec<_>>().join("\n")))?;
    if pdf.is_empty() {
        bail!("the template produced an empty PDF");
    }
    Ok(Rendered { pdf, pages: document.pages().len(), warnings, placeholders })
}

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
    let place = diagnostic.span.id().map(|id| format!("{}: ", id.vpath().get_without_slash())).unwrap_or_default();
    let mut text = format!("{place}{}", diagnostic.message);
    for hint in &diagnostic.hints {
        text.push_str(&format!(" (hint: {})", hint.v));
    }
    text
}
