//! The export of METRICS.md: one tidy row per (cohort, period, dimension,
//! category, metric), written as CSV or JSON lines in the same order.

use std::io::Write;

use anyhow::{Context, Result};
use rustc_hash::{FxHashMap, FxHashSet};

use super::catalogue::{Cohort, Metric, PeriodKind, Value};

/// One row of the export of METRICS.md.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricRow {
    pub cohort: Cohort,
    pub period_kind: PeriodKind,
    pub period: String,
    pub dimension: String,
    pub category: String,
    pub metric: Metric,
    pub value: Value,
}

/// Puts rows in the order METRICS.md gives the export: by cohort, period
/// kind, period, dimension, category and metric, as their ids read.
pub fn sort_rows(rows: &mut Vec<MetricRow>) {
    // Each field's texts are ranked once in their sorted order, so rows sort
    // on integers (tens of thousands of rows share a few hundred texts).
    fn ranks<'a>(texts: impl Iterator<Item = &'a str>) -> FxHashMap<&'a str, u32> {
        let mut distinct: Vec<&str> = texts.collect::<FxHashSet<_>>().into_iter().collect();
        distinct.sort_unstable();
        distinct.into_iter().enumerate().map(|(rank, text)| (text, rank as u32)).collect()
    }
    let keys: Vec<[u32; 6]> = {
        let cohort = ranks(rows.iter().map(|r| r.cohort.id()));
        let kind = ranks(rows.iter().map(|r| r.period_kind.id()));
        let period = ranks(rows.iter().map(|r| r.period.as_str()));
        let dimension = ranks(rows.iter().map(|r| r.dimension.as_str()));
        let category = ranks(rows.iter().map(|r| r.category.as_str()));
        let metric = ranks(rows.iter().map(|r| r.metric.id()));
        rows.iter()
            .map(|r| {
                [
                    cohort[r.cohort.id()],
                    kind[r.period_kind.id()],
                    period[r.period.as_str()],
                    dimension[r.dimension.as_str()],
                    category[r.category.as_str()],
                    metric[r.metric.id()],
                ]
            })
            .collect()
    };
    // Every row has its own key, so an unstable sort gives the one order.
    let mut keyed: Vec<([u32; 6], MetricRow)> = keys.into_iter().zip(rows.drain(..)).collect();
    keyed.sort_unstable_by_key(|(key, _)| *key);
    rows.extend(keyed.into_iter().map(|(_, row)| row));
}

impl Value {
    /// The export's text: integers for counts, full precision for rates, empty for no value.
    pub fn export_text(self) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Rate(Some(r)) => r.to_string(),
            Value::Rate(None) => String::new(),
            Value::Suppressed => "c".into(),
        }
    }

    /// The export's JSON value: a number, `null` for no value, `"c"` when suppressed.
    pub fn json(self) -> serde_json::Value {
        match self {
            Value::Count(n) => n.into(),
            // A whole rate is written `75` as in the CSV, not `75.0`.
            Value::Rate(Some(r)) if r.fract() == 0.0 && (0.0..=1e15).contains(&r) => (r as u64).into(),
            Value::Rate(Some(r)) => serde_json::Number::from_f64(r).map(serde_json::Value::Number).unwrap_or(serde_json::Value::Null),
            Value::Rate(None) => serde_json::Value::Null,
            Value::Suppressed => "c".into(),
        }
    }
}

/// Writes the export as JSON lines, one object per row, in the same order as the CSV.
pub fn write_jsonl(rows: &[MetricRow], mut out: impl Write) -> Result<()> {
    /// Fields in the order of the CSV columns.
    #[derive(serde::Serialize)]
    struct JsonRow<'a> {
        cohort: &'a str,
        period_kind: &'a str,
        period: &'a str,
        dimension: &'a str,
        category: &'a str,
        metric: &'a str,
        value: serde_json::Value,
    }
    for row in rows {
        let object = JsonRow {
            cohort: row.cohort.id(),
            period_kind: row.period_kind.id(),
            period: &row.period,
            dimension: &row.dimension,
            category: &row.category,
            metric: row.metric.id(),
            value: row.value.json(),
        };
        serde_json::to_writer(&mut out, &object)?;
        out.write_all(b"\n")?;
    }
    out.flush().context("writing the metrics export")?;
    Ok(())
}

/// Writes the export as CSV.
pub fn write_csv(rows: &[MetricRow], out: impl Write) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(["cohort", "period_kind", "period", "dimension", "category", "metric", "value"])?;
    for row in rows {
        writer.write_record([
            row.cohort.id(),
            row.period_kind.id(),
            &row.period,
            &row.dimension,
            &row.category,
            row.metric.id(),
            &row.value.export_text(),
        ])?;
    }
    writer.flush().context("writing the metrics export")?;
    Ok(())
}
