//! The one JSON document a template receives (`data.json`): every figure
//! already computed and formatted for print, so a template is pure layout and
//! can be edited by someone who knows no Rust. Built only from `Metrics`,
//! `Charts`, `DataQuality`, the commentary and the report settings: no
//! identifiers reach it.

use serde::Serialize;

use super::commentary::Commentary;
use crate::charts::Charts;
use crate::config::{Config, ReportMeta};
use crate::ingest::{Action, DataQuality};
use crate::metrics::{Cohort, Dimension, Metric, Metrics, Value, Window};
use crate::narrative::{Narrative, Sentence};
use crate::period::MONTH_NAMES;
use crate::text::thousands;

#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    pub meta: Meta,
    pub headline: Headline,
    /// Summary sentences computed from the same figures as the tables.
    pub narrative: Vec<Sentence>,
    /// Breakdowns of the reporting year to date ("who went missing").
    pub profile: Vec<BreakdownTable>,
    /// The small-number threshold, when suppression is on.
    pub suppression: Option<String>,
    pub key_figures: Vec<KeyFigure>,
    pub charts: Vec<ChartRef>,
    pub quarterly: Vec<QuarterlyTable>,
    pub commentary: Commentary,
    pub data_quality: QualitySummary,
    pub definitions: Vec<Definition>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub authority: String,
    pub title: String,
    pub committee: Option<String>,
    pub meeting_date: Option<String>,
    pub lead_officer: Option<String>,
    pub cabinet_member: Option<String>,
    pub author: Option<String>,
    pub contact: Option<String>,
    pub classification: String,
    /// `March 2025`.
    pub period_end: String,
    /// `2024-25` (or `2024-25 to date`).
    pub year_label: String,
    pub previous_year_label: String,
    /// `April 2024 to March 2025`.
    pub reporting_period: String,
    pub partial_year: bool,
    /// `1 April 2022 to 31 March 2025`: the span of the episodes read.
    pub data_span: String,
}

