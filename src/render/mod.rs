//! Sets the paper: loads a template (`template`) and compiles it with the
//! report's data and charts into PDF bytes (`pdf`). Layout lives in the
//! templates; this module decides only what the compiler may see.

mod pdf;
mod template;

pub use pdf::{render_pdf, Rendered, PLACEHOLDER_LABEL};
pub use template::{Template, TemplateSource};
