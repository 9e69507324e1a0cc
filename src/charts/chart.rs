//! What a drawn chart is: its file name, words for the paper and for
//! readers who cannot see it, the SVG, and the data it shows (published
//! beside it as CSV, as government statisticians publish the data behind a
//! chart). A chart the input cannot support is left out with a note.

use std::borrow::Cow;

use anyhow::Result;

use crate::metrics::Value;

/// One drawn chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// File stem: `out/charts/<name>.svg` and `.csv`.
    pub name: Cow<'static, str>,
    pub title: String,
    pub caption: String,
    /// Words for readers who cannot see the chart (the SVG's `<desc>`, the PDF's alt text).
    pub alt: String,
    pub svg: String,
    pub data: ChartData,
}

impl Chart {
    /// Where the chart's file with `extension` goes, relative to the output
    /// folder and to the template: `charts/<name>.<extension>`.
    pub fn file(&self, extension: &str) -> String {
        format!("charts/{}.{extension}", self.name)
    }
}

/// A chart the input cannot support, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OmittedChart {
    pub name: Cow<'static, str>,
    pub title: String,
    pub note: String,
}

/// Every chart, and those left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Charts {
    pub charts: Vec<Chart>,
    pub omitted: Vec<OmittedChart>,
}

/// What one chart family drew.
pub enum Drawn {
    Chart(Chart),
    Omitted(OmittedChart),
}

impl Drawn {
    /// Left out because no month before the period end lies within the data
    /// (a period end far beyond it).
    pub fn no_months(name: &'static str, title: String) -> Drawn {
        Drawn::Omitted(OmittedChart { name: name.into(), title, note: "No month before the period end lies within the data.".into() })
    }
}

/// The values a chart shows, as a table: readable column names, values as plotted.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ChartData {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl ChartData {
    pub fn to_csv(&self) -> Result<Vec<u8>> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(&self.columns)?;
        for row in &self.rows {
            writer.write_record(row)?;
        }
        writer.into_inner().map_err(|e| anyhow::anyhow!("writing chart data: {e}"))
    }
}

/// One plotted value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Point {
    Value(f64),
    /// No value: a rate with nothing to divide by, or a period without data.
    Missing,
    /// A small count hidden by suppression (`c`).
    Hidden,
}

impl Point {
    /// A metric value as a chart shows it: what the tables and the export
    /// hide (a suppressed breakdown cell, `c`) is hidden; totals stay exact
    /// (METRICS.md, "Small numbers"), so a chart never disagrees with a table.
    pub fn of(value: Option<Value>) -> Point {
        match value {
            Some(Value::Suppressed) => Point::Hidden,
            Some(value) => value.as_f64().map_or(Point::Missing, Point::Value),
            None => Point::Missing,
        }
    }

    pub fn value(self) -> Option<f64> {
        match self {
            Point::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The CSV cell: counts whole, rates to one decimal place, `c` when hidden, blank when missing.
    pub fn text(self, percent: bool) -> String {
        match self {
            Point::Value(v) if percent => format!("{v:.1}"),
            Point::Value(v) => format!("{}", v.round() as i64),
            Point::Missing => String::new(),
            Point::Hidden => "c".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppressed_cells_are_hidden_and_totals_kept() {
        assert_eq!(Point::of(Some(Value::Suppressed)), Point::Hidden);
        assert_eq!(Point::of(Some(Value::Count(3))), Point::Value(3.0));
        assert_eq!(Point::of(Some(Value::Rate(None))), Point::Missing);
        assert_eq!(Point::of(None), Point::Missing);
        assert_eq!(Point::of(Some(Value::Rate(Some(2.5)))).text(true), "2.5");
        assert_eq!(Point::Hidden.text(false), "c");
        let data = ChartData { columns: vec!["Month".into(), "Episodes".into()], rows: vec![vec!["2024-03".into(), "12".into()]] };
        assert_eq!(String::from_utf8(data.to_csv().unwrap()).unwrap(), "Month,Episodes\n2024-03,12\n");
    }
}
