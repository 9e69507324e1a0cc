//! The values of coded columns that no mapping recognised, counted, so
//! `validate` can list them (most frequent first) and print the
//! `input.values` lines that would map them, ready to paste.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

use super::field::Field;

/// A value longer than this is not listed or offered as a mapping (a
/// free-text cell pasted into a coded column): the findings file holds it.
const LISTED_LENGTH: usize = 80;
/// At most this many values of one column are listed and mapped.
const LISTED_VALUES: usize = 40;

/// Per canonical field: the files it was met in, and each value (matched in
/// any case) as first written, with the number of times it was met.
#[derive(Debug, Clone, Default)]
pub struct Unrecognised {
    by_field: BTreeMap<Field, ColumnValues>,
}

/// One field's unrecognised values: the files they were met in, and each
/// value (lower case) -> (as first written, times met).
#[derive(Debug, Clone, Default)]
struct ColumnValues {
    files: BTreeSet<usize>,
    values: HashMap<String, (String, usize)>,
}

impl Unrecognised {
    pub(super) fn add(&mut self, file: usize, field: Field, value: String) {
        let column = self.by_field.entry(field).or_default();
        column.files.insert(file);
        let entry = column.values.entry(value.to_lowercase()).or_insert_with(|| (value, 0));
        entry.1 += 1;
    }

    pub fn is_empty(&self) -> bool {
        self.by_field.is_empty()
    }

    /// Adds another read's values (of the same files) to these: a value keeps
    /// the spelling met first.
    pub(super) fn absorb(&mut self, other: Unrecognised) {
        for (field, theirs) in other.by_field {
            let column = self.by_field.entry(field).or_default();
            column.files.extend(theirs.files);
            for (key, (text, n)) in theirs.values {
                column.values.entry(key).or_insert_with(|| (text, 0)).1 += n;
            }
        }
    }

    /// Each field's values as first written with their counts, most frequent first (ties in text order).
    pub fn values(&self) -> Vec<(Field, Vec<(&str, usize)>)> {
        self.by_field
            .iter()
            .map(|(field, column)| {
                let mut values: Vec<(&str, usize)> = column.values.values().map(|(text, n)| (text.as_str(), *n)).collect();
                values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
                (*field, values)
            })
            .collect()
    }

    /// What `validate` prints: per column, the values and the YAML lines that
    /// map them. `column_names[file]` names each field as that file's header does;
    /// `reason_codes` are the codes a reason may be mapped onto.
    pub fn report(&self, column_names: &[BTreeMap<Field, String>], reason_codes: &[&str]) -> String {
        let mut out = String::new();
        if self.is_empty() {
            return out;
        }
        let mut snippet = String::from("  values:\n");
        for (field, values) in self.values() {
            let files = &self.by_field[&field].files;
            let mut names: Vec<&str> =
                files.iter().filter_map(|f| column_names.get(*f).and_then(|c| c.get(&field))).map(String::as_str).collect();
            names.dedup();
            let total: usize = values.iter().map(|(_, n)| n).sum();
            let _ = writeln!(
                out,
                "unrecognised values in column {} ({}), {} in all, most frequent first:",
                names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" / "),
                field.name(),
                total
            );
            let (listed, long): (Vec<_>, Vec<_>) = values.iter().partition(|(text, _)| text.chars().count() <= LISTED_LENGTH);
            for (text, n) in listed.iter().take(LISTED_VALUES) {
                let _ = writeln!(out, "  {n:>7}  {text}");
            }
            if listed.len() > LISTED_VALUES {
                let rest: usize = listed[LISTED_VALUES..].iter().map(|(_, n)| n).sum();
                let _ = writeln!(out, "  {rest:>7}  ({} other values: see the findings file)", listed.len() - LISTED_VALUES);
            }
            if !long.is_empty() {
                let n: usize = long.iter().map(|(_, n)| n).sum();
                let _ = writeln!(out, "  {n:>7}  (cells longer than {LISTED_LENGTH} characters: free text, see the findings file)");
            }
            let allowed = allowed_values(field, reason_codes);
            let _ = writeln!(snippet, "    {}:   # allowed: {}", field.name(), allowed.join(", "));
            for (text, n) in listed.iter().take(LISTED_VALUES) {
                let _ = writeln!(
                    snippet,
                    "      {}: {}   # {n} row{}",
                    yaml_key(text),
                    guess(field, text, reason_codes),
                    if *n == 1 { "" } else { "s" }
                );
            }
        }
        let _ = writeln!(
            out,
            "to map them, put these lines under `input:` in the configuration (merge them into an `input.values` already there), checking each guess against the allowed values:\n{snippet}"
        );
        out
    }
}

