//! The slots a template offers (each `commentary(data, "id", ...)` call
//! leaves a `<commentary-slot>` marker the compiled paper reports), checked
//! against the file's `##` headings, and the starter commentary file
//! `init` writes with every slot of a template and a hint for each.

use std::fmt::Write as _;

use anyhow::{bail, Result};

use super::blocks::{plain_text, Block, CommentaryFile};
use crate::nearest::nearest;

/// A commentary slot a template shows, with its heading and a hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSlot {
    pub id: String,
    pub title: Option<String>,
    pub hint: Option<String>,
}

/// How every paragraph `init` writes begins; `--final` refuses a slot that still has one.
pub const STARTER_MARK: &str = "Replace this paragraph";

/// An error for a `##` heading that matches no slot of the template.
pub fn check_headings(file: &CommentaryFile, slots: &[TemplateSlot], template: &str) -> Result<()> {
    let ids: Vec<&str> = slots.iter().map(|s| s.id.as_str()).collect();
    for slot in &file.slots {
        if !ids.contains(&slot.id.as_str()) {
            let suggestion = nearest(&slot.id, &ids, 1);
            bail!(
                "{}:{}: `## {}` is not a commentary slot of the {template} template, so its text would not be printed{}; its slots are: {}",
                file.path,
                slot.line,
                slot.id,
                suggestion.first().map(|s| format!(" (did you mean `## {s}`?)")).unwrap_or_default(),
                ids.join(", ")
            );
        }
    }
    Ok(())
}

/// The slots whose text still holds a paragraph `init` wrote.
pub fn starter_slots(file: &CommentaryFile) -> Vec<String> {
    file.slots
        .iter()
        .filter(|slot| {
            slot.blocks
                .iter()
                .any(|block| matches!(block, Block::Paragraph { content } if plain_text(content).trim_start().starts_with(STARTER_MARK)))
        })
        .map(|slot| slot.id.clone())
        .collect()
}

/// The commentary file `init` writes for a template: a note to authors
/// (not printed) on what the file can hold, then every slot in the order
/// the paper shows them, each with a starter paragraph holding its hint.
pub fn starter_file(template: &str, slots: &[TemplateSlot]) -> String {
    let mut out = format!(
        "# Commentary for the {template} paper

Text above the first `##` heading is a note to authors and is not printed.
Each `## slot` section below fills one commentary box of the paper, in the
order the paper shows them. Replace each starter paragraph with your own
words: `missing-report build --final` refuses a paper that still holds one,
or a slot left empty (the paper shows a marked box there instead).

You can write paragraphs, `###` sub-headings, **bold**, *italic*,
~~struck out~~, bullet and numbered lists (nested), > quotes, tables with
`|` columns, links (printed with their address) and footnotes[^note].
Images and HTML cannot be printed and stop the build with the line to mend.

A figure the paper computes can be cited instead of typed, so it is
always the paper's own: `{{{{children.year}}}}` prints the children who went
missing in the year to date, `{{{{children.year.change}}}}` its change on a
year earlier, `{{{{looked_after.pct_rhi_within_72h.quarter}}}}` the rate for
children in care in the latest quarter, `{{{{period.year}}}}` the year's name.
Every name is listed in report_templates/README.md. Numbers you type are
checked against the paper's figures; the build lists any that match none.

[^note]: Like this one, printed at the foot of the page.
"
    );
    for slot in slots {
        let _ = write!(out, "\n## {}\n\n", slot.id);
        let about = match (&slot.title, &slot.hint) {
            (_, Some(hint)) => hint.clone(),
            (Some(title), None) => format!("{title}."),
            (None, None) => String::new(),
        };
        let _ = write!(out, "{STARTER_MARK} with your own words. {about}");
        if slot.id == "summary" {
            out.push_str(
                " For example: in {{period.year}}, {{children.year}} children went missing ({{children.year.change}} on the year before).",
            );
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::commentary::markdown::parse;

    fn slot(id: &str) -> TemplateSlot {
        TemplateSlot { id: id.into(), title: Some("Summary".into()), hint: Some("What the figures show.".into()) }
    }

    #[test]
    fn the_starter_file_holds_every_slot_and_is_refused_until_rewritten() {
        let slots = [slot("summary"), slot("all_children")];
        let text = starter_file("overview", &slots);
        let file = parse(&text, "commentary.md").unwrap();
        assert_eq!(file.slots.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["summary", "all_children"]);
        assert_eq!(starter_slots(&file), ["summary", "all_children"]);
        check_headings(&file, &slots, "overview").unwrap();
        let starter = text.lines().find(|l| l.contains("For example")).unwrap();
        let written = text.replace(starter, "Fewer children went missing.");
        assert_eq!(starter_slots(&parse(&written, "c.md").unwrap()), ["all_children"]);
    }

    #[test]
    fn a_heading_that_is_no_slot_is_named_with_the_nearest_and_the_slots() {
        let file = parse("## children_in_our_care\n\nText.\n", "commentary.md").unwrap();
        let slots = [slot("summary"), slot("children_in_care")];
        let message = check_headings(&file, &slots, "overview").unwrap_err().to_string();
        assert!(
            message.starts_with("commentary.md:1: `## children_in_our_care` is not a commentary slot of the overview template"),
            "{message}"
        );
        assert!(
            message.contains("did you mean `## children_in_care`?") && message.ends_with("its slots are: summary, children_in_care"),
            "{message}"
        );
    }
}
