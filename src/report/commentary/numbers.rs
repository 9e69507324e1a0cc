//! The number check: every number a manager typed in the commentary is
//! compared with the paper's figures about the same thing. A sentence's
//! topic (acceptance, 72 hours, children, episodes ...) picks the figures:
//! table cells whose row is about it, live figures of its metrics, and the
//! differences and percentage changes between cells of one row. A number
//! written as a change ("an increase of 20%") is compared with changes, a
//! level ("rose from 73% to 77%") with levels. One that matches none within
//! the rounding it was typed to is reported with its line and the nearest
//! figures, since two seed papers printed a rise of 23.6% as 20% and a rate
//! of 56.5% as 73%.

use std::collections::BTreeMap;
use std::fmt;

use super::blocks::{visit_runs, CommentaryFile, Inline};
use super::live::FigureBook;
use crate::metrics::Cohort;
use crate::report::table::Table;

/// A figure of the paper a typed number may match.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Always 0 or more: a fall is written as a positive number in words.
    pub value: f64,
    /// A percentage, a percentage change or a change in percentage points.
    pub percent: bool,
    /// A change or a difference, not a level.
    pub change: bool,
    /// What it is about (bits of `TOPICS`).
    pub topics: u32,
    /// Whose figure it is: all children, children in care or missing from home.
    pub cohort: Cohort,
    /// A live figure (else a table cell or a difference of two).
    pub live: bool,
    /// As printed, with where it is ("23.6% (Headline figures: Children, change)").
    pub description: String,
}

/// A typed number that matches no figure.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberFinding {
    pub path: String,
    pub line: usize,
    /// As typed: `20%`.
    pub typed: String,
    /// What the sentence is about, in words ("children"), if it says.
    pub about: String,
    /// The nearest figures of the same kind, described.
    pub nearest: Vec<String>,
}

impl fmt::Display for NumberFinding {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}:{}: {} matches no figure of the paper", self.path, self.line, self.typed)?;
        if !self.about.is_empty() {
            write!(f, " about {}", self.about)?;
        }
        if !self.nearest.is_empty() {
            write!(f, "; nearest: {}", self.nearest.join("; "))?;
        }
        Ok(())
    }
}

/// What a sentence or a figure is about, most specific first: words that
/// name it, and its name in findings. The last two (children, episodes)
/// count only when nothing more specific is named.
const TOPICS: [(&[&str], &str); 14] = [
    (&["accept"], "acceptance of interviews"),
    (&["declin"], "declined interviews"),
    (&["within 72", "72 hours of", "timel"], "interviews within 72 hours"),
    (&["complet", "interviews done", "interview done"], "completed interviews"),
    (&["offer"], "interview offers"),
    (&["more than 24", "over 24", "24 hours or more", "over_24h"], "episodes over 24 hours"),
    (&["absence"], "absences"),
    (&["no return", "still missing", "episodes_open", "open episode"], "open episodes"),
    (&["repeat"], "repeat missing"),
    (&["per child"], "episodes per child"),
    (&["top 20", "top20", "most episodes"], "the children with most episodes"),
    (&["interview", "rhi"], "return home interviews"),
    (&["child", "young people", "young person"], "children"),
    (&["episode", "incident", "occasion"], "episodes"),
];
/// The bits of `TOPICS`: the five kinds of interview figure, interviews in
/// general, and the general children and episodes.
const INTERVIEW_KINDS: u32 = 0b1_1111;
const INTERVIEWS: u32 = 1 << 11;
const GENERAL: u32 = 0b11 << 12;

/// The children a text is about: all, unless it names those in care or those missing from home.
fn cohort(text: &str) -> Cohort {
    let text = text.to_lowercase().replace('_', " ");
    if ["not looked after", "from home", "not in care"].iter().any(|w| text.contains(w)) {
        Cohort::NotLookedAfter
    } else if ["looked after", "in our care", "in care", "cared for", "care leaver"].iter().any(|w| text.contains(w)) {
        Cohort::LookedAfter
    } else {
        Cohort::All
    }
}

