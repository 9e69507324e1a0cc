//! Who went missing in the reporting year: episodes by category (age band,
//! reason, duration, ethnicity, exploitation) as horizontal bars, all
//! children beside children in our care, and children by number of episodes.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{bar_frame, column_frame, label_columns, Margins, ValueAxis};
use super::chart::{Chart, ChartData, Drawn, OmittedChart, Point};
use super::describe;
use super::marks::{self, legend, Mark};
use super::series::{hidden_note, largest, values};
use super::style::{draw_err, draw_svg, font, DARK_BLUE, HEIGHT, TICK_SIZE, TURQUOISE};
use crate::format::capitalise;
use crate::labels::category_label;
use crate::metrics::{BreakdownRow, Cohort, Dimension, Metrics, Value};

/// The breakdown charts: file name, dimension, and what the categories are.
pub const BREAKDOWNS: [(&str, Dimension, &str); 5] = [
    ("age_band", Dimension::AgeBand, "age at the start of the episode"),
    ("reason", Dimension::Reason, "reason recorded"),
    ("duration_band", Dimension::DurationBand, "how long the episode lasted"),
    ("ethnicity_group", Dimension::EthnicityGroup, "ethnicity"),
    ("exploitation", Dimension::Exploitation, "exploitation concerns"),
];

const COHORT_NAMES: [&str; 2] = ["All children", "Children in our care"];

/// Categories in the order a reader looks for them: fixed bands as they
/// come; reasons by how many episodes of all children they have, with
/// `other` and the unrecorded last.
fn ordered(dimension: Dimension, rows: &[BreakdownRow]) -> Vec<String> {
    let mut categories: Vec<(String, u64)> = rows
        .iter()
        .map(|r| {
            let episodes = match r.episodes.or(Some(r.children)) {
                Some(Value::Count(n)) => n,
                _ => 0,
            };
            (r.category.clone(), episodes)
        })
        .collect();
    if dimension == Dimension::Reason {
        let last = |c: &str| ["other", "not_recorded", "unknown", "not_known"].iter().position(|l| *l == c);
        categories.sort_by(|a, b| last(&a.0).cmp(&last(&b.0)).then(b.1.cmp(&a.1)).then(a.0.cmp(&b.0)));
    }
    categories.into_iter().map(|(c, _)| c).collect()
}

/// The points of one cohort's breakdown in `order`, episodes (or children where the breakdown has no episodes).
fn cohort_points(metrics: &Metrics, cohort: Cohort, dimension: Dimension, order: &[String]) -> Vec<Point> {
    let window = metrics.windows.year_to_date;
    let rows = metrics.breakdown(cohort, window, dimension).unwrap_or(&[]);
    order
        .iter()
        .map(|c| rows.iter().find(|r| r.category == *c).map_or(Point::Missing, |r| Point::of(Some(r.episodes.unwrap_or(r.children)))))
        .collect()
}

/// The legend of a chart of both cohorts: all children, children in our care.
fn cohort_legend() -> Vec<(String, RGBColor, Mark)> {
    vec![(COHORT_NAMES[0].into(), DARK_BLUE, Mark::Bar), (COHORT_NAMES[1].into(), TURQUOISE, Mark::Bar)]
}

/// All children and children in our care for `order` (the metrics hide an
/// in-care count that, beside all children, would give away a small number).
fn both_cohorts(metrics: &Metrics, dimension: Dimension, order: &[String]) -> Vec<(&'static str, Vec<Point>)> {
    vec![
        (COHORT_NAMES[0], cohort_points(metrics, Cohort::All, dimension, order)),
        (COHORT_NAMES[1], cohort_points(metrics, Cohort::LookedAfter, dimension, order)),
    ]
}

fn table(first: &str, labels: &[String], cohorts: &[(&str, Vec<Point>)], unit: &str) -> ChartData {
    let mut columns = vec![first.to_string()];
    columns.extend(cohorts.iter().map(|(name, _)| format!("{unit}, {}", name.to_lowercase())));
    let rows = labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let mut row = vec![label.clone()];
            row.extend(cohorts.iter().map(|(_, points)| points[i].text(false)));
            row
        })
        .collect();
    ChartData { columns, rows }
}

