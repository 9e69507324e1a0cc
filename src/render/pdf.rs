//! Compiles a template with the report data into PDF/UA-1 bytes through
//! typst-as-lib. The compiler sees only in-memory files (`CompileInputs`):
//! the template's own `.typ` sources, `data.json` and the chart SVGs. There is no file-system
//! or package resolver, so a template cannot read anything else, and the
//! PDF's date comes from the report period, not the clock.

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Result};
use chrono::Datelike;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Label, Selector, Smart, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::syntax::DiagSpanKind;
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::Font;
use typst::utils::PicoStr;
use typst_as_lib::TypstEngine;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::inputs::CompileInputs;
use crate::assets;
use crate::report::TemplateSlot;

/// The label a template's placeholder box carries (`#metadata(slot) <missing-commentary>`),
/// so `--final` can find commentary slots left empty.
pub const PLACEHOLDER_LABEL: &str = "missing-commentary";
/// The label every commentary slot carries (`#metadata((slot: id, title: ..,
/// hint: ..)) <commentary-slot>`), filled or not, so the build knows the
/// template's slots.
pub const SLOT_LABEL: &str = "commentary-slot";
/// The label a printed table carries (`#metadata(name) <table-shown>`), so
/// the workbook and CSV files hold exactly the tables the paper prints.
pub const TABLE_LABEL: &str = "table-shown";

/// What `render_pdf` produced.
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// Typst warnings (a missing font is only a warning in Typst).
    pub warnings: Vec<String>,
    /// Commentary slots the template showed a placeholder for.
    pub placeholders: Vec<String>,
    /// Names of the tables the paper prints, in the order it prints them.
    pub tables: Vec<String>,
    /// The commentary slots the template shows, in the order it shows them.
    pub slots: Vec<TemplateSlot>,
    /// Of the time taken: compiling (evaluating and laying out the pages), and writing the PDF.
    pub layout: Duration,
    pub pdf_export: Duration,
}

/// The embedded fonts, read once for the whole run (a regional batch
/// compiles hundreds of papers) and shared by every compile.
static FONTS: LazyLock<Vec<Font>> = LazyLock::new(|| assets::FONTS.iter().flat_map(|data| Font::iter(Bytes::new(*data))).collect());

/// Reads the fonts before the first paper needs them: `build` calls it on
/// a thread of its own while the episodes are read, when a core is free.
pub fn read_fonts() {
    LazyLock::force(&FONTS);
}

fn file_id(path: &str) -> Result<FileId> {
    let vpath = VirtualPath::new(path).map_err(|e| anyhow!("template file name `{path}` cannot be used: {e:?}"))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// Typst keeps what it computed for a paper in case the next compile needs
/// it (templates, fonts, layouts). A one-paper run keeps it all and lets the
/// process's end free it; a run of many papers calls this after each, so
/// what the last few papers used stays and the rest is let go.
pub fn forget_old_layouts() {
    typst::comemo::evict(4);
}

/// Which edition a compile makes: the printed paper, or the web page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Edition {
    Paper,
    Web,
}

/// A compiled document of kind `D` (paged, or HTML) and its warnings, from
/// the in-memory inputs only; an error names each place once.
pub(super) fn compile<D: typst::foundations::Output>(inputs: &CompileInputs, edition: Edition) -> Result<(D, Vec<String>, Vec<Source>)> {
    let mut sources = Vec::new();
    for (name, text) in &inputs.sources {
        sources.push(Source::new(file_id(name)?, text.clone()));
    }
    let mut binaries: Vec<(FileId, Bytes)> = Vec::new();
    for (name, bytes) in &inputs.binaries {
        binaries.push((file_id(name)?, Bytes::new(bytes.clone())));
    }
    let engine = TypstEngine::builder()
        .fonts(FONTS.iter().cloned())
        .with_static_source_file_resolver(sources.clone())
        .with_static_file_resolver(binaries)
        .comemo_evict_max_age(None)
        .build();
    let main = file_id(&inputs.main)?;
    let compiled = match edition {
        Edition::Paper => engine.compile::<_, D>(main),
        // The templates read `sys.inputs.edition` to set the web edition's markup.
        Edition::Web => {
            let mut inputs = typst::foundations::Dict::new();
            inputs.insert("edition".into(), Value::Str("web".into()));
            engine.compile_with_input::<_, _, D>(main, inputs)
        }
    };
    let warnings = describe_all(compiled.warnings.iter(), &sources);
    let document = compiled.output.map_err(|e| match e {
        typst_as_lib::TypstAsLibError::TypstSource(diagnostics) => anyhow!(
            "the template {} did not compile:\n{}",
            inputs.main,
            describe_all(diagnostics.iter().filter(|d| d.severity == Severity::Error), &sources).join("\n")
        ),
        other => anyhow!("the template {} did not compile: {other}", inputs.main),
    })?;
    Ok((document, warnings, sources))
}

