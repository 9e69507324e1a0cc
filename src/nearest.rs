//! "Did you mean": the names nearest a mistyped one, for the errors on an
//! unknown slot heading, live figure, configuration key or header column.

/// Up to `count` of `names` nearest `typed` by edit distance (ties in the
/// order given), skipping any too far off to be a typing slip.
pub fn nearest<'a>(typed: &str, names: &[&'a str], count: usize) -> Vec<&'a str> {
    let typed = typed.to_lowercase();
    let mut scored: Vec<(usize, usize, &str)> = names
        .iter()
        .enumerate()
        .map(|(order, name)| {
            let distance = distance(&typed, name);
            // A name the typed text is part of ("children" in "children.year") is near too.
            let distance = if name.contains(typed.as_str()) || typed.contains(name) { distance.min(2) } else { distance };
            (distance, order, *name)
        })
        .collect();
    scored.sort();
    let limit = typed.chars().count().max(4) / 2 + 1;
    let close: Vec<&str> = scored.iter().filter(|(d, _, _)| *d <= limit).take(count).map(|(_, _, n)| *n).collect();
    if close.is_empty() {
        scored.iter().take(count).map(|(_, _, n)| *n).collect()
    } else {
        close
    }
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slip_finds_the_name_meant() {
        let slots = ["summary", "all_children", "children_in_care", "missing_from_home"];
        assert_eq!(nearest("children_in_our_care", &slots, 1), ["children_in_care"]);
        assert_eq!(nearest("sumary", &slots, 2)[0], "summary");
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
    }
}