/// Episodes by the categories of `dimension` in the reporting year.
pub fn breakdown(metrics: &Metrics, name: &'static str, dimension: Dimension, subject: &str) -> Result<Drawn> {
    let period = metrics.windows.year_to_date.name();
    let title = format!("Missing episodes by {subject}, {period}");
    let Some(all_rows) = metrics.breakdown(Cohort::All, metrics.windows.year_to_date, dimension) else {
        return Ok(Drawn::Omitted(OmittedChart {
            name: name.into(),
            title,
            note: {
                let needs: Vec<&str> = dimension.needs().iter().map(|f| f.name()).collect();
                let columns = if needs.len() == 1 { "column" } else { "columns" };
                format!("This chart needs the {} {columns}, which the input does not have, so it is left out.", needs.join(" and "))
            },
        }));
    };
    let order = ordered(dimension, all_rows);
    let labels: Vec<String> = order.iter().map(|c| category_label(dimension, c, &metrics.reasons)).collect();
    let cohorts = both_cohorts(metrics, dimension, &order);

    let mut description =
        format!("Horizontal bar chart of missing episodes in {period} by {subject}, for all children and for children in our care.");
    for (cohort, points) in &cohorts {
        description.push_str(&format!(" {cohort}: {}.", describe::categories(&labels, points)));
    }
    let height = (120 + 46 * labels.len() as u32).max(HEIGHT / 2);
    let entries = cohort_legend();
    let axis = ValueAxis::counts(largest(&[&cohorts[0].1, &cohorts[1].1]), "Missing episodes");
    let svg = draw_svg(height, &title, &description, |root| {
        let mut chart = bar_frame(root, &labels, axis, Margins { top: 52, right: 56, bottom: 52, left: 80 })?;
        marks::rows(root, &mut chart, &cohorts[0].1, DARK_BLUE, (-0.19, 0.36))?;
        marks::rows(root, &mut chart, &cohorts[1].1, TURQUOISE, (0.19, 0.36))?;
        legend(root, &entries, 20)
    })?;
    let several = if dimension.multi_valued() { " An episode with several reasons counts under each." } else { "" };
    Ok(Drawn::Chart(Chart {
        name: name.into(),
        caption: format!(
            "Missing episodes that started in {period}, by {subject}. Children in our care are among all children.{several}{}",
            hidden_note(&[&cohorts[0].1, &cohorts[1].1], metrics.suppression_threshold)
        ),
        data: table(&capitalise(subject), &labels, &cohorts, "Missing episodes"),
        title,
        alt: description,
        svg,
    }))
}

/// Children by how many episodes they had in the reporting year.
pub fn episodes_per_child(metrics: &Metrics) -> Result<Drawn> {
    let dimension = Dimension::EpisodesPerChild;
    let window = metrics.windows.year_to_date;
    let period = window.name();
    let title = format!("Children by number of missing episodes, {period}");
    let Some(all_rows) = metrics.breakdown(Cohort::All, window, dimension) else {
        return Ok(Drawn::Omitted(OmittedChart {
            name: "episodes_per_child".into(),
            title,
            note: "No episodes to count per child.".into(),
        }));
    };
    let order: Vec<String> = all_rows.iter().map(|r| r.category.clone()).collect();
    let labels: Vec<String> = order.iter().map(|c| category_label(dimension, c, &metrics.reasons)).collect();
    let cohorts = both_cohorts(metrics, dimension, &order);
    let mut description = format!("Column chart of children by how many times they went missing in {period}.");
    for (cohort, points) in &cohorts {
        description.push_str(&format!(" {cohort}: {}.", describe::categories(&labels, points)));
    }
    let entries = cohort_legend();
    let axis = ValueAxis::counts(largest(&[&cohorts[0].1, &cohorts[1].1]), "Children");
    let svg = draw_svg(HEIGHT, &title, &description, |root| {
        let mut chart = column_frame(root, labels.len(), axis, Margins { top: 52, right: 24, bottom: 72, left: 78 })?;
        marks::columns(root, &mut chart, &values(&cohorts[0].1), DARK_BLUE, (-0.19, 0.36))?;
        marks::columns(root, &mut chart, &values(&cohorts[1].1), TURQUOISE, (0.19, 0.36))?;
        label_columns(root, &chart, &labels)?;
        let (x, y) = chart.backend_coord(&((labels.len() as f64 - 1.0) / 2.0, 0.0));
        let axis_title = font(TICK_SIZE).pos(Pos::new(HPos::Center, VPos::Top));
        root.draw(&Text::new("Missing episodes in the period".to_string(), (x, y + 34), axis_title)).map_err(draw_err)?;
        legend(root, &entries, 20)
    })?;
    Ok(Drawn::Chart(Chart {
        name: "episodes_per_child".into(),
        caption: format!(
            "Children who went missing in {period}, by how many episodes they had in it. Children in our care are among all children.{}",
            hidden_note(&[&cohorts[0].1, &cohorts[1].1], metrics.suppression_threshold)
        ),
        data: table("Missing episodes in the period", &labels, &cohorts, "Children"),
        title,
        alt: description,
        svg,
    }))
}
