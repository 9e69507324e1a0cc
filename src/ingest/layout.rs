//! Maps the columns of the layouts councils already produce onto the
//! canonical columns of INPUT.md: the canonical layout (optionally renamed
//! with `input.columns`), the SSDA903 Missing table, and the Standard
//! Safeguarding Dataset (`ssd_missing` joined to `ssd_person`, with
//! looked-after status from `ssd_cla_episodes` or a list of person ids).

use std::collections::{BTreeMap, HashMap, HashSet};

use anyhow::{bail, Result};
use chrono::NaiveDateTime;

use super::source::Cells;
use super::{parse_timestamp, unusable, Field};
use crate::config::{InputOptions, Layout};

/// Where a canonical field's value comes from in one file.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Column(usize),
    /// The same value on every row (SSDA903: every child is looked after).
    Constant(&'static str),
    /// SSDA903 has no episode id: child, start and the file's row make one.
    EpisodeId { child: usize, start: usize },
    /// An attribute of the person, from `ssd_person`, keyed by the child id.
    Person(PersonField),
    /// Looked after at the episode's start, from the SSD CLA episodes or id list.
    LookedAfter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonField {
    Sex,
    DateOfBirth,
    Ethnicity,
}

/// How to read one file's rows as canonical fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    pub fields: BTreeMap<Field, Source>,
    /// Per field: source value (lower case, trimmed) -> canonical value.
    pub values: BTreeMap<Field, HashMap<String, String>>,
}

/// Person attributes and care episodes from the SSD companion extracts.
#[derive(Debug, Default)]
pub struct SsdLookups {
    pub people: HashMap<String, [Option<String>; 3]>,
    /// Person id -> care episodes (start, ceased; `None`: still looked after).
    pub care: HashMap<String, Vec<(NaiveDateTime, Option<NaiveDateTime>)>>,
    /// Looked-after person ids from a one-column list.
    pub looked_after_ids: HashSet<String>,
    pub has_people: bool,
    pub has_care: bool,
}

