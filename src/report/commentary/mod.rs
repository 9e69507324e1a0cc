//! The managers' commentary: read faithfully from Markdown (`markdown`)
//! into data (`blocks`), with live figures filled in (`live`), typed numbers checked
//! against the paper (`numbers`) and headings checked against the
//! template's slots (`slots`).

mod blocks;
mod live;
mod markdown;
mod numbers;
mod slots;

pub use blocks::{plain_text, Block, Commentary, CommentaryFile, Inline, SlotText};
pub use live::{FigureBook, LiveFigure};
pub use markdown::{parse, MAX_FILE_BYTES, MAX_NESTING};
pub use numbers::{candidates, check, Candidate, NumberFinding};
pub use slots::{check_headings, starter_file, starter_slots, TemplateSlot, STARTER_MARK};