/// The topics `text` names: the specific ones, or else the general ones.
fn topics(text: &str) -> u32 {
    let text = text.to_lowercase().replace('_', " ");
    let mut found = 0;
    for (bit, (words, _)) in TOPICS.iter().enumerate() {
        if words.iter().any(|w| text.contains(&w.replace('_', " "))) {
            found |= 1 << bit;
        }
    }
    // "Interviews completed": completed is specific enough; "return home interview" is general among interviews.
    let specific = found & !GENERAL & !INTERVIEWS;
    if specific != 0 {
        specific
    } else if found & INTERVIEWS != 0 {
        INTERVIEWS | INTERVIEW_KINDS
    } else {
        found
    }
}

fn topic_words(bits: u32) -> String {
    TOPICS.iter().enumerate().filter(|(bit, _)| bits & (1 << bit) != 0).map(|(_, (_, name))| *name).collect::<Vec<_>>().join(", ")
}

/// A number found in text.
#[derive(Debug, Clone, PartialEq)]
struct Token {
    value: f64,
    decimals: usize,
    percent: bool,
    /// Written with a sign (`+55`, `−3.0 pts`).
    signed: bool,
    start: usize,
    end: usize,
}

/// Every figure of the paper a typed number may be: the tables' cells, the
/// live figures, and the differences and changes between neighbouring
/// periods of a table row (and its first and last), as a writer compares
/// one month, quarter or year with the next.
pub fn candidates(tables: &BTreeMap<String, Table>, book: &FigureBook) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (name, figure) in &book.figures {
        let change = name.ends_with(".change") || name.ends_with(".change_on_before");
        for token in tokens(&figure.text) {
            out.push(Candidate {
                value: token.value,
                percent: token.percent,
                change,
                topics: topics(name),
                cohort: cohort(name),
                live: true,
                description: format!("{} ({{{{{name}}}}})", figure.text),
            });
        }
    }
    for table in tables.values() {
        for row in &table.rows {
            // The row says what it counts; the title only when the row does not.
            let about = match topics(&row.label) {
                0 => topics(&table.title),
                found => found,
            };
            let mut levels: Vec<(Token, String, Cohort)> = Vec::new();
            for (i, cell) in row.cells.iter().enumerate() {
                let column = table.columns.get(i + 1).map(String::as_str).unwrap_or("");
                let place = format!("{}: {}, {}", table.title, row.label, column).replace(":, ", ": ");
                let change_column = column.to_lowercase().contains("change");
                let whose = cohort(&place);
                for (k, token) in tokens(cell).into_iter().enumerate() {
                    let change = token.signed || change_column;
                    out.push(Candidate {
                        value: token.value,
                        percent: token.percent,
                        change,
                        topics: about,
                        cohort: whose,
                        live: false,
                        description: format!("{cell} ({place})"),
                    });
                    // Differences are taken between periods (a column named by a year, quarter or month), not between groups.
                    let period_column = column.chars().filter(char::is_ascii_digit).count() >= 2;
                    if k == 0 && !change && period_column {
                        levels.push((token, format!("{cell} ({place})"), whose));
                    }
                }
            }
            // Neighbouring periods, and the first against the last.
            let mut pairs: Vec<(usize, usize)> = (1..levels.len()).map(|i| (i - 1, i)).collect();
            if levels.len() > 2 {
                pairs.push((0, levels.len() - 1));
            }
            for (i, j) in pairs {
                let ((a, a_text, whose), (b, b_text, _)) = (&levels[i], &levels[j]);
                let whose = *whose;
                if a.percent != b.percent {
                    continue;
                }
                {
                    let between = format!("{a_text} and {b_text}");
                    let difference = (b.value - a.value).abs();
                    let shown = if a.percent { format!("{difference:.1} pts") } else { format!("{difference}") };
                    out.push(Candidate {
                        value: difference,
                        percent: a.percent,
                        change: true,
                        topics: about,
                        cohort: whose,
                        live: false,
                        description: format!("{shown}, between {between}"),
                    });
                    if !a.percent {
                        for (from, to) in [(a.value, b.value), (b.value, a.value)] {
                            if from > 0.0 {
                                let change = (to - from).abs() * 100.0 / from;
                                out.push(Candidate {
                                    value: change,
                                    percent: true,
                                    change: true,
                                    topics: about,
                                    cohort: whose,
                                    live: false,
                                    description: format!("{change:.1}%, from {from} to {to} ({between})"),
                                });
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

/// The typed numbers of the commentary that match no figure, in file order.
pub fn check(file: &mut CommentaryFile, candidates: &[Candidate]) -> Vec<NumberFinding> {
    let mut findings = Vec::new();
    let path = file.path.clone();
    for slot in &mut file.slots {
        visit_runs(&mut slot.blocks, &mut |run| {
            // The run's whole text, and where each checked piece (text typed, not code or a live figure) lies in it.
            let mut full = String::new();
            let mut pieces = Vec::new();
            for inline in run.iter() {
                match inline {
                    Inline::Text { text, code, line, .. } => {
                        if !code {
                            pieces.push((full.len(), full.len() + text.len(), *line));
                        }
                        full.push_str(text);
                    }
                    Inline::Figure { text, .. } => full.push_str(text),
                    Inline::Link { content, .. } => full.push_str(&super::blocks::plain_text(content)),
                    Inline::Break => full.push(' '),
                    Inline::Footnote { .. } => {}
                }
            }
            for token in tokens(&full) {
                let Some(&(_, _, line)) = pieces.iter().find(|(start, end, _)| *start <= token.start && token.end <= *end) else {
                    continue;
                };
                if !is_a_figure(&full, &token) {
                    continue;
                }
                // The clause's topic ("and an increase of 20% in children"), else the sentence's.
                let sentence = sentence_around(&full, token.start);
                let about = match topics(clause_around(&full, token.start)) {
                    0 => topics(sentence),
                    clause => clause,
                };
                let change = is_written_as_change(&full, &token);
                let whose = cohort(sentence);
                let relevant: Vec<&Candidate> = candidates
                    .iter()
                    .filter(|c| {
                        c.change == change && c.cohort == whose && (!token.percent || c.percent) && (about == 0 || c.topics & about != 0)
                    })
                    .collect();
                if relevant.iter().any(|c| matches(&token, c)) {
                    continue;
                }
                // The nearest live figure (what the manager could cite instead), then the nearest cell.
                let distance = |c: &&Candidate| (c.value - token.value).abs();
                let closest = |live: bool| relevant.iter().filter(|c| c.live == live).min_by(|a, b| distance(a).total_cmp(&distance(b)));
                let nearest: Vec<String> = [closest(true), closest(false)].into_iter().flatten().map(|c| c.description.clone()).collect();
                findings.push(NumberFinding {
                    path: path.clone(),
                    line,
                    typed: full[token.start..token.end].to_string(),
                    about: topic_words(about),
                    nearest,
                });
            }
        });
    }
    findings
}

/// The sentence of `text` holding byte `at` (a full stop ends one only before a space).
fn sentence_around(text: &str, at: usize) -> &str {
    let ends = |(i, c): &(usize, char)| matches!(c, '.' | '!' | '?' | ';') && text[i + c.len_utf8()..].starts_with(char::is_whitespace);
    let start = text[..at].char_indices().rev().find(ends).map(|(i, c)| i + c.len_utf8()).unwrap_or(0);
    let end = text.char_indices().filter(|(i, _)| *i >= at).find(ends).map(|(i, _)| i).unwrap_or(text.len());
    &text[start..end]
}

/// The clause of `text` holding byte `at`: the part of its sentence between commas, "and" and "but".
fn clause_around(text: &str, at: usize) -> &str {
    let sentence = sentence_around(text, at);
    let offset = sentence.as_ptr() as usize - text.as_ptr() as usize;
    let at = at - offset;
    let breaks: Vec<(usize, usize)> = [",", ";", " and ", " but ", " while ", " whereas "]
        .iter()
        .flat_map(|sep| sentence.match_indices(sep).map(|(i, m)| (i, i + m.len())))
        .collect();
    let start = breaks.iter().filter(|(_, end)| *end <= at).map(|(_, end)| *end).max().unwrap_or(0);
    let end = breaks.iter().filter(|(begin, _)| *begin >= at).map(|(begin, _)| *begin).min().unwrap_or(sentence.len());
    &sentence[start..end]
}

const CHANGE_WORDS: [&str; 18] = [
    "increase",
    "increased",
    "increases",
    "rise",
    "rose",
    "risen",
    "fall",
    "fell",
    "fallen",
    "decrease",
    "decreased",
    "drop",
    "dropped",
    "reduction",
    "change",
    "changed",
    "growth",
    "grew",
];

/// Whether a number is written as a change: signed, after "up"/"down"/"by",
/// after "of" following a change word ("an increase of 20%"), or before a
/// change word ("a 20% rise", "23 more children").
fn is_written_as_change(text: &str, token: &Token) -> bool {
    if token.signed {
        return true;
    }
    let before: Vec<String> = words(&text[..token.start]).rev().take(4).collect();
    let after = words(&text[token.end..]).next().unwrap_or_default();
    let previous = before.first().map(String::as_str).unwrap_or("");
    matches!(previous, "up" | "down" | "by")
        || (previous == "of" && before.iter().skip(1).any(|w| CHANGE_WORDS.contains(&w.as_str())))
        || CHANGE_WORDS.contains(&after.as_str())
        || matches!(after.as_str(), "more" | "fewer" | "less" | "higher" | "lower")
}

/// Whether `candidate`, rounded as the number was typed, is that number.
fn matches(token: &Token, candidate: &Candidate) -> bool {
    if token.percent && !candidate.percent {
        return false;
    }
    let scale = 10f64.powi(token.decimals as i32);
    ((candidate.value * scale).round() - token.value * scale).abs() < 1e-6
}

const MONTHS: [&str; 24] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];
/// A number before one of these is a duration or a time, not a figure.
const UNITS: [&str; 18] = [
    "hour", "hours", "hrs", "hr", "day", "days", "week", "weeks", "month", "months", "year", "years", "minutes", "mins", "am", "pm",
    "working", "o",
];
/// A number after one of these names a thing (paragraph 3, aged 15), not a figure.
const NAMES: [&str; 22] = [
    "paragraph",
    "section",
    "page",
    "appendix",
    "table",
    "figure",
    "chart",
    "item",
    "point",
    "recommendation",
    "quarter",
    "aged",
    "age",
    "ages",
    "phase",
    "stage",
    "tier",
    "level",
    "number",
    "no",
    "top",
    "q",
];

/// Whether a number in commentary is a figure to check: not a year, a date,
/// a duration, a part of a word or code (Q1, 2024-25, 72-hour) or a label.
fn is_a_figure(text: &str, token: &Token) -> bool {
    let before = &text[..token.start];
    let after = &text[token.end..];
    let previous_char = before.chars().next_back();
    let next_char = after.chars().next();
    if previous_char.is_some_and(|c| c.is_alphanumeric() || matches!(c, '/' | '£' | '$' | '#' | '.' | '_'))
        || (previous_char == Some('-') && before.chars().rev().nth(1).is_some_and(char::is_alphanumeric))
        || next_char.is_some_and(|c| c.is_alphabetic() || matches!(c, '-' | '/' | '–' | '_'))
    {
        return false;
    }
    let whole = token.decimals == 0 && !token.percent;
    if whole && (1900.0..=2100.0).contains(&token.value) {
        return false;
    }
    let next_word = words(after).next().unwrap_or_default();
    let previous_word = words(before).next_back().unwrap_or_default();
    if whole && token.value <= 31.0 && (MONTHS.contains(&next_word.as_str()) || MONTHS.contains(&previous_word.as_str())) {
        return false;
    }
    !(UNITS.contains(&next_word.as_str()) || NAMES.contains(&previous_word.as_str()))
}

fn words(text: &str) -> impl DoubleEndedIterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

/// Numbers in text: `1,234`, `23.6`, `23.6%`, `21 per cent`, `2.1 pts`
/// (points count as percentages), `+55`, `−3`.
fn tokens(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && (bytes[i - 1].is_ascii_digit() || bytes[i - 1] == b'.')) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        // Thousands groups of exactly three digits.
        while i + 3 < bytes.len() + 1
            && bytes[i] == b','
            && bytes[i + 1..(i + 4).min(bytes.len())].len() == 3
            && bytes[i + 1..i + 4].iter().all(u8::is_ascii_digit)
            && !bytes.get(i + 4).is_some_and(u8::is_ascii_digit)
        {
            i += 4;
        }
        let mut decimals = 0;
        if i + 1 < bytes.len() && bytes[i] == b'.' && bytes[i + 1].is_ascii_digit() {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
                decimals += 1;
            }
        }
        let digits: String = text[start..i].chars().filter(|c| *c != ',').collect();
        let Ok(value) = digits.parse::<f64>() else { continue };
        let rest = text[i..].to_lowercase();
        let mut end = i;
        let mut percent = false;
        for suffix in ["%", " %", " per cent", " percent", " percentage points", " pts", " points"] {
            if rest.starts_with(suffix) {
                percent = true;
                end = i + suffix.len();
                break;
            }
        }
        let signed = text[..start].ends_with(['+', '−'])
            || (text[..start].ends_with('-') && !text[..start.saturating_sub(1)].ends_with(char::is_alphanumeric));
        out.push(Token { value, decimals, percent, signed, start, end });
        i = end.max(i);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(text: &str) -> Vec<(f64, usize, bool)> {
        tokens(text).into_iter().filter(|t| is_a_figure(text, t)).map(|t| (t.value, t.decimals, t.percent)).collect()
    }

    #[test]
    fn figures_are_read_as_typed_and_years_dates_durations_and_labels_are_not() {
        assert_eq!(
            typed("rose from 1,233 to 288, up 23.6% (2.1 pts)"),
            [(1233.0, 0, false), (288.0, 0, false), (23.6, 1, true), (2.1, 1, true)]
        );
        assert_eq!(typed("an increase of 20 per cent in children"), [(20.0, 0, true)]);
        assert_eq!(typed("In 2024-25 Q1, from 1 April 2024, within 72 hours, a 72-hour target, paragraph 3, aged 15"), []);
        assert_eq!(typed("the 1st and 2nd of 31 March; then 3,45 and 12.5"), [(3.0, 0, false), (45.0, 0, false), (12.5, 1, false)]);
        assert_eq!(typed("ends with 1,234"), [(1234.0, 0, false)]);
    }

    #[test]
    fn a_number_matches_a_figure_rounded_as_it_was_typed() {
        let figure = |value, percent| Candidate {
            value,
            percent,
            change: false,
            topics: 0,
            cohort: Cohort::All,
            live: false,
            description: String::new(),
        };
        let token = |text: &str| tokens(text).remove(0);
        assert!(matches(&token("77.7%"), &figure(77.66, true)));
        assert!(matches(&token("78%"), &figure(77.66, true)));
        assert!(!matches(&token("77%"), &figure(77.66, true)));
        assert!(!matches(&token("20%"), &figure(20.0, false)), "a percentage is not a count");
        assert!(matches(&token("20"), &figure(20.4, false)));
    }

    #[test]
    fn a_sentence_names_its_topic_and_says_whether_a_number_is_a_change() {
        assert_eq!(topic_words(topics("Acceptance rose from 73% to 77%")), "acceptance of interviews");
        assert_eq!(topic_words(topics("an increase of 20% in children")), "children");
        assert_eq!(
            topic_words(topics("Interviews completed within 72 hours of return")),
            "interviews within 72 hours, completed interviews"
        );
        assert_eq!(topic_words(topics("children_rhi_completed.quarter.change")), "completed interviews");
        assert_eq!(topics("The weather was fine"), 0);
        assert_eq!(cohort("Children in our care, month by month"), Cohort::LookedAfter);
        assert_eq!(cohort("not_looked_after.children.year"), Cohort::NotLookedAfter);
        assert_eq!(cohort("an increase of 20% in children"), Cohort::All);
        let change = |text: &str| is_written_as_change(text, &tokens(text)[0]);
        assert!(change("an increase of 20% in children") && change("a 20% rise") && change("up 5") && change("+55"));
        assert!(!change("rose from 73% to 77%") && !change("353 children"));
        assert_eq!(sentence_around("One is 56.5% here. Two is 3.", 8), "One is 56.5% here");
        let text = "Acceptance rose from 73% to 77%, and an increase of 20% in children.";
        assert_eq!(clause_around(text, text.find("20%").unwrap()), "an increase of 20% in children.");
    }
}
