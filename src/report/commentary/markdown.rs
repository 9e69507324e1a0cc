//! Reads the managers' commentary file (CommonMark with the GitHub table,
//! strikethrough and footnote extensions) into structured data: one list of
//! blocks per `## slot` heading. Every construct a paper can print is kept;
//! one it cannot (an image, raw HTML) is an error naming the file and line.
//! The text reaches templates as data, never as Typst source, so nothing a
//! manager types can run as Typst code.

use std::collections::BTreeMap;
use std::iter::Peekable;
use std::ops::Range;

use super::blocks::{plain_text, visit_inlines, Block, CommentaryFile, Inline, SlotText};
use anyhow::{bail, Result};
use pulldown_cmark::{Alignment, Event, HeadingLevel, OffsetIter, Options, Parser, Tag, TagEnd};

/// HTML a printed paper cannot show; any other `<word>` is printed as typed.
const HTML_TAGS: &[&str] = &[
    "a",
    "abbr",
    "audio",
    "b",
    "big",
    "blockquote",
    "br",
    "center",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "figcaption",
    "figure",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "iframe",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "object",
    "ol",
    "p",
    "picture",
    "pre",
    "q",
    "s",
    "script",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "video",
];

#[derive(Clone, Copy, Default)]
struct Style {
    bold: bool,
    italic: bool,
    strike: bool,
}

/// Parses the file's text; `path` names it in errors. Text before the first
/// `##` heading is a note to authors and is not printed. Slot ids are the
/// heading text in lower case with spaces as `_`.
pub fn parse(markdown: &str, path: &str) -> Result<CommentaryFile> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut reader = Reader {
        events: Parser::new_ext(markdown, options).into_offset_iter().peekable(),
        line_starts: std::iter::once(0).chain(markdown.match_indices('\n').map(|(i, _)| i + 1)).collect(),
        path,
        footnotes: BTreeMap::new(),
        depth: 0,
    };
    let mut file = CommentaryFile { path: path.to_string(), slots: Vec::new() };
    // The notes to authors, up to the first slot heading.
    while let Some((event, _)) = reader.events.peek() {
        if matches!(event, Event::Start(Tag::Heading { level: HeadingLevel::H2, .. })) {
            break;
        }
        reader.events.next();
    }
    while let Some((_, range)) = reader.events.next() {
        let line = reader.line(&range);
        let heading = reader.inlines(TagEnd::Heading(HeadingLevel::H2), Style::default())?;
        let id = plain_text(&heading).trim().to_lowercase().split_whitespace().collect::<Vec<_>>().join("_");
        if id.is_empty() {
            bail!("{path}:{line}: a `##` heading with no slot name");
        }
        if let Some(earlier) = file.slot(&id) {
            bail!("{path}:{line}: `## {id}` is also the heading on line {}; write each slot once", earlier.line);
        }
        let blocks = reader.blocks(None)?;
        file.slots.push(SlotText { id, line, blocks });
    }
    reader.attach_footnotes(&mut file)?;
    Ok(file)
}

struct Reader<'a> {
    events: Peekable<OffsetIter<'a>>,
    line_starts: Vec<usize>,
    path: &'a str,
    /// Footnote definitions by label, with their line.
    footnotes: BTreeMap<String, (usize, Vec<Block>)>,
    /// How many containers (quotes, list items, emphasis, links) enclose the event read.
    depth: usize,
}

/// The largest commentary file read: about three hundred pages of prose.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// How deep lists, quotes, emphasis and links may sit inside each other: a
/// printed page shows a few levels, and a file nested thousands deep would
/// otherwise exhaust the stack.
pub const MAX_NESTING: usize = 10;

impl<'a> Reader<'a> {
    /// Runs `read` one container deeper, refusing to go past `MAX_NESTING`.
    fn nested<T>(&mut self, line: usize, read: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if self.depth >= MAX_NESTING {
            bail!(
                "{}:{line}: lists, quotes, emphasis or links sit more than {MAX_NESTING} levels inside each other here, more than a printed page can show; flatten them",
                self.path
            );
        }
        self.depth += 1;
        let read = read(self);
        self.depth -= 1;
        read
    }

