//! The reason vocabulary of INPUT.md: the codes a `reason` cell is read
//! into and the label each prints as. A leaf like `rules`: ingest codes the
//! cells with it, the report and the charts print its labels, so no text
//! from a source system reaches a paper except through it.

use anyhow::{bail, Result};

/// The built-in codes and their printed labels, in INPUT.md's order.
const BUILT_IN: [(&str, &str); 9] = [
    ("with_friends", "With friends"),
    ("family_contact", "Family contact"),
    ("cse", "CSE"),
    ("cce", "CCE"),
    ("romantic", "Romantic"),
    ("substance_misuse", "Substance misuse"),
    ("placement_unhappy", "Placement unhappy"),
    ("other", "Other"),
    ("unknown", "Unknown"),
];

/// A code is at most this long: it is a category id in every export.
pub const CODE_LIMIT: usize = 40;
/// A label is at most this long: it must fit a table's first column and a chart's axis.
pub const LABEL_LIMIT: usize = 60;

/// The code an unmatched reason counts under.
pub const UNMATCHED: &str = "other";

/// Every reason code with its label: the built-in ones, then the authority's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReasonVocabulary {
    entries: Vec<(String, String)>,
}

impl Default for ReasonVocabulary {
    fn default() -> Self {
        ReasonVocabulary { entries: BUILT_IN.iter().map(|(c, l)| (c.to_string(), l.to_string())).collect() }
    }
}

impl ReasonVocabulary {
    /// The built-in vocabulary with the authority's codes added (or a built-in
    /// code's label replaced): `(code, label)` as the configuration writes them.
    /// A code must be lower-case letters, digits and `_`; labels are bounded.
    pub fn with(own: &[(String, String)]) -> Result<Self> {
        let mut vocabulary = ReasonVocabulary::default();
        for (code, label) in own {
            check_code(code)?;
            let label = label.trim();
            if label.is_empty() {
                bail!("the reason `{code}` has an empty label: write the words the paper should print");
            }
            if label.chars().count() > LABEL_LIMIT {
                bail!("the label of reason `{code}` is {} characters long; the limit is {LABEL_LIMIT}", label.chars().count());
            }
            if label.chars().any(char::is_control) {
                bail!("the label of reason `{code}` holds a control character");
            }
            match vocabulary.entries.iter_mut().find(|(c, _)| c == code) {
                Some(entry) => entry.1 = label.to_string(),
                None => vocabulary.entries.push((code.clone(), label.to_string())),
            }
        }
        Ok(vocabulary)
    }

    /// The codes, built-in first.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(code, _)| code.as_str())
    }

    /// Where `code`, written exactly as the vocabulary writes it, stands in
    /// the vocabulary, with the vocabulary's own copy of it.
    pub fn position(&self, code: &str) -> Option<(usize, &str)> {
        self.entries.iter().enumerate().find(|(_, (c, _))| c == code).map(|(i, (c, _))| (i, c.as_str()))
    }

    /// The label a code prints as; `None` for a code outside the vocabulary.
    pub fn label(&self, code: &str) -> Option<&str> {
        self.entries.iter().find(|(c, _)| c == code).map(|(_, label)| label.as_str())
    }

    /// The code one reason (one part of a cell split on `;`) is written as:
    /// a code in any case, with spaces or hyphens for `_`, or a label in any
    /// case. `None`: not in the vocabulary.
    pub fn code_of(&self, text: &str) -> Option<&str> {
        let text = text.trim();
        if let Some((code, _)) = self.entries.iter().find(|(code, _)| code.as_str() == text) {
            return Some(code);
        }
        let as_code = label_key(text);
        self.entries.iter().find(|(code, label)| *code == as_code || label_key(label) == as_code).map(|(code, _)| code.as_str())
    }
}

/// A label's words in lower case joined by `_`: "Argument at home" → `argument_at_home`.
fn label_key(label: &str) -> String {
    label
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("_")
}

/// A code as the configuration may write it: 1 to 40 of `a-z`, `0-9`, `_`, starting with a letter.
pub fn check_code(code: &str) -> Result<()> {
    let ok = code.len() <= CODE_LIMIT
        && code.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !ok {
        bail!("`{code}` is not a reason code: use 1 to {CODE_LIMIT} lower-case letters, digits and _, starting with a letter (e.g. argument_at_home)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels_are_recognised_in_any_case_and_the_authority_adds_its_own() {
        let own = [("argument_at_home".to_string(), "Argument at home".to_string()), ("romantic".to_string(), "Relationship".to_string())];
        let vocabulary = ReasonVocabulary::with(&own).unwrap();
        assert_eq!(vocabulary.code_of("with_friends"), Some("with_friends"));
        assert_eq!(vocabulary.code_of(" With Friends "), Some("with_friends"));
        assert_eq!(vocabulary.code_of("substance-misuse"), Some("substance_misuse"));
        assert_eq!(vocabulary.code_of("ARGUMENT AT HOME"), Some("argument_at_home"));
        assert_eq!(vocabulary.code_of("Relationship"), Some("romantic"));
        assert_eq!(vocabulary.code_of("Staying with friends"), None);
        assert_eq!(vocabulary.label("romantic"), Some("Relationship"));
        assert_eq!(vocabulary.label("cse"), Some("CSE"));
        assert_eq!(vocabulary.codes().last(), Some("argument_at_home"));
    }

    #[test]
    fn a_bad_code_or_an_unbounded_label_is_refused() {
        let err = ReasonVocabulary::with(&[("County lines / CCE".to_string(), "x".to_string())]).unwrap_err();
        assert!(err.to_string().contains("`County lines / CCE` is not a reason code"), "{err}");
        let err = ReasonVocabulary::with(&[("long".to_string(), "x".repeat(61))]).unwrap_err();
        assert!(err.to_string().contains("61 characters long; the limit is 60"), "{err}");
        assert!(ReasonVocabulary::with(&[("blank".to_string(), " ".to_string())]).is_err());
    }
}