impl SsdLookups {
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
        if in_care { "Y" } else { "N" }
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

fn lower(header: &[String]) -> Vec<String> {
    header.iter().map(|h| h.trim().to_ascii_lowercase()).collect()
}

pub fn ssd_role(header: &[String]) -> Option<SsdRole> {
    let names = lower(header);
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
pub fn add_ssd_companion<'a, C: Cells + 'a>(
    lookups: &mut SsdLookups,
    role: SsdRole,
    header: &[String],
    rows: impl Iterator<Item = (usize, &'a C)>,
    file: &str,
) -> Result<()> {
    let names = lower(header);
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
            let ceased = ["clae_cla_episode_ceased_date", "clae_cla_episode_ceased", "clae_cla_episode_end_date"].iter().find_map(|n| position(n));
            let Some(start_column) = start else {
                bail!(unusable(format!("{file}: row 1: the CLA episodes extract has no clae_cla_episode_start_date column")));
            };
            for (row_number, row) in rows {
                let Some(person) = text(row, id) else { continue };
                let Some(began) = text(row, Some(start_column)).as_deref().and_then(parse_timestamp) else {
                    bail!(unusable(format!("{file}: row {row_number}: clae_cla_episode_start_date is not a date")));
                };
                let ended = text(row, ceased).as_deref().and_then(parse_timestamp).map(|t| t + chrono::Duration::days(1) - chrono::Duration::seconds(1));
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

/// Canonical names, the SSDA903 names and the SSD names, each to its field.
fn layout_names(layout: Layout) -> Vec<(&'static str, Field)> {
    match layout {
        Layout::Canonical => Field::ALL.iter().map(|f| (f.name(), *f)).collect(),
        Layout::Ssda903 => vec![
            ("child", Field::ChildId),
            ("dob", Field::DateOfBirth),
            ("sex", Field::Sex),
            ("missing", Field::EpisodeType),
            ("mis_start", Field::Start),
            ("mis_end", Field::End),
        ],
        Layout::Ssd => vec![
            ("miss_table_id", Field::EpisodeId),
            ("miss_person_id", Field::ChildId),
            ("miss_missing_episode_start_date", Field::Start),
            ("miss_missing_episode_start", Field::Start),
            ("miss_missing_episode_type", Field::EpisodeType),
            ("miss_missing_episode_end_date", Field::End),
            ("miss_missing_episode_end", Field::End),
            ("miss_missing_rhi_offered", Field::RhiOffered),
            ("miss_missing_rhi_accepted", Field::RhiOutcome),
        ],
    }
}

/// The mapping of one episode file's header.
pub fn mapping(layout: Layout, header: &[String], options: &InputOptions, file: &str, ssd: Option<&SsdLookups>) -> Result<Mapping> {
    let names = lower(header);
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        if seen.insert(name.as_str(), i).is_some() {
            bail!(unusable(format!("{file}: row 1: column `{}` appears twice in the header", header[i].trim())));
        }
    }
    let mut known: HashMap<String, Field> = layout_names(layout).into_iter().map(|(n, f)| (n.to_string(), f)).collect();
    for (source, target) in &options.columns {
        let Some(field) = Field::ALL.iter().find(|f| f.name() == target) else {
            bail!(
                "configuration error: input.columns maps `{source}` to `{target}`, which is not a canonical column ({})",
                Field::ALL.iter().map(|f| f.name()).collect::<Vec<_>>().join(", ")
            );
        };
        known.insert(source.clone(), *field);
    }
    let mut fields = BTreeMap::new();
    for (i, name) in names.iter().enumerate() {
        if let Some(field) = known.get(name) {
            fields.entry(*field).or_insert(Source::Column(i));
        }
    }
    let mut values: BTreeMap<Field, HashMap<String, String>> = BTreeMap::new();
    match layout {
        Layout::Canonical => {}
        Layout::Ssda903 => {
            fields.insert(Field::LookedAfter, Source::Constant("Y"));
            if let (Some(Source::Column(child)), Some(Source::Column(start))) = (fields.get(&Field::ChildId), fields.get(&Field::Start)) {
                let (child, start) = (*child, *start);
                fields.insert(Field::EpisodeId, Source::EpisodeId { child, start });
            }
        }
        Layout::Ssd => {
            let lookups = ssd.filter(|l| l.has_people && l.has_care).ok_or_else(|| {
                unusable(format!(
                    "{file}: the ssd layout needs the ssd_person extract and either ssd_cla_episodes or a one-column list of looked-after person ids, given with -i beside ssd_missing"
                ))
            })?;
            let _ = lookups;
            fields.insert(Field::LookedAfter, Source::LookedAfter);
            fields.insert(Field::Sex, Source::Person(PersonField::Sex));
            fields.insert(Field::DateOfBirth, Source::Person(PersonField::DateOfBirth));
            fields.insert(Field::Ethnicity, Source::Person(PersonField::Ethnicity));
            let outcome: HashMap<String, String> =
                [("y", "accepted"), ("yes", "accepted"), ("n", "declined"), ("no", "declined")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            values.insert(Field::RhiOutcome, outcome);
        }
    }
    for (column, map) in &options.values {
        let Some(field) = Field::ALL.iter().find(|f| f.name() == column) else {
            bail!("configuration error: input.values names `{column}`, which is not a canonical column");
        };
        values.entry(*field).or_default().extend(map.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let missing: Vec<&str> = Field::ALL.iter().filter(|f| f.required() && !fields.contains_key(f)).map(|f| f.name()).collect();
    if !missing.is_empty() {
        let expected = match layout {
            Layout::Canonical => "",
            Layout::Ssda903 => " (SSDA903 needs CHILD and MIS_START)",
            Layout::Ssd => " (ssd_missing needs miss_table_id, miss_person_id and miss_missing_episode_start_date)",
        };
        bail!(unusable(format!(
            "{file}: row 1: required column{} {} missing from the header{expected} (found: {})",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", "),
            header.iter().map(|h| h.trim()).collect::<Vec<_>>().join(", ")
        )));
    }
    Ok(Mapping { fields, values })
}