/// Compiles the template with its data and charts into PDF/UA-1 bytes.
pub fn render_pdf(inputs: &CompileInputs, date: chrono::NaiveDate) -> Result<Rendered> {
    let started = Instant::now();
    let (document, warnings, sources) = compile::<PagedDocument>(inputs, Edition::Paper)?;

    let layout = started.elapsed();
    let mut placeholders = labelled(&document, PLACEHOLDER_LABEL);
    placeholders.sort();
    placeholders.dedup();
    let mut tables = Vec::new();
    for name in labelled(&document, TABLE_LABEL) {
        if !tables.contains(&name) {
            tables.push(name);
        }
    }
    let slots = template_slots(&document);
    // The template sets the document's date from data.json; this is the fallback.
    let timestamp = Datetime::from_ymd_hms(date.year_ce().1 as i32, date.month() as u8, date.day() as u8, 12, 0, 0).map(Timestamp::new_utc);
    let standards = PdfStandards::new(&[PdfStandard::Ua_1]).map_err(|e| anyhow!("PDF/UA-1: {e:?}"))?;
    let options = PdfOptions { ident: Smart::Custom("missing-report".into()), timestamp, standards, ..PdfOptions::default() };
    let pdf = typst_pdf::pdf(&document, &options)
        .map_err(|diagnostics| anyhow!("writing the PDF (PDF/UA-1) failed:\n{}", describe_all(diagnostics.iter(), &sources).join("\n")))?;
    if pdf.is_empty() {
        bail!("the template produced an empty PDF");
    }
    let pdf_export = started.elapsed() - layout;
    Ok(Rendered { pdf, pages: document.pages().len(), warnings, placeholders, tables, slots, layout, pdf_export })
}

/// The values of every `#metadata(..) <label>` in document order.
fn metadata(document: &PagedDocument, label: &str) -> Vec<Value> {
    let Some(label) = Label::new(PicoStr::intern(label)) else { return Vec::new() };
    document
        .introspector()
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|content| content.to_packed::<MetadataElem>().map(|m| m.value.clone()))
        .collect()
}

/// Each slot once, from its `<commentary-slot>` markers.
fn template_slots(document: &PagedDocument) -> Vec<TemplateSlot> {
    let mut slots: Vec<TemplateSlot> = Vec::new();
    for value in metadata(document, SLOT_LABEL) {
        let Value::Dict(dict) = value else { continue };
        let text = |key: &str| match dict.get(key) {
            Ok(Value::Str(s)) => Some(s.to_string()),
            _ => None,
        };
        let Some(id) = text("slot") else { continue };
        if !slots.iter().any(|s| s.id == id) {
            slots.push(TemplateSlot { id, title: text("title"), hint: text("hint") });
        }
    }
    slots
}

/// The string values of every `#metadata(..) <label>` in document order.
fn labelled(document: &PagedDocument, label: &str) -> Vec<String> {
    metadata(document, label)
        .into_iter()
        .map(|value| match value {
            Value::Str(s) => s.to_string(),
            other => format!("{other:?}"),
        })
        .collect()
}

/// Each diagnostic once (Typst repeats one error for every place it is
/// reached from), described by `describe`.
pub(super) fn describe_all<'a>(diagnostics: impl Iterator<Item = &'a SourceDiagnostic>, sources: &[Source]) -> Vec<String> {
    let mut seen = Vec::new();
    for diagnostic in diagnostics {
        let text = describe(diagnostic, sources);
        if !seen.contains(&text) {
            seen.push(text);
        }
    }
    seen
}

/// `components.typ:12:5: error: expected comma`, then the source line and a
/// caret under the place, as a compiler prints it.
fn describe(diagnostic: &SourceDiagnostic, sources: &[Source]) -> String {
    let severity = if diagnostic.severity == Severity::Error { "error" } else { "warning" };
    let mut text = match locate(diagnostic, sources) {
        Some((file, line, column, source_line)) => {
            let gutter = " ".repeat(line.to_string().len());
            format!(
                "{file}:{line}:{column}: {severity}: {}\n{gutter} |\n{line} | {source_line}\n{gutter} | {}^",
                diagnostic.message,
                " ".repeat(source_line.chars().take(column - 1).count())
            )
        }
        None => format!("{severity}: {}", diagnostic.message),
    };
    // The Typst command's own advice (`--root`) does not apply here; say what does.
    for hint in diagnostic.hints.iter().filter(|hint| !hint.v.contains("--root")) {
        text.push_str(&format!("\n  hint: {}", hint.v));
    }
    let message = diagnostic.message.as_str();
    if message.contains("escape the project root") || message.contains("searched at typst.toml") {
        text.push_str(&format!("\n  hint: {SANDBOX_HINT}"));
    }
    text
}

/// Why a template's reach for another file or a package fails.
const SANDBOX_HINT: &str = "a template sees only the files in its own folder, the report data and the charts: no file outside the folder and no package (`@preview/...`); copy what it needs into the folder";

/// The file, 1-based line and column, and text of the line a diagnostic points at.
fn locate(diagnostic: &SourceDiagnostic, sources: &[Source]) -> Option<(String, usize, usize, String)> {
    let (id, range) = match diagnostic.span.get() {
        DiagSpanKind::Detached => return None,
        DiagSpanKind::Number { id, num, sub_range } => {
            let source = sources.iter().find(|s| s.id() == id)?;
            (id, source.range(num, sub_range)?)
        }
        DiagSpanKind::Range { id, range } => (id, range),
    };
    let source = sources.iter().find(|s| s.id() == id)?;
    let lines = source.lines();
    let (line, column) = lines.byte_to_line_column(range.start)?;
    let line_range = lines.line_to_range(line)?;
    let source_line = source.text()[line_range].trim_end_matches(['\n', '\r']).to_string();
    Some((id.vpath().get_without_slash().to_string(), line + 1, column + 1, source_line))
}
