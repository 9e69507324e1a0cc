//! Reads episode files into one typed polars frame (`Episodes`) and accounts
//! for every row it does not count (`DataQuality`), by the rule ids of
//! INPUT.md. The way through, one file each: `file` (bytes) → `decode`
//! (CSV or workbook text) → `records` (rows after the header) → `layout` /
//! `ssd` (header onto canonical fields) → `row` (values and per-row rules,
//! in parallel) → `columns` (duplicate ids, child numbers, the frame, in
//! input order) → `overlaps` (the cross-row rule); `read` runs them in order.

mod authorities;
mod columns;
mod context;
mod decode;
mod dfe;
mod dfe_check;
mod episodes;
mod error;
mod field;
mod file;
mod identifiers;
mod layout;
mod limits;
mod overlaps;
mod quality;
mod read;
mod records;
mod row;
mod ssd;
mod ssda903;
mod unrecognised;
mod values;

use anyhow::Result;

pub use authorities::{split_by_authority, RegionalExtract};
pub use context::{IngestContext, InputOptions, Layout, MappedColumn};
pub use dfe::DfeRule;
pub use episodes::Episodes;
pub use error::UnusableInput;
pub use field::Field;
pub use file::{InputFile, InputLocation};
pub use identifiers::{ChildIdentifier, ChildIdentifiers};
pub use limits::{MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROW_BYTES, MAX_WORKBOOK_BYTES, MAX_WORKBOOK_UNPACKED};
pub use quality::{Action, DataQuality, Finding, QualityRule};
pub use read::{read_identified, read_timed, IngestTimings};
pub use unrecognised::Unrecognised;
pub use values::{
    check_date_format, ethnicity_group, mapped_value_problem, parse_timestamp, parse_with_formats, parse_yes_no, suggest_date_format,
};

/// Reads every input as one episode table, for `build` and `metrics`:
/// input with no episode left to count is unusable.
pub fn load(inputs: &[InputLocation], context: &IngestContext) -> Result<(Episodes, DataQuality)> {
    let files = inputs.iter().map(InputFile::load).collect::<Result<Vec<_>>>()?;
    let (episodes, quality) = read(&files, context)?;
    refuse_uncountable(&episodes, &quality, &files, context)?;
    Ok((episodes, quality))
}

/// `load` for the restricted watchlist: also each child's identifier.
pub fn load_identified(inputs: &[InputLocation], context: &IngestContext) -> Result<(Episodes, DataQuality, ChildIdentifiers)> {
    let files = inputs.iter().map(InputFile::load).collect::<Result<Vec<_>>>()?;
    let (episodes, quality, identifiers) = read_identified(&files, context)?;
    refuse_uncountable(&episodes, &quality, &files, context)?;
    Ok((episodes, quality, identifiers))
}

/// `check_countable` for a load, with the summary of what was read.
fn refuse_uncountable(episodes: &Episodes, quality: &DataQuality, files: &[InputFile], context: &IngestContext) -> Result<()> {
    check_countable(episodes.counted(&context.rules), quality, files).map_err(|e| UnusableInput(format!("{e}\n{quality}")))?;
    Ok(())
}

/// Parses already-loaded files; every row is kept or accounted for in `DataQuality`.
pub fn read(files: &[InputFile], context: &IngestContext) -> Result<(Episodes, DataQuality)> {
    read_timed(files, context).map(|(episodes, quality, _)| (episodes, quality))
}

/// Input with no episode left to count (`counted`, from `Episodes::counted`) cannot make a report.
pub fn check_countable(counted: usize, quality: &DataQuality, files: &[InputFile]) -> Result<(), UnusableInput> {
    if counted > 0 {
        return Ok(());
    }
    Err(UnusableInput(format!(
        "no episode left to count in {}: {} rows read, {} excluded",
        InputFile::names(files),
        quality.rows_read,
        quality.excluded()
    )))
}
