//! Live figures: `{{children.year}}` in commentary prints the figure the
//! paper computed, formatted as the tables format it, so a sentence cannot
//! go stale when the data is refreshed. Every name is listed in
//! `report_templates/README.md`; an unknown one is an error with the nearest.

use std::collections::BTreeMap;

use anyhow::{bail, Result};

use super::blocks::{visit_runs, CommentaryFile, Inline};
use crate::metrics::{Cohort, Metric, Metrics, Window};
use crate::nearest::nearest;
use crate::report::figures::Numbers;
use crate::report::summary::latest_quarter_window;

/// The windows a live figure can name, with how the number check describes them.
pub const WINDOWS: [(&str, &str); 4] = [
    ("month", "the latest month"),
    ("quarter", "the latest complete quarter"),
    ("year", "the year to date"),
    ("rolling12", "the rolling 12 months"),
];

/// The cohort prefixes: none for all children.
pub const COHORTS: [(Cohort, &str, &str); 3] = [
    (Cohort::All, "", "all children"),
    (Cohort::LookedAfter, "looked_after.", "children in care"),
    (Cohort::NotLookedAfter, "not_looked_after.", "children missing from home"),
];

/// One live figure: as printed, and in words for the number check.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveFigure {
    pub text: String,
    pub description: String,
}

/// Every live figure of one paper by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FigureBook {
    pub figures: BTreeMap<String, LiveFigure>,
}

impl FigureBook {
    /// The figures of `metrics` as `numbers` prints them; `periods` are the
    /// paper's period names (`period.month` and so on).
    pub fn new(metrics: &Metrics, numbers: Numbers, periods: &[(&str, String)]) -> Self {
        let mut figures = BTreeMap::new();
        let mut add = |name: String, text: String, description: String| {
            figures.insert(name, LiveFigure { text, description });
        };
        for (key, text) in periods {
            add(format!("period.{key}"), text.clone(), format!("the period name {key}"));
        }
        let month = Window::new(metrics.windows.period_end, metrics.windows.period_end);
        let quarter = latest_quarter_window(metrics);
        let windows = [month, quarter, metrics.windows.year_to_date, metrics.windows.rolling12];
        for (cohort, prefix, cohort_words) in COHORTS {
            for metric in Metric::ALL {
                for ((key, window_words), window) in WINDOWS.iter().zip(windows) {
                    let name = format!("{prefix}{}.{key}", metric.id());
                    let about = format!("{}, {cohort_words}, {window_words}", metric.id());
                    let earlier = window.year_earlier();
                    add(name.clone(), numbers.cell(metrics, cohort, window, metric), about.clone());
                    add(format!("{name}.year_earlier"), numbers.cell(metrics, cohort, earlier, metric), format!("{about}, a year earlier"));
                    add(
                        format!("{name}.change"),
                        numbers.change_between(metrics, cohort, metric, earlier, window),
                        format!("{about}, change on a year earlier"),
                    );
                    if *key == "month" || *key == "quarter" {
                        let months = window.last.0 - window.first.0 + 1;
                        let before = Window::new(window.first.plus(-months), window.last.plus(-months));
                        add(format!("{name}.before"), numbers.cell(metrics, cohort, before, metric), format!("{about}, the {key} before"));
                        add(
                            format!("{name}.change_on_before"),
                            numbers.change_between(metrics, cohort, metric, before, window),
                            format!("{about}, change on the {key} before"),
                        );
                    }
                }
            }
        }
        FigureBook { figures }
    }

    /// Replaces every `{{name}}` in the commentary's text (not in code) by
    /// the figure; an unknown name or an unclosed `{{` is an error with its line.
    pub fn fill(&self, file: &mut CommentaryFile) -> Result<()> {
        let mut error = None;
        for slot in &mut file.slots {
            visit_runs(&mut slot.blocks, &mut |runs| {
                if error.is_none() {
                    if let Err(e) = self.fill_runs(runs, &file.path) {
                        error = Some(e);
                    }
                }
            });
        }
        match error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn fill_runs(&self, runs: &mut Vec<Inline>, path: &str) -> Result<()> {
        let mut out = Vec::with_capacity(runs.len());
        for inline in runs.drain(..) {
            let Inline::Text { text, bold, italic, strike, code: false, line } = inline else {
                out.push(inline);
                continue;
            };
            let piece = |text: &str| Inline::Text { text: text.to_string(), bold, italic, strike, code: false, line };
            let mut rest = text.as_str();
            while let Some(open) = rest.find("{{") {
                let Some(close) = rest[open..].find("}}") else {
                    bail!("{path}:{line}: `{{{{` with no `}}}}` after it; a live figure is written `{{{{children.year}}}}`");
                };
                if open > 0 {
                    out.push(piece(&rest[..open]));
                }
                let name = rest[open + 2..open + close].trim();
                let Some(figure) = self.figures.get(name) else {
                    let names: Vec<&str> = self.figures.keys().map(String::as_str).collect();
                    bail!(
                        "{path}:{line}: `{{{{{name}}}}}` is not a live figure; nearest: {} (every name is listed in report_templates/README.md)",
                        nearest(name, &names, 3).join(", ")
                    );
                };
                out.push(Inline::Figure { name: name.to_string(), text: figure.text.clone(), line });
                rest = &rest[open + close + 2..];
            }
            if !rest.is_empty() {
                out.push(piece(rest));
            }
        }
        *runs = out;
        Ok(())
    }
}
