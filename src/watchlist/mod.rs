//! The restricted watchlist: which children met a trigger for a strategy
//! meeting or a manager's review in the days to an as-of date, named by
//! their identifiers. The only code that receives child identifiers after
//! ingest (`ingest::load_identified`); nothing the public paper is made
//! from (report, charts, narrative, exports) imports it, and what it makes
//! goes only to `watchlist`'s own folder (`output::RestrictedFolder`).

mod episodes;
mod list;
mod paper;
mod settings;
#[cfg(test)]
mod tests;
mod triggers;

use anyhow::{bail, Result};
use chrono::NaiveDate;
use polars::prelude::*;

pub use settings::{TriggerSwitches, WatchlistSettings};
pub use triggers::{Trigger, Window};

use crate::ingest::{self, Episodes, Field, IngestContext, InputLocation};
use crate::output::OutputFile;
use crate::period::YearMonth;
use crate::rules::CountingRules;

/// The marking on every page and in every file name.
pub const CLASSIFICATION: &str = "OFFICIAL-SENSITIVE";
pub const PDF_NAME: &str = "watchlist-OFFICIAL-SENSITIVE.pdf";
pub const CSV_NAME: &str = "watchlist-OFFICIAL-SENSITIVE.csv";

/// What the list needs besides the episodes.
#[derive(Debug, Clone)]
pub struct WatchlistContext {
    pub settings: WatchlistSettings,
    pub rules: CountingRules,
    pub authority: String,
    /// Read from the bundled fictional example: said on every page.
    pub example_data: bool,
    /// The input files by name, for the first page.
    pub files: Vec<String>,
}

/// The date the list is as at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOf {
    /// `rules.extract_date` when set, else the last date in the data.
    Latest,
    /// `--as-of`: the window is `window_days` days ending on this date.
    Date(NaiveDate),
    /// `--period`: the window is this calendar month.
    Month(YearMonth),
}

/// The list made: its files and what to say about them.
pub struct Watchlist {
    pub files: Vec<OutputFile>,
    pub window: Window,
    pub children: usize,
    /// Each trigger in force and how many children met it, or why the extract cannot show it.
    pub by_trigger: Vec<(String, Result<usize, String>)>,
}

/// Reads the inputs with their identifiers and makes the list.
pub fn make(inputs: &[InputLocation], ingest: &IngestContext, context: &WatchlistContext, as_of: AsOf) -> Result<Watchlist> {
    let (episodes, _, identifiers) = ingest::load_identified(inputs, ingest)?;
    let (window, as_of_source) = window(&episodes, context, as_of)?;
    let unavailable = unavailable(&episodes);
    // A trigger the extract cannot show is not looked for (no end column
    // would make every return interview look missed).
    let mut checked = context.settings.clone();
    for (trigger, _) in &unavailable {
        trigger.switch_off(&mut checked.triggers);
    }
    let counted = episodes::counted_until(&episodes, &context.rules, window.end())?;
    let children = triggers::children_on_list(&counted, &window, &checked, &context.rules);
    let regional = identifiers.regional();
    let listed = list::in_order(children, &identifiers)?;
    let csv = list::csv_bytes(&listed, regional)?;
    let pdf = paper::pdf(&listed, &window, as_of_source, context, &unavailable, regional)?;
    let by_trigger = Trigger::ALL
        .iter()
        .filter(|t| t.in_force(&context.settings))
        .map(|t| {
            let met = listed.iter().filter(|c| c.child.met.iter().any(|(m, _)| m == t)).count();
            let found = match unavailable.iter().find(|(u, _)| u == t) {
                Some((_, why)) => Err(why.clone()),
                None => Ok(met),
            };
            (t.name(&context.settings, &context.rules), found)
        })
        .collect();
    Ok(Watchlist {
        files: vec![OutputFile::new(CSV_NAME, csv), OutputFile::new(PDF_NAME, pdf)],
        window,
        children: listed.len(),
        by_trigger,
    })
}

/// The window `as_of` asks for, and where its date came from.
fn window(episodes: &Episodes, context: &WatchlistContext, as_of: AsOf) -> Result<(Window, &'static str)> {
    let days = |as_of: NaiveDate| Window { first_day: as_of - chrono::Duration::days(context.settings.window_days as i64 - 1), as_of };
    Ok(match as_of {
        AsOf::Month(month) => (Window { first_day: month.first_day(), as_of: month.last_day() }, "--period: the whole calendar month"),
        AsOf::Date(date) => (days(date), "--as-of"),
        AsOf::Latest => match context.rules.extract_date {
            Some(date) => (days(date), "the extract date (rules.extract_date)"),
            None => (days(last_date(episodes)?), "the last date in the data (set rules.extract_date, or give --as-of)"),
        },
    })
}

/// The last date any episode's start, end or return interview holds.
fn last_date(episodes: &Episodes) -> Result<NaiveDate> {
    let mut last: Option<i64> = None;
    for name in ["start", "end", "rhi_completed"] {
        let latest = episodes.frame.column(name)?.cast(&DataType::Int64)?.i64()?.max();
        last = last.max(latest);
    }
    match last {
        Some(millis) => Ok(episodes::moment(millis).date()),
        None => bail!("the input holds no dates to take the as-of date from: give --as-of YYYY-MM-DD"),
    }
}

/// Triggers the extract cannot show, and why.
fn unavailable(episodes: &Episodes) -> Vec<(Trigger, String)> {
    let lacks = |fields: &[Field]| !fields.iter().any(|f| episodes.has(*f));
    let mut out = Vec::new();
    if lacks(&[Field::End]) {
        for trigger in [Trigger::StillMissing, Trigger::LongEpisode, Trigger::Rhi] {
            out.push((trigger, "the extract has no end column".to_string()));
        }
    }
    if lacks(&[Field::CseRisk, Field::CceRisk]) {
        out.push((Trigger::Exploitation, "the extract has no cse_risk or cce_risk column".into()));
    }
    if lacks(&[Field::RhiOffered, Field::RhiCompleted]) && !lacks(&[Field::End]) {
        out.push((Trigger::Rhi, "the extract has no rhi_offered or rhi_completed column".into()));
    }
    out
}
