//! Number and word formatting shared by the charts, the narrative and the
//! report, so a figure reads the same in a chart label, a sentence and a table.

/// `1,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The text with its first letter in upper case: `with friends` → `With friends`.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A name as a folder name: lower-case letters and digits, each other run
/// of characters one hyphen (`Bath & North East Somerset` →
/// `bath-north-east-somerset`). Letters outside ASCII are dropped with the
/// rest, so a name of nothing else gives an empty slug.
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_words_joined_by_hyphens() {
        assert_eq!(slug("Bath & North East Somerset"), "bath-north-east-somerset");
        assert_eq!(slug("  St. Helens (MBC) "), "st-helens-mbc");
        assert_eq!(slug("Authority 007"), "authority-007");
        assert_eq!(slug("***"), "");
    }

    #[test]
    fn groups_thousands_with_commas() {
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(0), "0");
    }

    #[test]
    fn capitalises_the_first_letter_only() {
        assert_eq!(capitalise("with friends"), "With friends");
        assert_eq!(capitalise("éloped"), "Éloped");
        assert_eq!(capitalise(""), "");
    }
}
