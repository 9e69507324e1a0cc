//! The `input:` section checked before any file is read, each error naming
//! the key and its line: column mappings onto canonical columns (one source
//! each), value mappings onto values their column can hold, the authority's
//! reason codes, and the date patterns.

use std::collections::BTreeMap;

use anyhow::{bail, Result};

use super::raw::{ConfigSource, RawInput};
use crate::ingest::{check_date_format, mapped_value_problem, Field, InputOptions, MappedColumn};
use crate::nearest::nearest;
use crate::reasons::ReasonVocabulary;

/// What ingest needs from `input:`, checked.
pub(super) fn resolve(raw: &RawInput, source: &ConfigSource) -> Result<InputOptions> {
    let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
    let canonical = |path: &[&str], name: &str, what: &str| -> Result<Field> {
        let wanted = name.trim().to_lowercase();
        match Field::ALL.iter().find(|f| f.name() == wanted) {
            Some(field) => Ok(*field),
            None => bail!(
                "{}{what} `{}`, which is not a canonical column{} (the canonical columns: {})",
                source.at(path),
                name.trim(),
                nearest(&wanted, &names, 1).first().map(|n| format!("; did you mean `{n}`?")).unwrap_or_default(),
                names.join(", ")
            ),
        }
    };

    let own: Vec<(String, String)> = raw.reasons.iter().map(|(code, label)| (code.trim().to_string(), label.clone())).collect();
    let reasons = match ReasonVocabulary::with(&own) {
        Ok(reasons) => reasons,
        Err(problem) => {
            // Name the line of the code at fault.
            let code = own.iter().find(|(code, label)| ReasonVocabulary::with(&[(code.clone(), label.clone())]).is_err());
            let at = code.map_or_else(|| source.at(&["input", "reasons"]), |(code, _)| source.at(&["input", "reasons", code]));
            bail!("{at}input.reasons: {problem}");
        }
    };

    let mut columns: BTreeMap<String, MappedColumn> = BTreeMap::new();
    let mut by_field: BTreeMap<Field, &str> = BTreeMap::new();
    for (column, target) in &raw.columns {
        let path = ["input", "columns", column.as_str()];
        let field = canonical(&path, target, &format!("input.columns maps `{}` onto", column.trim()))?;
        if let Some(first) = by_field.insert(field, column) {
            bail!(
                "{}input.columns maps both `{}`{} and `{}` onto {}: a canonical column takes one source column; remove one",
                source.at(&path),
                first.trim(),
                source.lines.line(&["input", "columns", first]).map(|n| format!(" (line {n})")).unwrap_or_default(),
                column.trim(),
                field.name()
            );
        }
        let key = column.trim().to_lowercase();
        if columns.contains_key(&key) {
            bail!("{}input.columns names `{}` twice (column names are matched in any case)", source.at(&path), column.trim());
        }
        columns.insert(key, MappedColumn { field, written: column.trim().to_string(), at: source.at(&path) });
    }

    let mut values: BTreeMap<Field, BTreeMap<String, String>> = BTreeMap::new();
    for (column, map) in &raw.values {
        let field = canonical(&["input", "values", column.as_str()], column, "input.values names")?;
        let mut checked = BTreeMap::new();
        for (from, to) in map {
            if let Some(problem) = mapped_value_problem(field, to, &reasons) {
                bail!(
                    "{}input.values.{}: `{}` is mapped onto `{}`, which {problem}",
                    source.at(&["input", "values", column.as_str(), from.as_str()]),
                    field.name(),
                    from.trim(),
                    to.trim()
                );
            }
            checked.insert(from.trim().to_lowercase(), to.trim().to_string());
        }
        values.insert(field, checked);
    }

    for pattern in &raw.date_formats {
        if let Err(problem) = check_date_format(pattern) {
            bail!("{}input.date_formats: `{pattern}` {problem}", source.at(&["input", "date_formats"]));
        }
    }
    if let Some(year) = raw.collection_year.filter(|y| !(2000..=2100).contains(y)) {
        bail!(
            "{}input.collection_year: {year} is not a collection year: write the year it ends in, e.g. 2024 for April 2023 to March 2024",
            source.at(&["input", "collection_year"])
        );
    }
    Ok(InputOptions {
        sheet: raw.sheet.clone(),
        columns,
        values,
        date_formats: raw.date_formats.clone(),
        reasons,
        collection_year: raw.collection_year.map(|y| y as i32),
    })
}

#[cfg(test)]
mod tests {
    use super::super::raw::RawConfig;
    use super::*;

    fn error(text: &str) -> String {
        let raw = RawConfig::parse(text, "c.yaml").unwrap();
        format!("{:#}", resolve(&raw.input, &raw.source).unwrap_err())
    }

    #[test]
    fn mapping_mistakes_name_the_key_and_its_line() {
        let err = error("input:\n  columns:\n    Person ID: child_id\n    Date Missing: strat\n");
        assert!(err.starts_with("c.yaml: line 4: input.columns maps `Date Missing` onto `strat`"), "{err}");
        assert!(err.contains("did you mean `start`?"), "{err}");
        let err = error("input:\n  columns:\n    Date Missing: start\n    Date Reported: start\n");
        assert!(err.starts_with("c.yaml: line 4: input.columns maps both `Date Missing` (line 3) and `Date Reported` onto start"), "{err}");
        let err = error("input:\n  values:\n    rhi_outcome:\n      Accepted: acepted\n");
        assert!(err.starts_with("c.yaml: line 4: input.values.rhi_outcome: `Accepted` is mapped onto `acepted`"), "{err}");
        assert!(err.contains("one of: accepted, declined, no_contact, pending"), "{err}");
        let err = error("input:\n  values: { reasons: { x: cse } }\n");
        assert!(err.starts_with("c.yaml: line 2: input.values names `reasons`") && err.contains("did you mean `reason`?"), "{err}");
        let err = error("input:\n  reasons:\n    argument_at_home: Argument at home\n    County lines: County lines\n");
        assert!(err.starts_with("c.yaml: line 4: input.reasons: `County lines` is not a reason code"), "{err}");
        let err = error("input:\n  values:\n    reason:\n      Staying with friends: friends\n");
        assert!(err.contains("line 4") && err.contains("one of: with_friends, family_contact"), "{err}");
    }

    #[test]
    fn the_authority_s_reasons_may_be_mapped_onto() {
        let raw = RawConfig::parse(
            "input:\n  reasons: { argument_at_home: Argument at home }\n  values:\n    reason: { \"Row with parents\": argument_at_home, Gone: '' }\n",
            "c.yaml",
        )
        .unwrap();
        let options = resolve(&raw.input, &raw.source).unwrap();
        assert_eq!(options.values[&Field::Reason]["row with parents"], "argument_at_home");
        assert_eq!(options.reasons.label("argument_at_home"), Some("Argument at home"));
    }
}