    fn line(&self, range: &Range<usize>) -> usize {
        self.line_starts.partition_point(|&start| start <= range.start)
    }

    fn next(&mut self, inside: &str) -> Result<(Event<'a>, Range<usize>)> {
        match self.events.next() {
            Some(event) => Ok(event),
            None => bail!("{}: the file ends inside {inside}", self.path),
        }
    }

    /// Blocks up to `end` (a container's end), or with `None` up to the next
    /// `##` heading or the end of the file. Inline events met directly (the
    /// items of a tight list) form a paragraph.
    fn blocks(&mut self, end: Option<TagEnd>) -> Result<Vec<Block>> {
        let mut blocks = Vec::new();
        let mut loose: Vec<Inline> = Vec::new();
        loop {
            let at_slot_end = match self.events.peek() {
                None => true,
                Some((Event::Start(Tag::Heading { level: HeadingLevel::H2, .. }), _)) => end.is_none(),
                _ => false,
            };
            if at_slot_end {
                if let Some(end) = end {
                    bail!("{}: the file ends inside {end:?}", self.path);
                }
                break;
            }
            let (event, range) = self.next("a block")?;
            let line = self.line(&range);
            if let Event::End(tag) = &event {
                if Some(*tag) == end {
                    break;
                }
            }
            if is_inline(&event) {
                self.inline(event, range, Style::default(), &mut loose)?;
                continue;
            }
            if !loose.is_empty() {
                blocks.push(Block::Paragraph { content: std::mem::take(&mut loose) });
            }
            match event {
                Event::Start(Tag::Paragraph) => {
                    let content = self.inlines(TagEnd::Paragraph, Style::default())?;
                    if !content.is_empty() {
                        blocks.push(Block::Paragraph { content });
                    }
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    let depth = match level {
                        HeadingLevel::H1 | HeadingLevel::H2 => bail!(
                            "{}:{line}: a `#` heading inside a slot ends nothing and cannot be printed; use `###` for a sub-heading, or `##` to start a slot",
                            self.path
                        ),
                        HeadingLevel::H3 => 1,
                        HeadingLevel::H4 => 2,
                        HeadingLevel::H5 => 3,
                        HeadingLevel::H6 => 4,
                    };
                    let content = self.inlines(TagEnd::Heading(level), Style::default())?;
                    blocks.push(Block::Heading { depth, content });
                }
                Event::Start(Tag::BlockQuote(kind)) => {
                    let inner = self.nested(line, |r| r.blocks(Some(TagEnd::BlockQuote(kind))))?;
                    blocks.push(Block::Quote { blocks: inner });
                }
                Event::Start(Tag::CodeBlock(_)) => {
                    let mut text = String::new();
                    loop {
                        match self.next("a code block")?.0 {
                            Event::Text(t) => text.push_str(&t),
                            Event::End(TagEnd::CodeBlock) => break,
                            _ => {}
                        }
                    }
                    blocks.push(Block::Code { text: text.trim_end_matches('\n').to_string() });
                }
                Event::Start(Tag::List(start)) => {
                    let mut items = Vec::new();
                    loop {
                        match self.next("a list")?.0 {
                            Event::Start(Tag::Item) => items.push(self.nested(line, |r| r.blocks(Some(TagEnd::Item)))?),
                            Event::End(TagEnd::List(_)) => break,
                            _ => {}
                        }
                    }
                    blocks.push(Block::List { ordered: start.is_some(), start: start.unwrap_or(1), items });
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let mut inner = self.nested(line, |r| r.blocks(Some(TagEnd::FootnoteDefinition)))?;
                    let mut nested = false;
                    visit_inlines(&mut inner, &mut |inline| nested |= matches!(inline, Inline::Footnote { .. }));
                    if nested {
                        bail!("{}:{line}: the footnote [^{label}] refers to another footnote, which a printed page cannot show; put both notes in one", self.path);
                    }
                    if self.footnotes.insert(label.to_string(), (line, inner)).is_some() {
                        bail!("{}:{line}: the footnote [^{label}] is defined twice", self.path);
                    }
                }
                Event::Start(Tag::Table(align)) => blocks.push(self.table(align)?),
                Event::Rule => blocks.push(Block::Rule),
                Event::Start(Tag::HtmlBlock) | Event::Html(_) => bail!(
                    "{}:{line}: raw HTML cannot be printed in the commentary; write it as Markdown (`**bold**`, `- list`, a `|` table) or as plain words",
                    self.path
                ),
                Event::End(_) => {}
                other => bail!("{}:{line}: the commentary cannot print {other:?}", self.path),
            }
        }
        if !loose.is_empty() {
            blocks.push(Block::Paragraph { content: loose });
        }
        Ok(blocks)
    }

