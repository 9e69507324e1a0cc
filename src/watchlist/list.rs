//! The list in order of urgency, with each child's identifier as the
//! source system holds it, and `watchlist-OFFICIAL-SENSITIVE.csv`. The only place the
//! identifiers meet the episodes.

use std::cmp::Reverse;

use anyhow::{Context, Result};
use chrono::NaiveDateTime;

use super::assess::{ChildOnList, Occasion};
use super::trigger::Trigger;
use crate::ingest::ChildIdentifiers;

/// A child on the list, named.
pub struct ListedChild<'a> {
    /// 1 is the most urgent.
    pub rank: usize,
    pub authority: Option<&'a str>,
    pub id: &'a str,
    pub child: ChildOnList,
}

/// The order of urgency, as the list's first page states it.
pub const ORDER: &str = "Children still missing come first, longest missing first; then by the most urgent trigger met (exploitation concern, 3 in 30 days, the local repeat trigger, a long episode, the return interview); then by the number of triggers met, the episodes in the last 30 days (most first), and the latest episode (most recent first).";

/// Names each child and puts the list in the order of `ORDER` (the
/// identifier breaks a tie, so the same input always gives the same list).
pub fn in_order(children: Vec<ChildOnList>, identifiers: &ChildIdentifiers) -> Result<Vec<ListedChild<'_>>> {
    let mut listed = children
        .into_iter()
        .map(|child| {
            let name = identifiers.identifier(child.child).context("a child on the list has no identifier")?;
            Ok(ListedChild { rank: 0, authority: name.authority, id: name.id, child })
        })
        .collect::<Result<Vec<_>>>()?;
    listed.sort_by_key(|c| {
        let most_urgent = c.child.met.first().map_or(Trigger::Rhi, |(trigger, _)| *trigger);
        (
            c.child.missing_since.is_none(),
            c.child.missing_since,
            most_urgent,
            Reverse(c.child.met.len()),
            Reverse(c.child.recent[0]),
            Reverse(c.child.last.start),
            c.authority,
            c.id,
        )
    });
    for (at, child) in listed.iter_mut().enumerate() {
        child.rank = at + 1;
    }
    Ok(listed)
}

/// `watchlist-OFFICIAL-SENSITIVE.csv`: one row per child, a column per trigger holding the
/// occasions that met it (blank: not met, or not in force).
pub fn csv_bytes(listed: &[ListedChild<'_>], regional: bool) -> Result<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = vec!["rank"];
    if regional {
        header.push("authority");
    }
    header.extend(["child_id", "age", "looked_after", "triggers"]);
    header.extend(Trigger::ALL.map(Trigger::id));
    header.extend(["episodes_30_days", "episodes_90_days", "episodes_365_days", "last_start", "last_end", "last_rhi"]);
    out.write_record(&header)?;
    for listed in listed {
        let child = &listed.child;
        let mut row: Vec<String> = vec![listed.rank.to_string()];
        if regional {
            row.push(listed.authority.unwrap_or_default().to_string());
        }
        row.push(listed.id.to_string());
        row.push(child.age.map(|a| a.to_string()).unwrap_or_default());
        row.push(looked_after(child.looked_after).to_string());
        row.push(child.met.iter().map(|(trigger, _)| trigger.id()).collect::<Vec<_>>().join(";"));
        for trigger in Trigger::ALL {
            let occasions = child.met.iter().find(|(t, _)| *t == trigger).map(|(_, o)| o.as_slice()).unwrap_or_default();
            row.push(occasions_text(occasions, &iso));
        }
        row.extend(child.recent.map(|n| n.to_string()));
        row.push(iso(child.last.start));
        row.push(child.last.end.map(iso).unwrap_or_default());
        row.push(child.last.rhi.clone());
        out.write_record(&row)?;
    }
    out.into_inner().context("writing the watchlist CSV")
}

/// How many children on the list met `trigger`.
pub fn meeting(listed: &[ListedChild<'_>], trigger: Trigger) -> usize {
    listed.iter().filter(|c| c.child.met.iter().any(|(met, _)| *met == trigger)).count()
}

/// Looked-after status in words.
pub fn looked_after(status: Option<bool>) -> &'static str {
    match status {
        Some(true) => "looked after",
        Some(false) => "not looked after",
        None => "not recorded",
    }
}

/// Occasions as `when (note); when`, each moment written by `write`.
pub fn occasions_text(occasions: &[Occasion], write: &dyn Fn(NaiveDateTime) -> String) -> String {
    let texts: Vec<String> = occasions
        .iter()
        .map(|o| match &o.note {
            Some(note) => format!("{} ({note})", write(o.start)),
            None => write(o.start),
        })
        .collect();
    texts.join("; ")
}

fn iso(moment: NaiveDateTime) -> String {
    moment.format("%Y-%m-%d %H:%M").to_string()
}
