//! The web edition: the same template compiled by Typst's HTML export from
//! the same `CompileInputs` (so the same sections, tables, figures and
//! words as the PDF, from one report data), then finished as one
//! self-contained page: `lang="en-GB"`, the stylesheet inline, charts
//! inline as images with their alt text.

use anyhow::{anyhow, Result};
use typst_html::{HtmlDocument, HtmlOptions};

use super::inputs::CompileInputs;
use super::pdf::{compile, describe_all, Edition};
use crate::assets;

/// What `render_html` produced.
pub struct RenderedHtml {
    pub html: String,
    /// Typst warnings of the HTML compile (markup the web edition has no place for).
    pub warnings: Vec<String>,
}

/// Compiles the template with its data and charts into one HTML page.
pub fn render_html(inputs: &CompileInputs) -> Result<RenderedHtml> {
    let (document, warnings, sources) = compile::<HtmlDocument>(inputs, Edition::Web)?;
    let html = typst_html::html(&document, &HtmlOptions { pretty: true })
        .map_err(|diagnostics| anyhow!("writing the web edition failed:\n{}", describe_all(diagnostics.iter(), &sources).join("\n")))?;
    Ok(RenderedHtml { html: finish(&html), warnings })
}

/// The page as published: the stylesheet inline in its head, `lang` as en-GB.
fn finish(html: &str) -> String {
    let style = format!("<style>\n{}</style>\n", assets::WEB_STYLESHEET);
    let page = html.replacen("</head>", &format!("{style}</head>"), 1);
    // The language as the paper sets it (English, Great Britain), whatever Typst wrote.
    match (page.find("<html"), page.find("<head")) {
        (Some(start), Some(head)) if start < head => format!("{}<html lang=\"en-GB\">\n  {}", &page[..start], page[head..].trim_start()),
        _ => page,
    }
}