    fn table(&mut self, align: Vec<Alignment>) -> Result<Block> {
        let align = align
            .iter()
            .map(|a| match a {
                Alignment::None => "auto",
                Alignment::Left => "left",
                Alignment::Center => "center",
                Alignment::Right => "right",
            })
            .collect();
        let (mut header, mut rows, mut row) = (Vec::new(), Vec::new(), Vec::new());
        let mut in_head = false;
        loop {
            match self.next("a table")?.0 {
                Event::Start(Tag::TableHead) => in_head = true,
                Event::End(TagEnd::TableHead) => {
                    in_head = false;
                    header = std::mem::take(&mut row);
                }
                Event::Start(Tag::TableCell) => row.push(self.inlines(TagEnd::TableCell, Style::default())?),
                Event::End(TagEnd::TableRow) if !in_head => rows.push(std::mem::take(&mut row)),
                Event::End(TagEnd::Table) => break,
                _ => {}
            }
        }
        Ok(Block::Table { align, header, rows })
    }

    /// Inlines up to `end`.
    fn inlines(&mut self, end: TagEnd, style: Style) -> Result<Vec<Inline>> {
        let mut out = Vec::new();
        loop {
            let (event, range) = self.next("a line of text")?;
            if event == Event::End(end) {
                break;
            }
            if !is_inline(&event) {
                let line = self.line(&range);
                bail!("{}:{line}: the commentary cannot print {event:?} here", self.path);
            }
            self.inline(event, range, style, &mut out)?;
        }
        trim_end(&mut out);
        Ok(out)
    }

    /// One inline event (and, for a container, everything up to its end) into `out`.
    fn inline(&mut self, event: Event<'a>, range: Range<usize>, style: Style, out: &mut Vec<Inline>) -> Result<()> {
        let line = self.line(&range);
        match event {
            Event::Text(text) => push_text(out, &text, style, false, line),
            Event::Code(text) => push_text(out, &text, style, true, line),
            Event::SoftBreak => push_text(out, " ", style, false, line),
            Event::HardBreak => out.push(Inline::Break),
            Event::FootnoteReference(label) => out.push(Inline::Footnote { blocks: Vec::new(), label: label.to_string(), line }),
            Event::InlineHtml(html) => {
                if is_html(&html) {
                    bail!(
                        "{}:{line}: raw HTML `{}` cannot be printed in the commentary; write it as Markdown or as plain words (to show the characters as typed, put a backslash before the `<`)",
                        self.path,
                        html.trim()
                    );
                }
                push_text(out, &html, style, false, line);
            }
            Event::Start(Tag::Strong) => out.extend(self.nested(line, |r| r.inlines(TagEnd::Strong, Style { bold: true, ..style }))?),
            Event::Start(Tag::Emphasis) => out.extend(self.nested(line, |r| r.inlines(TagEnd::Emphasis, Style { italic: true, ..style }))?),
            Event::Start(Tag::Strikethrough) => {
                out.extend(self.nested(line, |r| r.inlines(TagEnd::Strikethrough, Style { strike: true, ..style }))?)
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let content = self.nested(line, |r| r.inlines(TagEnd::Link, style))?;
                out.push(Inline::Link { url: dest_url.to_string(), content });
            }
            Event::Start(Tag::Image { dest_url, .. }) => bail!(
                "{}:{line}: an image (`{dest_url}`) cannot be printed in the commentary; describe it in words, or add it to the template",
                self.path
            ),
            other => bail!("{}:{line}: the commentary cannot print {other:?}", self.path),
        }
        Ok(())
    }

