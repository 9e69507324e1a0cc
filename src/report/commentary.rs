//! Reads the managers' commentary file: Markdown with one `## slot-id`
//! heading per slot. The text reaches templates as data (paragraphs, lists,
//! bold and italic runs), never as Typst source, so nothing a user writes can
//! run Typst code.

use std::collections::BTreeMap;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use serde::Serialize;

/// A run of text with its emphasis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Block {
    Paragraph { spans: Vec<Span> },
    List { ordered: bool, items: Vec<Vec<Span>> },
}

/// Commentary by slot id, in slot-id order.
pub type Commentary = BTreeMap<String, Vec<Block>>;

/// Parses the file's text. Text before the first `##` heading is ignored (a
/// place for notes to the author); a slot with only whitespace counts as empty.
pub fn parse(markdown: &str) -> Commentary {
    let mut out = Commentary::new();
    let mut slot: Option<String> = None;
    let mut heading: Option<String> = None;
    let mut spans: Vec<Span> = Vec::new();
    let (mut bold, mut italic) = (0u32, 0u32);
    let mut list: Option<(bool, Vec<Vec<Span>>)> = None;
    let mut in_item = false;

    let push_text = |spans: &mut Vec<Span>, text: &str, bold: u32, italic: u32| {
        if text.is_empty() {
            return;
        }
        let (b, i) = (bold > 0, italic > 0);
        match spans.last_mut() {
            Some(last) if last.bold == b && last.italic == i => last.text.push_str(text),
            _ => spans.push(Span { text: text.to_string(), bold: b, italic: i }),
        }
    };

    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading { level: HeadingLevel::H2, .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                let id = heading.take().unwrap_or_default().trim().to_ascii_lowercase().replace(' ', "_");
                out.entry(id.clone()).or_default();
                slot = Some(id);
            }
            Event::Text(text) | Event::Code(text) if heading.is_some() => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&text);
                }
            }
            Event::Start(Tag::Strong) => bold += 1,
            Event::End(TagEnd::Strong) => bold = bold.saturating_sub(1),
            Event::Start(Tag::Emphasis) => italic += 1,
            Event::End(TagEnd::Emphasis) => italic = italic.saturating_sub(1),
            Event::Start(Tag::List(start)) => list = Some((start.is_some(), Vec::new())),
            Event::End(TagEnd::List(_)) => {
                if let (Some(id), Some((ordered, items))) = (slot.as_ref(), list.take()) {
                    if !items.is_empty() {
                        out.entry(id.clone()).or_default().push(Block::List { ordered, items });
                    }
                }
            }
            Event::Start(Tag::Item) => {
                in_item = true;
                spans.clear();
            }
            Event::End(TagEnd::Item) => {
                in_item = false;
                if let Some((_, items)) = list.as_mut() {
                    items.push(std::mem::take(&mut spans));
                }
            }
            Event::Start(Tag::Paragraph) if !in_item => spans.clear(),
            Event::End(TagEnd::Paragraph) if !in_item => {
                if let Some(id) = slot.as_ref() {
                    if spans.iter().any(|s| !s.text.trim().is_empty()) {
                        out.entry(id.clone()).or_default().push(Block::Paragraph { spans: std::mem::take(&mut spans) });
                    }
                }
                spans.clear();
            }
            Event::End(TagEnd::Paragraph) => push_text(&mut spans, " ", bold, italic),
            Event::Text(text) | Event::Code(text) => push_text(&mut spans, &text, bold, italic),
            Event::SoftBreak | Event::HardBreak => push_text(&mut spans, " ", bold, italic),
            _ => {}
        }
    }
    out.retain(|_, blocks| !blocks.is_empty());
    for blocks in out.values_mut() {
        for block in blocks.iter_mut() {
            match block {
                Block::Paragraph { spans } => trim(spans),
                Block::List { items, .. } => items.iter_mut().for_each(trim),
            }
        }
    }
    out
}

fn trim(spans: &mut Vec<Span>) {
    if let Some(last) = spans.last_mut() {
        last.text = last.text.trim_end().to_string();
    }
    spans.retain(|s| !s.text.is_empty());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_hold_paragraphs_lists_and_emphasis_as_data() {
        let text = "Notes for the author.\n\n## Summary\n\nMore children went **missing**\nin *June*.\n\n- one\n- two #set\n\n## empty\n\n## all_children\n\n#let x = 1\n";
        let commentary = parse(text);
        assert_eq!(commentary.keys().collect::<Vec<_>>(), vec!["all_children", "summary"]);
        assert_eq!(
            commentary["summary"][0],
            Block::Paragraph {
                spans: vec![
                    Span { text: "More children went ".into(), bold: false, italic: false },
                    Span { text: "missing".into(), bold: true, italic: false },
                    Span { text: " in ".into(), bold: false, italic: false },
                    Span { text: "June".into(), bold: false, italic: true },
                    Span { text: ".".into(), bold: false, italic: false },
                ]
            }
        );
        let Block::List { ordered, items } = &commentary["summary"][1] else { panic!("expected a list") };
        assert!(!ordered);
        assert_eq!(items[1][0].text, "two #set");
        let Block::Paragraph { spans } = &commentary["all_children"][0] else { panic!("expected a paragraph") };
        assert_eq!(spans[0].text, "#let x = 1");
    }
}