/// Headline figures for the reporting year to date against the same months a year earlier.
#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    pub current_label: String,
    pub previous_label: String,
    pub rows: Vec<HeadlineRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HeadlineRow {
    pub label: String,
    pub current: String,
    pub previous: String,
    pub change: String,
    /// `up`, `down`, `same` or `none`: for arrows, never for judging good or bad.
    pub direction: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct BreakdownTable {
    pub dimension: &'static str,
    pub cohort: &'static str,
    pub title: String,
    /// Rows of (category label, children, episodes); episodes blank where not reported.
    pub rows: Vec<[String; 3]>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyFigure {
    pub label: String,
    pub value: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChartRef {
    pub name: String,
    /// Path the template opens: `charts/<name>.svg`.
    pub file: String,
    pub title: String,
    pub caption: String,
    pub alt: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuarterlyTable {
    pub cohort: &'static str,
    pub title: String,
    pub year_label: String,
    pub columns: Vec<String>,
    pub rows: Vec<TableRow>,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableRow {
    pub label: String,
    pub cells: Vec<String>,
    /// Rates are set in italics and rows of counts in roman.
    pub is_rate: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct QualitySummary {
    pub files: Vec<String>,
    /// How files were read (e.g. transcoded), and the extract date in force.
    pub notes: Vec<String>,
    pub rows_read: String,
    pub rows_counted: String,
    pub absences: String,
    pub rules: Vec<QualityRule>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QualityRule {
    pub rule: &'static str,
    pub description: &'static str,
    pub action: &'static str,
    pub count: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Definition {
    pub term: String,
    pub meaning: String,
}

/// Shown wherever a metric's input columns are missing from the data.
pub const NOT_RECORDED: &str = "not recorded";
/// Shown for a period not yet reached or a rate with no denominator.
pub const NO_VALUE: &str = "–";

/// A value as printed: counts with separators, rates to one decimal place.
pub fn format_value(metric: Metric, value: Option<Value>) -> String {
    match value {
        None => NOT_RECORDED.into(),
        Some(Value::Count(n)) => thousands(n),
        Some(Value::Rate(None)) => NO_VALUE.into(),
        Some(Value::Suppressed) => "c".into(),
        Some(Value::Rate(Some(r))) if metric == Metric::EpisodesPerChild => format!("{r:.1}"),
        Some(Value::Rate(Some(r))) => format!("{r:.1}%"),
    }
}

/// The change from `old` to `new`: counts as a number and a percentage of
/// `old`; percentages in percentage points. Computed from unrounded values.
fn change(metric: Metric, new: Option<Value>, old: Option<Value>) -> (String, &'static str) {
    let (Some(new), Some(old)) = (new.and_then(Value::as_f64), old.and_then(Value::as_f64)) else {
        return (NO_VALUE.into(), "none");
    };
    let diff = new - old;
    let direction = if diff.abs() < 1e-9 {
        "same"
    } else if diff > 0.0 {
        "up"
    } else {
        "down"
    };
    let sign = if diff > 0.0 { "+" } else if diff < 0.0 { "−" } else { "" };
    let text = match metric {
        Metric::EpisodesPerChild => format!("{sign}{:.1}", diff.abs()),
        m if m.is_rate() => format!("{sign}{:.1} pts", diff.abs()),
        _ if old == 0.0 => format!("{sign}{}", thousands(diff.abs() as u64)),
        _ => format!("{sign}{} ({sign}{:.1}%)", thousands(diff.abs() as u64), (diff / old * 100.0).abs()),
    };
    (if direction == "same" { "no change".into() } else { text }, direction)
}

const HEADLINE: [(Metric, &str); 11] = [
    (Metric::Children, "Children who went missing"),
    (Metric::Episodes, "Missing episodes"),
    (Metric::EpisodesPerChild, "Episodes per child"),
    (Metric::EpisodesOver24h, "Episodes lasting more than 24 hours"),
    (Metric::Absences, "Absences (not counted as missing)"),
    (Metric::PctChildrenRhiOffered, "Children offered a return home interview"),
    (Metric::PctEpisodesRhiOffered, "Episodes with an interview offered"),
    (Metric::PctRhiAccepted, "Offers accepted"),
    (Metric::PctEpisodesRhiCompleted, "Episodes with an interview completed"),
    (Metric::PctRhiWithin72h, "Interviews completed within 72 hours of return"),
    (Metric::EpisodesOpen, "Episodes with no return recorded"),
];

const QUARTERLY: [(Metric, &str); 9] = [
    (Metric::Children, "Children who went missing"),
    (Metric::Episodes, "Missing episodes"),
    (Metric::EpisodesRhiOffered, "Interviews offered"),
    (Metric::EpisodesRhiAccepted, "Offers accepted"),
    (Metric::PctRhiAccepted, "% of offers accepted"),
    (Metric::EpisodesRhiDeclined, "Offers declined"),
    (Metric::EpisodesRhiCompleted, "Interviews completed"),
    (Metric::EpisodesRhiWithin72h, "Completed within 72 hours"),
    (Metric::PctRhiWithin72h, "% completed within 72 hours"),
];

impl ReportData {
    pub fn new(
        config: &Config,
        metrics: &Metrics,
        charts: &Charts,
        quality: &DataQuality,
        narrative: &Narrative,
        commentary: Commentary,
    ) -> Self {
        let report = &metrics.report;
        let year = metrics.year;
        let current = report.year_to_date;
        let previous = current.year_earlier();
        let to_date = if report.partial_year { " to date" } else { "" };
        let meta = meta(&config.report, metrics, to_date);

        let rows = HEADLINE
            .iter()
            .map(|(metric, label)| {
                let new = metrics.value(Cohort::All, current, *metric);
                let old = if metrics.covers(previous) { metrics.value(Cohort::All, previous, *metric) } else { None };
                let (change, direction) = change(*metric, new, old);
                let previous_text = if metrics.covers(previous) { format_value(*metric, old) } else { "no data".into() };
                HeadlineRow { label: label.to_string(), current: format_value(*metric, new), previous: previous_text, change, direction }
            })
            .collect();
        let headline = Headline {
            current_label: current.name(),
            previous_label: previous.name(),
            rows,
        };

        let figure = |metric: Metric, label: &str, note: &str| KeyFigure {
            label: label.into(),
            value: format_value(metric, metrics.value(Cohort::All, current, metric)),
            note: note.into(),
        };
        let key_figures = vec![
            figure(Metric::Children, "children went missing", "each counted once in the period"),
            figure(Metric::Episodes, "missing episodes", "each occasion counted"),
            figure(Metric::PctRhiAccepted, "of interview offers accepted", "episodes offered an interview"),
            figure(Metric::PctRhiWithin72h, "of interviews within 72 hours", "of interviews completed"),
        ];

        let charts = charts
            .charts
            .iter()
            .map(|c| ChartRef {
                name: c.name.to_string(),
                file: format!("charts/{}.svg", c.name),
                title: c.title.clone(),
                caption: c.caption.clone(),
                alt: c.alt.clone(),
            })
            .collect();

        let mut quarterly = Vec::new();
        for (cohort, title) in [(Cohort::All, "All children"), (Cohort::LookedAfter, "Children in our care")] {
            for (windows, ytd) in [(report.quarters.clone(), current), (report.quarters.iter().map(|w| w.year_earlier()).collect(), previous)] {
                if !metrics.covers(ytd) {
                    continue;
                }
                quarterly.push(quarterly_table(metrics, cohort, title, &windows, ytd, year.year_label(ytd.first), report.partial_year));
            }
        }

        let data_quality = QualitySummary {
            files: quality.files.clone(),
            notes: quality_notes(config, quality),
            rows_read: thousands(quality.rows_read as u64),
            rows_counted: whole_span_count(metrics),
            absences: thousands(quality.findings.iter().filter(|f| f.rule == crate::ingest::Rule::AbsenceExcluded).count() as u64),
            rules: quality
                .counts()
                .into_iter()
                .map(|(rule, action, count)| QualityRule {
                    rule: rule.id(),
                    description: rule.description(),
                    action: match action {
                        Action::Excluded => "row not counted",
                        Action::FieldIgnored => "value treated as unknown",
                        Action::Kept => "counted, flagged for checking",
                    },
                    count: thousands(count as u64),
                })
                .collect(),
        };

        let profile = profile(metrics, current);
        let threshold = metrics.suppression_threshold;
        ReportData {
            meta,
            headline,
            narrative: narrative.sentences.clone(),
            profile,
            suppression: (threshold > 0).then(|| {
                format!("Counts from 1 to {} in the breakdowns are shown as c (and one more cell where a hidden count could otherwise be worked out from the total), so that no child can be identified. Totals are exact.", threshold - 1)
            }),
            key_figures,
            charts,
            quarterly,
            commentary,
            data_quality,
            definitions: definitions(config, metrics),
        }
    }
}

/// A category id as printed: `10_12` → `10 to 12`, `with_friends` → `With friends`.
pub fn category_label(dimension: Dimension, category: &str) -> String {
    let fixed = match (dimension, category) {
        (_, "under_24h") => "Under 24 hours",
        (_, "24_72h") => "24 to 72 hours",
        (_, "3_7_days") => "3 to 7 days",
        (_, "over_7_days") => "Over 7 days",
        (_, "open") => "Still missing",
        (_, "other_unknown") => "Other or not known",
        (_, "not_known") => "Not known",
        (_, "not_recorded") => "Not recorded",
        (_, "in_area") => "In area",
        (_, "out_of_area") => "Out of area",
        (Dimension::Exploitation, "both") => "CSE and CCE",
        (Dimension::Exploitation, "none") => "Neither",
        (_, "cse") => "CSE",
        (_, "cce") => "CCE",
        (_, "11_plus") => "11 or more",
        _ => "",
    };
    if !fixed.is_empty() {
        return fixed.to_string();
    }
    if let Some(age) = category.strip_prefix("under_") {
        return format!("Under {age}");
    }
    if let Some(age) = category.strip_suffix("_plus") {
        return format!("{age} and over");
    }
    let words = category.replace('_', " ");
    if let Some((a, b)) = category.split_once('_') {
        if a.bytes().all(|c| c.is_ascii_digit()) && b.bytes().all(|c| c.is_ascii_digit()) {
            return format!("{a} to {b}");
        }
    }
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

fn profile(metrics: &Metrics, window: Window) -> Vec<BreakdownTable> {
    let titles = [
        (Dimension::AgeBand, Cohort::All, "Age at the start of the episode", None),
        (Dimension::Sex, Cohort::All, "Sex", None),
        (Dimension::EthnicityGroup, Cohort::All, "Ethnicity", None),
        (Dimension::Exploitation, Cohort::All, "Exploitation concerns", None),
        (Dimension::Reason, Cohort::All, "Reasons recorded", Some("An episode with several reasons counts under each.")),
        (Dimension::DurationBand, Cohort::All, "How long the episode lasted", None),
        (Dimension::EpisodesPerChild, Cohort::All, "Children by number of episodes", None),
        (Dimension::PlacementArea, Cohort::LookedAfter, "Children in our care: where placed", None),
    ];
    let mut tables = Vec::new();
    for (dimension, cohort, title, note) in titles {
        let Some(rows) = metrics.breakdown(cohort, window, dimension) else { continue };
        let rows = rows
            .iter()
            .map(|r| {
                let episodes = r.episodes.map(|e| format_value(Metric::Episodes, Some(e))).unwrap_or_default();
                [category_label(dimension, &r.category), format_value(Metric::Children, Some(r.children)), episodes]
            })
            .collect();
        tables.push(BreakdownTable { dimension: dimension.id(), cohort: cohort.id(), title: title.into(), rows, note: note.map(str::to_string) });
    }
    tables
}

fn quality_notes(config: &Config, quality: &DataQuality) -> Vec<String> {
    let mut notes = quality.notes.clone();
    notes.push(match config.rules.extract_date {
        Some(date) => format!(
            "Extract date {}: episodes starting after it are left out as future starts.",
            date.format("%-d %B %Y")
        ),
        None => "Episodes starting after the day the report was built are left out as future starts (no extract date was configured).".into(),
    });
    notes
}

/// Episodes counted over the whole data (sum of every month).
fn whole_span_count(metrics: &Metrics) -> String {
    let total: u64 = Window::new(metrics.first_month, metrics.last_month)
        .months()
        .filter_map(|m| metrics.totals(Cohort::All, Window::new(m, m)))
        .map(|t| t.episodes)
        .sum();
    thousands(total)
}

fn meta(report: &ReportMeta, metrics: &Metrics, to_date: &str) -> Meta {
    let ytd = metrics.report.year_to_date;
    let long = |d: chrono::NaiveDate| {
        use chrono::Datelike;
        format!("{} {} {}", d.day(), MONTH_NAMES[d.month0() as usize], d.year())
    };
    Meta {
        authority: report.authority.clone(),
        title: report.title.clone(),
        committee: report.committee.clone(),
        meeting_date: report.meeting_date.map(long),
        lead_officer: report.lead_officer.clone(),
        cabinet_member: report.cabinet_member.clone(),
        author: report.author.clone(),
        contact: report.contact.clone(),
        classification: report.classification.clone(),
        period_end: metrics.report.period_end.long_name(),
        year_label: format!("{}{to_date}", metrics.year.year_label(ytd.first)),
        previous_year_label: metrics.year.year_label(ytd.first.plus(-12)),
        reporting_period: format!("{} to {}", ytd.first.long_name(), ytd.last.long_name()),
        partial_year: metrics.report.partial_year,
        data_span: format!("{} to {}", metrics.first_month.long_name(), metrics.last_month.long_name()),
    }
}

fn quarterly_table(
    metrics: &Metrics,
    cohort: Cohort,
    title: &str,
    quarters: &[Window],
    year: Window,
    year_label: String,
    partial: bool,
) -> QuarterlyTable {
    let mut columns: Vec<String> = (1..=4)
        .map(|q| match quarters.get(q - 1) {
            Some(w) if w.last.0 - w.first.0 < 2 => format!("Q{q} to {}", crate::period::MONTH_ABBREVIATIONS[w.last.month() as usize - 1]),
            _ => format!("Q{q}"),
        })
        .collect();
    columns.push(if partial { "Year to date".into() } else { "Year".into() });
    let rows = QUARTERLY
        .iter()
        .map(|(metric, label)| {
            let mut cells: Vec<String> = (0..4)
                .map(|q| match quarters.get(q) {
                    Some(w) => format_value(*metric, metrics.value(cohort, *w, *metric)),
                    None => NO_VALUE.into(),
                })
                .collect();
            cells.push(format_value(*metric, metrics.value(cohort, year, *metric)));
            TableRow { label: label.to_string(), cells, is_rate: metric.is_rate() }
        })
        .collect();
    QuarterlyTable {
        cohort: cohort.id(),
        title: if partial {
            format!("{title}, {year_label} ({} to {})", year.first.long_name(), year.last.long_name())
        } else {
            format!("{title}, {year_label}")
        },
        year_label,
        columns,
        rows,
        note: "Children are counted once in each column: the year figure is the number of different children in the year, not the sum of the quarters. % accepted is of interviews offered; % within 72 hours is of interviews completed, measured from the time the child was found or returned.".into(),
    }
}

fn definitions(config: &Config, metrics: &Metrics) -> Vec<Definition> {
    let rules = &metrics.rules;
    let d = |term: &str, meaning: String| Definition { term: term.into(), meaning };
    vec![
        d("Missing episode", "One occasion on which a child was reported missing, counted in the month, quarter and year in which it started.".into()),
        d("Children", "Different children with at least one counted episode in the period. A child is counted once in a period however many times they went missing in it, so yearly figures are not the sum of monthly or quarterly ones.".into()),
        d("Children in our care", "Episodes where the child was looked after by this authority when the episode started.".into()),
        d(
            "Children looked after by other authorities",
            if rules.include_other_la {
                "Included: their episodes are counted.".into()
            } else {
                "Not counted: the placing authority is responsible for their return home interviews. The number left out is in the data-quality appendix.".into()
            },
        ),
        d(
            "Absences",
            if rules.include_absent {
                "Episodes recorded as absent (whereabouts known) are counted as missing episodes.".into()
            } else {
                "Episodes recorded as absent (away from placement, whereabouts known) are not missing episodes; they are counted separately as absences.".into()
            },
        ),
        d("Return home interview (RHI)", "A conversation offered to the child after each return to understand why they went missing and what risks they face. Statutory guidance expects it within 72 hours of return. Offers accepted or declined are counted among episodes recorded as offered.".into()),
        d(
            "Within 72 hours",
            format!(
                "An interview completed no more than {} hours after the time the child was found or returned. An interview recorded before the return, or with no return time, is never counted as within.",
                rules.rhi_timescale_hours
            ),
        ),
        d(
            "Repeat missing",
            format!(
                "A child is counted when one of their episodes is the last of {} episodes that started within {} days (the local strategy-meeting trigger); earlier episodes may fall before the period.",
                rules.repeat.episodes, rules.repeat.days
            ),
        ),
        d(
            "Most frequently missing",
            format!("The share of the period's episodes that belong to the {} children with the most episodes in it.", rules.top_n),
        ),
        d(
            "Age",
            format!(
                "Age in completed years at the start of the episode, in the bands {}.",
                crate::metrics::age_band_labels(&rules.age_bands)
                    .iter()
                    .filter(|l| *l != "unknown")
                    .map(|l| category_label(Dimension::AgeBand, l))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        d(
            "Small numbers",
            if metrics.suppression_threshold > 0 {
                format!("Breakdown counts from 1 to {} are shown as c, with one more cell hidden where a hidden count could otherwise be worked out from the total. Totals are exact.", metrics.suppression_threshold - 1)
            } else {
                "No counts are suppressed (suppression.threshold is 0). Set a threshold before publishing breakdowns of small groups.".into()
            },
        ),
        d(
            "Reporting year",
            format!(
                "Runs from {} to {}. This report covers {} to {}; the period end is {}.",
                MONTH_NAMES[(config.year_start_month - 1) as usize],
                MONTH_NAMES[((config.year_start_month + 10) % 12) as usize],
                metrics.report.year_to_date.first.long_name(),
                metrics.report.year_to_date.last.long_name(),
                if config.period_end.is_some() { "set in the configuration" } else { "the last complete month in the data" }
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_ids_read_as_words() {
        assert_eq!(category_label(Dimension::AgeBand, "10_12"), "10 to 12");
        assert_eq!(category_label(Dimension::AgeBand, "under_10"), "Under 10");
        assert_eq!(category_label(Dimension::AgeBand, "18_plus"), "18 and over");
        assert_eq!(category_label(Dimension::Reason, "with_friends"), "With friends");
        assert_eq!(category_label(Dimension::Reason, "cse"), "CSE");
        assert_eq!(category_label(Dimension::Exploitation, "none"), "Neither");
        assert_eq!(category_label(Dimension::EpisodesPerChild, "6_10"), "6 to 10");
        assert_eq!(category_label(Dimension::DurationBand, "3_7_days"), "3 to 7 days");
    }

    #[test]
    fn changes_use_percent_for_counts_and_points_for_rates() {
        let count = |n| Some(Value::Count(n));
        let rate = |r| Some(Value::Rate(Some(r)));
        assert_eq!(change(Metric::Children, count(288), count(233)), ("+55 (+23.6%)".to_string(), "up"));
        assert_eq!(change(Metric::Episodes, count(1166), count(1567)), ("−401 (−25.6%)".to_string(), "down"));
        assert_eq!(change(Metric::PctRhiAccepted, rate(77.7), rate(56.5)), ("+21.2 pts".to_string(), "up"));
        assert_eq!(change(Metric::Episodes, count(5), count(5)), ("no change".to_string(), "same"));
        assert_eq!(change(Metric::Episodes, count(5), count(0)), ("+5".to_string(), "up"));
        assert_eq!(change(Metric::PctRhiAccepted, Some(Value::Rate(None)), rate(50.0)).1, "none");
    }
}
