//! Sets the paper: loads a template (`template`), gathers what the compiler
//! sees (`inputs`), compiles it into PDF bytes (`pdf`), and writes the
//! printed tables as a workbook (`workbook`). Layout lives in the
//! templates; this module decides only what the compiler may see.

mod html;
mod inputs;
mod pdf;
mod template;
mod workbook;

pub use html::{render_html, RenderedHtml};
pub use inputs::CompileInputs;
pub use pdf::{forget_old_layouts, read_fonts, render_pdf, Rendered, PLACEHOLDER_LABEL, TABLE_LABEL};
pub use template::{Template, TemplateSource};
pub use workbook::tables_workbook;
