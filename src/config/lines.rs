//! Where a key stands in the configuration text, for the errors serde
//! cannot place: checks made after reading (a column mapping the file's
//! header lacks, a value mapped onto one its column cannot hold). Block
//! keys are followed by indentation; a key inside a flow mapping
//! (`{ "Reasons": reason }`) is found on the lines of its parent.

/// The configuration's text, to look keys up in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeyLines {
    /// (indent, key as written without quotes, line number from 1, the line).
    lines: Vec<(usize, Option<String>, usize, String)>,
}

impl KeyLines {
    pub fn new(text: &str) -> Self {
        let lines = text
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
            .map(|(n, line)| {
                let indent = line.len() - line.trim_start().len();
                (indent, block_key(line.trim_start()), n + 1, line.to_string())
            })
            .collect();
        KeyLines { lines }
    }

    /// The line of `path` (keys from the top, as written; the last may sit in
    /// a flow mapping), or of the nearest parent found.
    pub fn line(&self, path: &[&str]) -> Option<usize> {
        let mut from = 0;
        let mut within: Option<usize> = None;
        let mut found = None;
        for (depth, key) in path.iter().enumerate() {
            let end = self.block_end(from, within);
            let block = self.lines[from..end]
                .iter()
                .position(|(indent, k, _, _)| k.as_deref().is_some_and(|k| same_key(k, key)) && within.is_none_or(|w| *indent > w));
            match block {
                Some(i) => {
                    let (indent, _, line, _) = &self.lines[from + i];
                    found = Some(*line);
                    within = Some(*indent);
                    from += i + 1;
                }
                None => {
                    // In a flow mapping on the parent's lines (or just after it).
                    let start = from.saturating_sub(1);
                    let flow = self.lines[start..end.max(from)].iter().find(|(_, _, _, text)| flow_has_key(text, key));
                    if let Some((_, _, line, _)) = flow {
                        return Some(*line);
                    }
                    return if depth == 0 { None } else { found };
                }
            }
        }
        found
    }

    /// The end of the block that starts at `from` under a key indented `within`.
    fn block_end(&self, from: usize, within: Option<usize>) -> usize {
        match within {
            None => self.lines.len(),
            Some(w) => self.lines[from..].iter().position(|(indent, _, _, _)| *indent <= w).map_or(self.lines.len(), |i| from + i),
        }
    }
}

/// The key of a block mapping line (`key:`, `"key": value`), without quotes.
fn block_key(line: &str) -> Option<String> {
    let line = line.strip_prefix("- ").unwrap_or(line);
    if let Some(quote) = line.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let rest = &line[1..];
        let close = rest.find(quote)?;
        return rest[close + 1..].trim_start().starts_with(':').then(|| rest[..close].to_string());
    }
    let colon = line.find(": ").or_else(|| line.strip_suffix(':').map(str::len))?;
    let key = &line[..colon];
    (!key.contains(['{', '[', '#'])).then(|| key.trim().to_string())
}

/// Whether a line holds `key` as a key of a flow mapping (`{ key: v }`, `"key": v`).
fn flow_has_key(line: &str, key: &str) -> bool {
    let lower = line.to_lowercase();
    let key = key.to_lowercase();
    [format!("\"{key}\""), format!("'{key}'"), key.clone()].iter().any(|written| {
        lower.match_indices(written.as_str()).any(|(at, _)| {
            let before = lower[..at].trim_end();
            let after = lower[at + written.len()..].trim_start();
            after.starts_with(':') && (before.ends_with('{') || before.ends_with(',') || before.is_empty())
        })
    })
}

/// Keys match as the configuration matches them: column names and values in any case, trimmed.
fn same_key(written: &str, wanted: &str) -> bool {
    written.trim().eq_ignore_ascii_case(wanted.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_block_and_flow_keys_by_their_path() {
        let text = "report:\n  title: x\ninput:\n  # a comment\n  columns:\n    \"Date Missing\": start\n    Reasons: reason\n  values: { rhi_outcome: { \"Accepted\": acepted } }\nrules:\n  repeat:\n    episodes: 3\n";
        let lines = KeyLines::new(text);
        assert_eq!(lines.line(&["input", "columns", "Date Missing"]), Some(6));
        assert_eq!(lines.line(&["input", "columns", "reasons"]), Some(7));
        assert_eq!(lines.line(&["input", "values", "rhi_outcome", "Accepted"]), Some(8));
        assert_eq!(lines.line(&["rules", "repeat", "episodes"]), Some(11));
        assert_eq!(lines.line(&["input", "columns", "absent"]), Some(5));
        assert_eq!(lines.line(&["targets"]), None);
    }
}
