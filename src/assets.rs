//! Everything the binary carries inside it (default configuration, templates,
//! fonts, example data), so `missing-report build` works from any folder and
//! renders the same on every machine.

/// `config/default.yaml`: every option, commented, with its default value.
pub const DEFAULT_CONFIG: &str = include_str!("../config/default.yaml");

/// `examples/episodes.csv`: synthetic episodes of a fictional authority.
pub const EXAMPLE_EPISODES: &[u8] = include_bytes!("../examples/episodes.csv");
pub const EXAMPLE_EPISODES_NAME: &str = "examples/episodes.csv (bundled example)";

pub const DEFAULT_TEMPLATE: &str = "overview";
pub const TEMPLATE_NAMES: &[&str] = &["overview", "scrutiny", "corporate-parenting"];
/// The regional summary `build --by authority` writes beside the authorities' papers.
pub const REGIONAL_TEMPLATE: &str = "regional";

/// Built-in template files as (file name, source). Every built-in template may
/// import `components.typ`; a user template folder may override any of them.
pub const TEMPLATE_FILES: &[(&str, &str)] = &[
    ("overview.typ", include_str!("../report_templates/overview.typ")),
    ("scrutiny.typ", include_str!("../report_templates/scrutiny.typ")),
    ("corporate-parenting.typ", include_str!("../report_templates/corporate-parenting.typ")),
    ("regional.typ", include_str!("../report_templates/regional.typ")),
    ("components.typ", include_str!("../report_templates/components.typ")),
];

/// The restricted watchlist's layout: built in only, never chosen with `--template`.
pub const WATCHLIST_TEMPLATE: &str = include_str!("../report_templates/watchlist.typ");

/// The sans-serif family the PDF and the charts use (SIL OFL, shipped in assets/fonts).
pub const FONT_FAMILY: &str = "Liberation Sans";
/// The web edition's stylesheet, inlined in report.html.
pub const WEB_STYLESHEET: &str = include_str!("../report_templates/web.css");
pub const FONT_REGULAR: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Regular.ttf");
pub const FONT_BOLD: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Bold.ttf");
pub const FONT_ITALIC: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Italic.ttf");
pub const FONT_BOLD_ITALIC: &[u8] = include_bytes!("../assets/fonts/LiberationSans-BoldItalic.ttf");
pub const FONTS: [&[u8]; 4] = [FONT_REGULAR, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC];
/// The fonts by file name, for a bundle folder.
pub const FONT_FILES: [(&str, &[u8]); 4] = [
    ("LiberationSans-Regular.ttf", FONT_REGULAR),
    ("LiberationSans-Bold.ttf", FONT_BOLD),
    ("LiberationSans-Italic.ttf", FONT_ITALIC),
    ("LiberationSans-BoldItalic.ttf", FONT_BOLD_ITALIC),
];

/// The canonical name of a built-in template, if `name` is one.
pub fn builtin_template(name: &str) -> Option<&'static str> {
    TEMPLATE_NAMES.iter().copied().find(|t| *t == name)
}
