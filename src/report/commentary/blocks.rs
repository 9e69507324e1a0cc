//! The commentary as data: the blocks and runs a manager's Markdown
//! becomes (what `data.json` holds under `commentary` and what templates
//! walk), the file's slots, and the walks over them the later checks share.

use std::collections::BTreeMap;

use serde::Serialize;

/// A block of commentary, as `data.json` holds it (`kind` says which).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Block {
    Paragraph {
        content: Vec<Inline>,
    },
    /// `###` is depth 1 (a sub-heading of the slot's section), `####` depth 2, and so on.
    Heading {
        depth: u8,
        content: Vec<Inline>,
    },
    List {
        ordered: bool,
        /// The first item's number (1 unless the manager numbered from elsewhere).
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Quote {
        blocks: Vec<Block>,
    },
    Table {
        /// Per column: `left`, `center`, `right` or `auto`.
        align: Vec<&'static str>,
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// An indented or fenced code block, printed as typed.
    Code {
        text: String,
    },
    /// A thematic break (`---`).
    Rule,
}

/// A run inside a block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Inline {
    Text {
        text: String,
        bold: bool,
        italic: bool,
        strike: bool,
        /// Inline code: printed as typed, in the body font.
        code: bool,
        /// The line of the commentary file it starts on.
        #[serde(skip)]
        line: usize,
    },
    Link {
        url: String,
        content: Vec<Inline>,
    },
    /// A hard line break (two spaces or `\` at the end of a line).
    Break,
    Footnote {
        blocks: Vec<Block>,
        #[serde(skip)]
        label: String,
        #[serde(skip)]
        line: usize,
    },
    /// A live figure `{{name}}`: `text` is the figure as the paper prints it.
    Figure {
        name: String,
        text: String,
        #[serde(skip)]
        line: usize,
    },
}

/// One `## slot` section: its id, the line of its heading, its blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotText {
    pub id: String,
    pub line: usize,
    pub blocks: Vec<Block>,
}

/// The commentary file as read: where it came from and its sections in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommentaryFile {
    /// How errors name the file.
    pub path: String,
    pub slots: Vec<SlotText>,
}

/// Commentary as templates receive it: blocks by slot id.
pub type Commentary = BTreeMap<String, Vec<Block>>;

impl CommentaryFile {
    /// The slots that have text, by id (what `data.json` holds).
    pub fn commentary(&self) -> Commentary {
        self.slots.iter().filter(|s| !s.blocks.is_empty()).map(|s| (s.id.clone(), s.blocks.clone())).collect()
    }

    pub fn slot(&self, id: &str) -> Option<&SlotText> {
        self.slots.iter().find(|s| s.id == id)
    }
}

/// The text of inlines without their styling.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Text { text, .. } | Inline::Figure { text, .. } => out.push_str(text),
            Inline::Link { content, .. } => out.push_str(&plain_text(content)),
            Inline::Break => out.push(' '),
            Inline::Footnote { .. } => {}
        }
    }
    out
}

/// Calls `f` on every run of inlines (a paragraph, heading, table cell,
/// link text or footnote) of `blocks`, in reading order; a run's links and
/// footnotes are visited after the run itself.
pub fn visit_runs(blocks: &mut [Block], f: &mut dyn FnMut(&mut Vec<Inline>)) {
    fn run(list: &mut Vec<Inline>, f: &mut dyn FnMut(&mut Vec<Inline>)) {
        f(list);
        for inline in list.iter_mut() {
            match inline {
                Inline::Link { content, .. } => run(content, f),
                Inline::Footnote { blocks, .. } => visit_runs(blocks, f),
                _ => {}
            }
        }
    }
    for block in blocks {
        match block {
            Block::Paragraph { content } | Block::Heading { content, .. } => run(content, f),
            Block::List { items, .. } => items.iter_mut().for_each(|item| visit_runs(item, f)),
            Block::Quote { blocks } => visit_runs(blocks, f),
            Block::Table { header, rows, .. } => {
                header.iter_mut().for_each(|cell| run(cell, f));
                rows.iter_mut().flatten().for_each(|cell| run(cell, f));
            }
            Block::Code { .. } | Block::Rule => {}
        }
    }
}

/// Calls `f` on every inline of `blocks`, in reading order.
pub fn visit_inlines(blocks: &mut [Block], f: &mut dyn FnMut(&mut Inline)) {
    visit_runs(blocks, &mut |run| run.iter_mut().for_each(&mut *f));
}