    /// Puts each footnote's text at its reference; a reference without a
    /// definition, or a definition never referred to, is an error.
    fn attach_footnotes(&self, file: &mut CommentaryFile) -> Result<()> {
        let mut used = std::collections::BTreeSet::new();
        let mut undefined = None;
        for slot in &mut file.slots {
            visit_inlines(&mut slot.blocks, &mut |inline| {
                if let Inline::Footnote { blocks, label, line } = inline {
                    match self.footnotes.get(label.as_str()) {
                        Some((_, text)) => {
                            *blocks = text.clone();
                            used.insert(label.clone());
                        }
                        None => {
                            undefined.get_or_insert((label.clone(), *line));
                        }
                    }
                }
                // A mark with no definition anywhere is left as text by the parser.
                if let Inline::Text { text, code: false, line, .. } = inline {
                    if let Some(label) = text.split("[^").nth(1).and_then(|rest| rest.split_once(']')).map(|(label, _)| label) {
                        if !label.is_empty() && !label.contains(char::is_whitespace) {
                            undefined.get_or_insert((label.to_string(), *line));
                        }
                    }
                }
            });
        }
        if let Some((label, line)) = undefined {
            bail!("{}:{line}: the footnote [^{label}] has no text; add a line `[^{label}]: ...`", self.path);
        }
        if let Some((label, (line, _))) = self.footnotes.iter().find(|(label, _)| !used.contains(*label)) {
            bail!(
                "{}:{line}: the footnote [^{label}] is never referred to, so it would not be printed; put [^{label}] where it belongs",
                self.path
            );
        }
        Ok(())
    }
}

fn is_inline(event: &Event) -> bool {
    matches!(
        event,
        Event::Text(_)
            | Event::Code(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::FootnoteReference(_)
            | Event::InlineHtml(_)
            | Event::Start(Tag::Strong | Tag::Emphasis | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. })
    )
}

/// Whether inline HTML is a tag or comment a browser would act on.
fn is_html(html: &str) -> bool {
    let inner = html.trim().trim_start_matches('<').trim_start_matches('/');
    if inner.starts_with("!--") || inner.starts_with('?') || inner.starts_with('!') {
        return true;
    }
    let name: String = inner.chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    HTML_TAGS.contains(&name.as_str())
}

/// Appends text, joining it to the previous run when the style and line match.
fn push_text(out: &mut Vec<Inline>, text: &str, style: Style, code: bool, line: usize) {
    if text.is_empty() {
        return;
    }
    if let Some(Inline::Text { text: last, bold, italic, strike, code: last_code, line: last_line }) = out.last_mut() {
        if (*bold, *italic, *strike, *last_code) == (style.bold, style.italic, style.strike, code) && (*last_line == line || text == " ") {
            last.push_str(text);
            return;
        }
    }
    out.push(Inline::Text { text: text.to_string(), bold: style.bold, italic: style.italic, strike: style.strike, code, line });
}

