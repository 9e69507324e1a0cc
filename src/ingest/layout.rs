//! Maps the header of each layout councils already produce onto the
//! canonical columns of INPUT.md: the canonical layout (optionally renamed
//! with `input.columns`), the SSDA903 Missing table, and the Standard
//! Safeguarding Dataset's `ssd_missing` (through the `ssd` lookups).

use std::collections::{BTreeMap, HashMap};

use anyhow::{bail, Result};

use super::context::{InputOptions, Layout};
use super::error::unusable;
use super::field::Field;
use super::ssd::{Lookups, PersonField};
use super::values::header_names;
use crate::nearest::nearest;

/// Where a canonical field's value is found in one file.
#[derive(Debug, Clone, PartialEq)]
pub enum Locator {
    Column(usize),
    /// The same value on every row (SSDA903: every child is looked after).
    Constant(&'static str),
    /// SSDA903 has no episode id: child, start and the file's row make one.
    EpisodeId {
        child: usize,
        start: usize,
    },
    /// An attribute of the person, from `ssd_person`, keyed by the child id.
    Person(PersonField),
    /// Looked after at the episode's start, from the SSD CLA episodes or id list.
    LookedAfter,
}

/// How to read one file's rows as canonical fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    pub fields: BTreeMap<Field, Locator>,
    /// Per field: extract value (lower case, trimmed) -> canonical value.
    pub values: BTreeMap<Field, HashMap<String, String>>,
}

impl Mapping {
    /// Each mapped field's column as `header` spells it (trimmed); a value
    /// made from several columns or files is named by its canonical name.
    pub fn column_names(&self, header: &[String]) -> BTreeMap<Field, String> {
        self.fields
            .iter()
            .map(|(field, locator)| {
                let name = match locator {
                    Locator::Column(i) => header.get(*i).map_or(field.name(), |h| h.trim()),
                    _ => field.name(),
                };
                (*field, name.to_string())
            })
            .collect()
    }
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
pub fn mapping(layout: Layout, header: &[String], options: &InputOptions, file: &str, ssd: Option<&Lookups>) -> Result<Mapping> {
    let names = header_names(header);
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        if seen.insert(name.as_str(), i).is_some() {
            bail!(unusable(format!("{file}: row 1: column `{}` appears twice in the header", header[i].trim())));
        }
    }
    // A column the configuration maps wins over a header name of the layout.
    let mut fields = BTreeMap::new();
    for (column, mapped) in &options.columns {
        let Some(i) = names.iter().position(|n| n == column) else {
            let header_names: Vec<&str> = header.iter().map(|h| h.trim()).filter(|h| !h.is_empty()).collect();
            let near = nearest(&mapped.written, &header_names, 1);
            bail!(
                "{}input.columns maps `{}` onto {}, but {file} has no column `{}`{} (its header: {})",
                mapped.at,
                mapped.written,
                mapped.field.name(),
                mapped.written,
                near.first().map(|n| format!("; did you mean `{n}`?")).unwrap_or_default(),
                header_names.join(", ")
            );
        };
        fields.insert(mapped.field, Locator::Column(i));
    }
    let known: HashMap<&str, Field> = layout_names(layout).into_iter().collect();
    let claimed: Vec<usize> = fields.values().filter_map(|l| if let Locator::Column(i) = l { Some(*i) } else { None }).collect();
    for (i, name) in names.iter().enumerate() {
        if claimed.contains(&i) {
            continue;
        }
        if let Some(field) = known.get(name.as_str()) {
            fields.entry(*field).or_insert(Locator::Column(i));
        }
    }
    let mut values: BTreeMap<Field, HashMap<String, String>> = BTreeMap::new();
    match layout {
        Layout::Canonical => {}
        Layout::Ssda903 => {
            fields.insert(Field::LookedAfter, Locator::Constant("Y"));
            // The return's Header table, given beside the Missing files: a SEX column in the Missing file wins.
            if ssd.is_some_and(|l| l.has_people) {
                fields.entry(Field::Sex).or_insert(Locator::Person(PersonField::Sex));
                fields.entry(Field::Ethnicity).or_insert(Locator::Person(PersonField::Ethnicity));
            }
            if let (Some(Locator::Column(child)), Some(Locator::Column(start))) = (fields.get(&Field::ChildId), fields.get(&Field::Start)) {
                let (child, start) = (*child, *start);
                fields.insert(Field::EpisodeId, Locator::EpisodeId { child, start });
            }
        }
        Layout::Ssd => {
            ssd.filter(|l| l.has_people && l.has_care).ok_or_else(|| {
                unusable(format!(
                    "{file}: the ssd layout needs the ssd_person extract and either ssd_cla_episodes or a one-column list of looked-after person ids, given with -i beside ssd_missing"
                ))
            })?;
            fields.insert(Field::LookedAfter, Locator::LookedAfter);
            fields.insert(Field::Sex, Locator::Person(PersonField::Sex));
            fields.insert(Field::DateOfBirth, Locator::Person(PersonField::DateOfBirth));
            fields.insert(Field::Ethnicity, Locator::Person(PersonField::Ethnicity));
            let outcome: HashMap<String, String> = [("y", "accepted"), ("yes", "accepted"), ("n", "declined"), ("no", "declined")]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            values.insert(Field::RhiOutcome, outcome);
        }
    }
    for (field, map) in &options.values {
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
