//! The restricted watchlist: which children met a trigger for a strategy
//! meeting or a manager's review in the days to an as-of date, named by
//! their identifiers. The only code that receives child identifiers after
//! ingest (`ingest::load_identified`); nothing the public paper is made
//! from (report, charts, narrative, exports) imports it, and what it makes
//! goes only to `watchlist`'s own folder (`output::RestrictedFolder`).

mod assess;
mod episodes;
mod list;
mod paper;
mod settings;
#[cfg(test)]
mod tests;
mod trigger;
mod words;

use anyhow::{anyhow, bail, Result};
use chrono::NaiveDate;
use polars::prelude::*;

pub use assess::Window;
pub use settings::{TriggerSwitches, WatchlistSettings};
pub use trigger::Trigger;

use crate::ingest::{self, Episodes, Field, IngestContext, InputLocation};
use crate::output::OutputFile;
use crate::period::{long_date, YearMonth};
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
    let children = assess::children_on_list(&counted, &window, &checked, &context.rules);
    let regional = identifiers.regional();
    let listed = list::in_order(children, &identifiers)?;
    let csv = list::csv_bytes(&listed, regional)?;
    let pdf = paper::pdf(&listed, &window, &as_of_source, context, &unavailable, regional)?;
    let by_trigger = Trigger::ALL
        .iter()
        .filter(|t| t.in_force(&context.settings))
        .map(|t| {
            let found = match unavailable.iter().find(|(u, _)| u == t) {
                Some((_, why)) => Err(why.clone()),
                None => Ok(list::meeting(&listed, *t)),
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

/// The window `as_of` asks for, and where its date came from. The list is
/// never as at a date after the data's (`rules.extract_date`, else the last
/// start): an interview not yet due would read as missed.
fn window(episodes: &Episodes, context: &WatchlistContext, as_of: AsOf) -> Result<(Window, String)> {
    let (data_end, data_end_from) = match context.rules.extract_date {
        Some(date) => (date, "the extract date (rules.extract_date)"),
        None => (last_start(episodes)?, "the last episode start in the data"),
    };
    let days_to = |as_of: NaiveDate| -> Result<Window> {
        let first_day = as_of.checked_sub_days(chrono::Days::new(context.settings.window_days as u64 - 1));
        Ok(Window { first_day: first_day.ok_or_else(|| anyhow!("{as_of} is too early a date for the watchlist"))?, as_of })
    };
    let capped = |asked: NaiveDate, how: &str| -> (NaiveDate, String) {
        if asked > data_end {
            (data_end, format!("{data_end_from}, {} ({how} asked for {}, after the data)", long_date(data_end), long_date(asked)))
        } else {
            (asked, how.to_string())
        }
    };
    Ok(match as_of {
        AsOf::Month(month) => {
            if data_end < month.first_day() {
                bail!("the data ends on {} ({data_end_from}), before {month}: choose an earlier --period", long_date(data_end));
            }
            let (as_of, source) = capped(month.last_day(), "--period, the calendar month to its end");
            (Window { first_day: month.first_day(), as_of }, source)
        }
        AsOf::Date(date) => {
            let (as_of, source) = capped(date, "--as-of");
            (days_to(as_of)?, source)
        }
        AsOf::Latest => (days_to(data_end)?, format!("{data_end_from} (or give --as-of)")),
    })
}

/// The day of the latest episode start: starts after the extract date are
/// screened at ingest (`future_start`), ends and interview dates are not.
fn last_start(episodes: &Episodes) -> Result<NaiveDate> {
    match episodes.frame.column("start")?.cast(&DataType::Int64)?.i64()?.max() {
        Some(millis) => Ok(episodes::moment(millis).date()),
        None => bail!("the input holds no episode start to take the as-of date from: give --as-of YYYY-MM-DD"),
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
    if lacks(&[Field::RhiCompleted]) && !lacks(&[Field::End]) {
        out.push((Trigger::Rhi, "the extract has no rhi_completed column".into()));
    }
    out
}
