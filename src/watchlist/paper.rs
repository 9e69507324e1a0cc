//! `watchlist-OFFICIAL-SENSITIVE.pdf`: the list as a senior manager reads it on a Monday
//! morning, laid out by `report_templates/watchlist.typ` (built in; a
//! user's template folder never reaches it) from the data made here.

use anyhow::Result;
use chrono::{Datelike, NaiveDateTime};
use serde::Serialize;

use super::assess::Window;
use super::list::{looked_after, meeting, occasions_text, ListedChild, ORDER};
use super::trigger::Trigger;
use super::WatchlistContext;
use crate::assets;
use crate::period::long_date;
use crate::render::{render_pdf, CompileInputs};

/// What `watchlist.typ` receives as `data.json`.
#[derive(Serialize)]
struct PaperData {
    authority: String,
    classification: &'static str,
    example_data: bool,
    /// e.g. "Sunday 31 March 2024".
    as_of: String,
    /// e.g. "25 to 31 March 2024 (7 days)".
    window: String,
    /// Where the as-of date came from, e.g. "--as-of".
    as_of_source: String,
    date: [u32; 3],
    files: Vec<String>,
    triggers: Vec<TriggerLine>,
    order: &'static str,
    /// Dates in the list omit the as-of date's year: "2024 unless shown".
    year_note: String,
    regional: bool,
    children: Vec<ChildLine>,
}

#[derive(Serialize)]
struct TriggerLine {
    name: String,
    rule: String,
    in_force: bool,
    /// Why it cannot be checked, when the extract lacks what it needs.
    unavailable: Option<String>,
    children: usize,
}

#[derive(Serialize)]
struct ChildLine {
    rank: usize,
    authority: String,
    id: String,
    age: String,
    looked_after: &'static str,
    triggers: Vec<MetLine>,
    recent: [usize; 3],
    last_start: String,
    last_end: String,
    last_rhi: String,
}

#[derive(Serialize)]
struct MetLine {
    name: String,
    /// Still missing, or an exploitation concern: printed in red.
    urgent: bool,
    occasions: String,
}

/// The PDF, marked on every page with `CLASSIFICATION`.
pub fn pdf(
    listed: &[ListedChild<'_>],
    window: &Window,
    as_of_source: &str,
    context: &WatchlistContext,
    unavailable: &[(Trigger, String)],
    regional: bool,
) -> Result<Vec<u8>> {
    let (settings, rules) = (&context.settings, &context.rules);
    let triggers = Trigger::ALL
        .iter()
        .map(|&trigger| TriggerLine {
            name: trigger.name(settings, rules),
            rule: trigger.rule(settings, rules),
            in_force: trigger.in_force(settings),
            unavailable: unavailable.iter().find(|(t, _)| *t == trigger).map(|(_, why)| why.clone()),
            children: meeting(listed, trigger),
        })
        .collect();
    let year = window.as_of.year();
    let readable = |moment: NaiveDateTime| -> String {
        let format = if moment.year() == year { "%-d %b %H:%M" } else { "%-d %b %Y %H:%M" };
        moment.format(format).to_string()
    };
    let children = listed
        .iter()
        .map(|c| ChildLine {
            rank: c.rank,
            authority: c.authority.unwrap_or_default().to_string(),
            id: c.id.to_string(),
            age: c.child.age.map_or_else(|| "not recorded".into(), |a| a.to_string()),
            looked_after: looked_after(c.child.looked_after),
            triggers: c
                .child
                .met
                .iter()
                .map(|(trigger, occasions)| MetLine {
                    name: trigger.name(settings, rules),
                    urgent: matches!(trigger, Trigger::StillMissing | Trigger::Exploitation),
                    occasions: occasions_text(occasions, &readable),
                })
                .collect(),
            recent: c.child.recent,
            last_start: readable(c.child.last.start),
            last_end: match (c.child.last.still_missing, c.child.last.end) {
                (true, _) => "still missing".into(),
                (false, Some(end)) => readable(end),
                (false, None) => "end not known".into(),
            },
            last_rhi: c.child.last.rhi.clone(),
        })
        .collect();
    let data = PaperData {
        authority: context.authority.clone(),
        classification: super::CLASSIFICATION,
        example_data: context.example_data,
        as_of: format!("{} {}", window.as_of.format("%A"), long_date(window.as_of)),
        window: window_text(window),
        as_of_source: as_of_source.to_string(),
        date: [window.as_of.year() as u32, window.as_of.month(), window.as_of.day()],
        files: context.files.clone(),
        triggers,
        order: ORDER,
        year_note: format!("{} unless shown", window.as_of.year()),
        regional,
        children,
    };
    let inputs = CompileInputs {
        main: "watchlist.typ".into(),
        sources: vec![("watchlist.typ".into(), assets::WATCHLIST_TEMPLATE.into())],
        binaries: vec![("data.json".into(), serde_json::to_vec_pretty(&data)?)],
    };
    Ok(render_pdf(&inputs, window.as_of)?.pdf)
}

/// `25 to 31 March 2024 (7 days)`, naming each month and year only as often as needed.
fn window_text(window: &Window) -> String {
    let (first, last) = (window.first_day, window.as_of);
    let days = (last - first).num_days() + 1;
    let from = if first.year() != last.year() {
        long_date(first)
    } else if first.month() != last.month() {
        first.format("%-d %B").to_string()
    } else {
        first.day().to_string()
    };
    let unit = if days == 1 { "day" } else { "days" };
    format!("{from} to {} ({days} {unit})", long_date(last))
}
