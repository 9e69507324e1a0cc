//! The Standard Safeguarding Dataset's companion extracts: `ssd_person`
//! (sex, date of birth, ethnicity) and the looked-after status from
//! `ssd_cla_episodes` or a one-column list of person ids, each file told by
//! its header. `layout` reads `ssd_missing` through these lookups.

use std::collections::{HashMap, HashSet};

use anyhow::{bail, Result};
use chrono::NaiveDateTime;

use super::decode::Cells;
use super::error::unusable;
use super::values::{header_names, parse_timestamp};

/// An attribute of a person in `ssd_person`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonField {
    Sex,
    DateOfBirth,
    Ethnicity,
}

/// What companion files tell about each person: attributes from `ssd_person`
/// or the SSDA903 `Header` table, care episodes from the SSD extracts.
#[derive(Debug, Default)]
pub struct Lookups {
    pub people: HashMap<String, [Option<String>; 3]>,
    /// Person id -> care episodes (start, ceased; `None`: still looked after).
    pub care: HashMap<String, Vec<(NaiveDateTime, Option<NaiveDateTime>)>>,
    /// Looked-after person ids from a one-column list.
    pub looked_after_ids: HashSet<String>,
    pub has_people: bool,
    pub has_care: bool,
}

impl Lookups {
    pub fn person(&self, id: &str, field: PersonField) -> Option<&str> {
        let index = match field {
            PersonField::Sex => 0,
            PersonField::DateOfBirth => 1,
            PersonField::Ethnicity => 2,
        };
        self.people.get(id)?[index].as_deref()
    }

    /// `Y`/`N`: looked after when the episode started.
    pub fn looked_after(&self, id: &str, at: Option<NaiveDateTime>) -> &'static str {
        if self.looked_after_ids.contains(id) {
            return "Y";
        }
        let in_care = match (self.care.get(id), at) {
            (Some(episodes), Some(at)) => episodes.iter().any(|(start, ceased)| *start <= at && ceased.is_none_or(|c| c >= at)),
            _ => false,
        };
        if in_care {
            "Y"
        } else {
            "N"
        }
    }
}

/// What a file of an SSD input holds, told by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SsdRole {
    Missing,
    Person,
    CareEpisodes,
    LookedAfterList,
}
pub fn ssd_role(header: &[String]) -> Option<SsdRole> {
    let names = header_names(header);
    let has = |n: &str| names.iter().any(|h| h == n);
    if has("miss_person_id") {
        Some(SsdRole::Missing)
    } else if has("pers_person_id") && (has("pers_dob") || has("pers_sex") || has("pers_ethnicity")) {
        Some(SsdRole::Person)
    } else if has("clae_person_id") {
        Some(SsdRole::CareEpisodes)
    } else if names.iter().filter(|n| !n.is_empty()).count() == 1 && names.iter().any(|n| n.contains("person_id") || n == "child_id") {
        Some(SsdRole::LookedAfterList)
    } else {
        None
    }
}

/// Adds an SSD companion file's rows to the lookups.
pub fn add_ssd_companion<'a, C: Cells + ?Sized + 'a>(
    lookups: &mut Lookups,
    role: SsdRole,
    header: &[String],
    rows: impl Iterator<Item = (usize, &'a C)>,
    file: &str,
) -> Result<()> {
    let names = header_names(header);
    let position = |n: &str| names.iter().position(|h| h == n);
    let text = |c: &C, i: Option<usize>| i.and_then(|i| c.cell(i)).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    match role {
        SsdRole::Person => {
            lookups.has_people = true;
            let id = position("pers_person_id");
            let (sex, dob, ethnicity) = (position("pers_sex"), position("pers_dob"), position("pers_ethnicity"));
            for (_, row) in rows {
                if let Some(person) = text(row, id) {
                    lookups.people.insert(person, [text(row, sex), text(row, dob), text(row, ethnicity)]);
                }
            }
        }
        SsdRole::CareEpisodes => {
            lookups.has_care = true;
            let id = position("clae_person_id");
            let start = ["clae_cla_episode_start_date", "clae_cla_episode_start"].iter().find_map(|n| position(n));
            let ceased =
                ["clae_cla_episode_ceased_date", "clae_cla_episode_ceased", "clae_cla_episode_end_date"].iter().find_map(|n| position(n));
            let Some(start_column) = start else {
                bail!(unusable(format!("{file}: row 1: the CLA episodes extract has no clae_cla_episode_start_date column")));
            };
            for (row_number, row) in rows {
                let Some(person) = text(row, id) else { continue };
                let Some(began) = text(row, Some(start_column)).as_deref().and_then(parse_timestamp) else {
                    bail!(unusable(format!("{file}: row {row_number}: clae_cla_episode_start_date is not a date")));
                };
                let ended = text(row, ceased)
                    .as_deref()
                    .and_then(parse_timestamp)
                    .map(|t| t + chrono::Duration::days(1) - chrono::Duration::seconds(1));
                lookups.care.entry(person).or_default().push((began, ended));
            }
        }
        SsdRole::LookedAfterList => {
            lookups.has_care = true;
            let id = names.iter().position(|n| !n.is_empty());
            for (_, row) in rows {
                if let Some(person) = text(row, id) {
                    lookups.looked_after_ids.insert(person);
                }
            }
        }
        SsdRole::Missing => {}
    }
    Ok(())
}