/// The values a mapping may give `field`, as `validate` suggests them.
fn allowed_values<'a>(field: Field, reason_codes: &[&'a str]) -> Vec<&'a str> {
    match field {
        Field::EpisodeType => vec!["missing", "absent"],
        Field::PlacementArea => vec!["in_area", "out_of_area"],
        Field::RhiOutcome => vec!["accepted", "declined", "no_contact", "pending"],
        Field::Reason => reason_codes.to_vec(),
        _ => vec!["Y", "N", "\"\" (not known)"],
    }
}

/// A value as a YAML key: always double-quoted, so `Yes: ...`, `1`, `#` and `:` stay text.
fn yaml_key(text: &str) -> String {
    let mut key = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => key.push_str("\\\""),
            '\\' => key.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(key, "\\u{:04x}", c as u32);
            }
            c => key.push(c),
        }
    }
    key.push('"');
    key
}

/// The canonical value a written value most likely means, from its words;
/// the user checks it (the allowed values are printed beside it).
fn guess(field: Field, text: &str, reason_codes: &[&str]) -> String {
    let lower = text.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    let value = match field {
        Field::EpisodeType => {
            if has(&["absen", "away", "whereabouts known"]) {
                "absent"
            } else {
                "missing"
            }
        }
        Field::PlacementArea => {
            if has(&["out", "outside", "external"]) {
                "out_of_area"
            } else {
                "in_area"
            }
        }
        Field::RhiOutcome => {
            if has(&["declin", "refus", "not accept"]) {
                "declined"
            } else if has(&["contact", "unable", "could not"]) {
                "no_contact"
            } else if has(&["pend", "await", "booked", "arranged"]) {
                "pending"
            } else {
                "accepted"
            }
        }
        Field::Reason => {
            let by_words: [(&[&str], &str); 8] = [
                (&["famil", "parent", "mother", "father", "sibling"], "family_contact"),
                (&["sexual", "cse"], "cse"),
                (&["criminal", "county lines", "cce", "gang"], "cce"),
                (&["boyfriend", "girlfriend", "partner", "relationship", "romantic"], "romantic"),
                (&["friend"], "with_friends"),
                (&["drug", "alcohol", "substance"], "substance_misuse"),
                (&["placement", "carer", "home unhappy"], "placement_unhappy"),
                (&["unknown", "not known", "not stated"], "unknown"),
            ];
            by_words.iter().find(|(words, code)| has(words) && reason_codes.contains(code)).map_or("other", |(_, code)| code)
        }
        _ => {
            let first = lower.trim_start();
            if first.starts_with('y') || has(&["true", "confirmed"]) {
                "Y"
            } else if first.starts_with('n') || has(&["false"]) {
                "N"
            } else {
                "\"\""
            }
        }
    };
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_values_most_frequent_first_and_prints_lines_that_map_them() {
        let mut unrecognised = Unrecognised::default();
        for value in ["Home", "Care placement", "home", "Out of area placement", "Home"] {
            unrecognised.add(0, Field::PlacementArea, value.to_string());
        }
        unrecognised.add(0, Field::Reason, "Staying with friends".to_string());
        unrecognised.add(0, Field::Reason, "x".repeat(200));
        let names = vec![BTreeMap::from([(Field::PlacementArea, "Missing From".to_string()), (Field::Reason, "Reason".to_string())])];
        let report = unrecognised.report(&names, &["with_friends", "other"]);
        assert!(report.contains("unrecognised values in column `Missing From` (placement_area), 5 in all"), "{report}");
        assert!(report.contains("        3  Home\n        1  Care placement\n        1  Out of area placement\n"), "{report}");
        assert!(report.contains("(cells longer than 80 characters: free text, see the findings file)"), "{report}");
        assert!(report.contains("      \"Home\": in_area   # 3 rows\n"), "{report}");
        assert!(report.contains("      \"Out of area placement\": out_of_area   # 1 row\n"), "{report}");
        assert!(report.contains("      \"Staying with friends\": with_friends   # 1 row\n"), "{report}");
        assert!(!report.contains("xxxxxxxxxx"), "{report}");
    }

    #[test]
    fn keys_are_quoted_so_yaml_reads_them_as_written() {
        assert_eq!(yaml_key("Yes"), "\"Yes\"");
        assert_eq!(yaml_key("a \"b\": c"), "\"a \\\"b\\\": c\"");
    }
}