/// Drops trailing spaces (a soft break before the end of a paragraph).
fn trim_end(out: &mut Vec<Inline>) {
    while let Some(Inline::Text { text, .. }) = out.last_mut() {
        let trimmed = text.trim_end().len();
        text.truncate(trimmed);
        if text.is_empty() {
            out.pop();
        } else {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text { text: s.into(), bold: false, italic: false, strike: false, code: false, line: 0 }
    }

    /// Line numbers aside, to compare shapes.
    fn shape(mut blocks: Vec<Block>) -> Vec<Block> {
        visit_inlines(&mut blocks, &mut |inline| {
            if let Inline::Text { line, .. } | Inline::Figure { line, .. } | Inline::Footnote { line, .. } = inline {
                *line = 0;
            }
        });
        blocks
    }

    #[test]
    fn slots_hold_every_construct_as_data() {
        let markdown = "Notes for the author, ![not](read.png).\n\n## Summary\n\nMore **missing**\nin *June* ~~May~~ `#x`.\n\n### Why\n\n1. one\n   - two #set\n     - three\n2. four\n\n> quoted\n\n| a | b |\n|:--|--:|\n| 1 | $x |\n\nSee [the plan](https://example.org/plan)[^1].  \nNext line.\n\n[^1]: The plan of 2024.\n\n## empty\n";
        let file = parse(markdown, "c.md").unwrap();
        assert_eq!(file.slots.iter().map(|s| (s.id.as_str(), s.line)).collect::<Vec<_>>(), [("summary", 3), ("empty", 26)]);
        assert_eq!(file.commentary().keys().collect::<Vec<_>>(), ["summary"]);
        let blocks = shape(file.slots[0].blocks.clone());
        let styled = |s: &str, bold, italic, strike, code| Inline::Text { text: s.into(), bold, italic, strike, code, line: 0 };
        assert_eq!(
            blocks[0],
            Block::Paragraph {
                content: vec![
                    text("More "),
                    styled("missing", true, false, false, false),
                    text(" "),
                    text("in "),
                    styled("June", false, true, false, false),
                    text(" "),
                    styled("May", false, false, true, false),
                    text(" "),
                    styled("#x", false, false, false, true),
                    text("."),
                ]
            }
        );
        assert_eq!(blocks[1], Block::Heading { depth: 1, content: vec![text("Why")] });
        let Block::List { ordered: true, start: 1, items } = &blocks[2] else { panic!("{:?}", blocks[2]) };
        assert_eq!(items.len(), 2);
        assert_eq!(items[0][0], Block::Paragraph { content: vec![text("one")] });
        let Block::List { ordered: false, items: nested, .. } = &items[0][1] else { panic!("{:?}", items[0]) };
        assert_eq!(nested[0][0], Block::Paragraph { content: vec![text("two #set")] });
        assert!(matches!(&nested[0][1], Block::List { items, .. } if items[0][0] == Block::Paragraph { content: vec![text("three")] }));
        assert_eq!(blocks[3], Block::Quote { blocks: vec![Block::Paragraph { content: vec![text("quoted")] }] });
        assert_eq!(
            blocks[4],
            Block::Table {
                align: vec!["left", "right"],
                header: vec![vec![text("a")], vec![text("b")]],
                rows: vec![vec![vec![text("1")], vec![text("$x")]]]
            }
        );
        let Block::Paragraph { content } = &blocks[5] else { panic!() };
        assert_eq!(content[1], Inline::Link { url: "https://example.org/plan".into(), content: vec![text("the plan")] });
        assert_eq!(
            content[2],
            Inline::Footnote { blocks: vec![Block::Paragraph { content: vec![text("The plan of 2024.")] }], label: "1".into(), line: 0 }
        );
        assert_eq!(content[3..], [text("."), Inline::Break, text("Next line.")]);
        assert_eq!(blocks.len(), 6);
    }

    #[test]
    fn what_a_paper_cannot_show_is_an_error_naming_the_line() {
        let error = |markdown: &str| parse(markdown, "c.md").unwrap_err().to_string();
        assert!(error("## summary\n\nSee ![chart](c.png).\n").starts_with("c.md:3: an image (`c.png`)"));
        assert!(error("## summary\n\nText\n\n<div>x</div>\n").starts_with("c.md:5: raw HTML"));
        assert!(error("## summary\n\nA <b>bold</b> word.\n").starts_with("c.md:3: raw HTML `<b>`"));
        assert!(error("## summary\n\n# Title\n").starts_with("c.md:3: a `#` heading inside a slot"));
        assert!(error("## summary\n\nOne.\n\n## summary\n").starts_with("c.md:5: `## summary` is also the heading on line 1"));
        assert!(error("## summary\n\nOne.\n\n[^2]: Never used.\n").contains("[^2] is never referred to"));
        assert!(error("## summary\n\nOne[^x] note.\n").starts_with("c.md:3: the footnote [^x] has no text"));
        // Typst and HTML-looking characters that are not HTML print as typed.
        let file = parse("## summary\n\n#read(\"/etc/passwd\") $x^2$ @ref <label> \\ and a ` tick.\n", "c.md").unwrap();
        let Block::Paragraph { content } = &file.slots[0].blocks[0] else { panic!() };
        assert_eq!(plain_text(content), "#read(\"/etc/passwd\") $x^2$ @ref <label> \\ and a ` tick.");
    }
}
