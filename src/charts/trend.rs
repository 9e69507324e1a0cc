//! Month-by-month charts over the 24 months to the period end: episodes and
//! children each month, the rolling twelve months for all children and
//! children in care, and children meeting the repeat-missing trigger.

use anyhow::Result;
use plotters::prelude::RGBColor;

use super::axes::{column_frame, label_months, Margins, ValueAxis};
use super::chart::{Chart, Drawn, OmittedChart, Point};
use super::describe::month_series;
use super::marks::{self, legend, legend_rows, Mark};
use super::series::{self, hidden_note, label_at, largest, month_table, rolling, single, span, values};
use super::style::{draw_svg, DARK_BLUE, DARK_PINK, HEIGHT, ORANGE, TURQUOISE};
use crate::metrics::{Cohort, Metric, Metrics};
use crate::period::YearMonth;

/// One series over the months: its name, points, colour and how it is drawn.
struct Series<'a> {
    name: &'a str,
    points: Vec<Point>,
    colour: RGBColor,
    mark: Mark,
}

/// Draws `series` (bars first, then lines with their last values labelled at the right).
fn month_chart(months: &[YearMonth], series: &[Series<'_>], axis_title: &str, title: &str, description: &str) -> Result<String> {
    let entries: Vec<(String, RGBColor, Mark)> =
        if series.len() > 1 { series.iter().map(|s| (s.name.to_string(), s.colour, s.mark)).collect() } else { Vec::new() };
    let rows = if entries.is_empty() { 0 } else { legend_rows(&entries) };
    let all: Vec<&[Point]> = series.iter().map(|s| s.points.as_slice()).collect();
    let axis = ValueAxis::counts(largest(&all), axis_title);
    let margins = Margins { top: 24 + 28 * rows, right: 72, bottom: 44, left: 78 };
    let bars = series.iter().filter(|s| s.mark == Mark::Bar).count().max(1) as f64;
    draw_svg(HEIGHT, title, description, |root| {
        let mut chart = column_frame(root, months.len(), axis, margins)?;
        let mut bar = 0.0;
        for s in series.iter().filter(|s| s.mark == Mark::Bar) {
            let width = 0.72 / bars;
            let offset = -0.36 + width * (bar + 0.5);
            marks::columns(root, &mut chart, &values(&s.points), s.colour, (offset, width))?;
            bar += 1.0;
        }
        let mut ends = Vec::new();
        for s in series.iter().filter(|s| s.mark != Mark::Bar) {
            marks::line(&mut chart, &values(&s.points), s.colour, s.mark)?;
            if let Some((i, v)) = s.points.iter().enumerate().rev().find_map(|(i, p)| p.value().map(|v| (i, v))) {
                ends.push((v, label_at(v, months, i, false), s.colour));
            }
        }
        marks::end_labels(root, &chart, months.len().saturating_sub(1) as f64, &ends)?;
        label_months(root, &chart, months)?;
        if !entries.is_empty() {
            legend(root, &entries, 20)?;
        }
        Ok(())
    })
}

pub fn monthly_children_episodes(metrics: &Metrics) -> Result<Drawn> {
    let months = series::months(metrics, single);
    let title = "Missing episodes and children who went missing, month by month".to_string();
    if months.is_empty() {
        return Ok(Drawn::no_months("monthly_children_episodes", title));
    }
    let episodes = series::points(metrics, Cohort::All, Metric::Episodes, &months, single);
    let children = series::points(metrics, Cohort::All, Metric::Children, &months, single);
    let description = format!(
        "Bar and line chart by month, {}. {} {}",
        span(&months),
        month_series("Missing episodes", &months, &episodes, false),
        month_series("Children who went missing", &months, &children, false)
    );
    let series = [
        Series { name: "Missing episodes", points: episodes.clone(), colour: DARK_BLUE, mark: Mark::Bar },
        Series { name: "Children who went missing", points: children.clone(), colour: ORANGE, mark: Mark::Line },
    ];
    let svg = month_chart(&months, &series, "Number in the month", &title, &description)?;
    Ok(Drawn::Chart(Chart {
        name: "monthly_children_episodes".into(),
        caption: format!(
            "Episodes that started in each month (bars) and the number of different children they involved (line), {}. A child who went missing several times in a month is counted once in that month.{}",
            span(&months),
            hidden_note(&[&episodes, &children], metrics.suppression_threshold)
        ),
        data: month_table(&months, &[("Missing episodes", &episodes, false), ("Children who went missing", &children, false)]),
        title,
        alt: description,
        svg,
    }))
}

pub fn rolling12_children_episodes(metrics: &Metrics) -> Result<Drawn> {
    let title = "Missing episodes and children who went missing, rolling 12 months".to_string();
    let months = series::months(metrics, rolling);
    if months.is_empty() {
        return Ok(Drawn::Omitted(OmittedChart {
            name: "rolling12_children_episodes".into(),
            title,
            note: "The rolling twelve-month chart needs twelve months of data before the period end; the data holds fewer.".into(),
        }));
    }
    let get = |cohort, metric| series::points(metrics, cohort, metric, &months, rolling);
    let columns = [
        ("Missing episodes, all children", get(Cohort::All, Metric::Episodes), DARK_BLUE),
        ("Children who went missing, all children", get(Cohort::All, Metric::Children), ORANGE),
        ("Missing episodes, children in our care", get(Cohort::LookedAfter, Metric::Episodes), TURQUOISE),
        ("Children who went missing, children in our care", get(Cohort::LookedAfter, Metric::Children), DARK_PINK),
    ];
    let description = format!(
        "Line chart of rolling twelve-month totals, {}. {} {} {} {}",
        span(&months),
        month_series("Missing episodes of all children", &months, &columns[0].1, false),
        month_series("Children who went missing (all children)", &months, &columns[1].1, false),
        month_series("Missing episodes of children in our care", &months, &columns[2].1, false),
        month_series("Children in our care who went missing", &months, &columns[3].1, false),
    );
    let legend_names =
        ["Episodes: all children", "Children: all children", "Episodes: children in our care", "Children: children in our care"];
    let series: Vec<Series> = columns
        .iter()
        .zip(legend_names)
        .map(|((_, points, colour), name)| Series { name, points: points.clone(), colour: *colour, mark: Mark::Line })
        .collect();
    let svg = month_chart(&months, &series, "Number in the 12 months to the month", &title, &description)?;
    let all: Vec<&[Point]> = columns.iter().map(|(_, p, _)| p.as_slice()).collect();
    Ok(Drawn::Chart(Chart {
        name: "rolling12_children_episodes".into(),
        caption: format!(
            "Each point covers the twelve months ending with the month shown. Children are counted once in each twelve-month window, however many times they went missing in it.{}",
            hidden_note(&all, metrics.suppression_threshold)
        ),
        data: month_table(&months, &columns.iter().map(|(name, points, _)| (*name, points.as_slice(), false)).collect::<Vec<_>>()),
        title,
        alt: description,
        svg,
    }))
}

pub fn repeat_children(metrics: &Metrics) -> Result<Drawn> {
    let rule = metrics.rules.repeat;
    let months = series::months(metrics, single);
    let children = series::points(metrics, Cohort::All, Metric::ChildrenRepeat, &months, single);
    let title =
        format!("Children meeting the repeat-missing trigger ({} episodes within {} days), month by month", rule.episodes, rule.days);
    if months.is_empty() {
        return Ok(Drawn::no_months("repeat_children", title));
    }
    let description = format!(
        "Bar chart by month, {}. {}",
        span(&months),
        month_series("Children meeting the repeat-missing trigger", &months, &children, false)
    );
    let series = [Series { name: "Children", points: children.clone(), colour: DARK_BLUE, mark: Mark::Bar }];
    let svg = month_chart(&months, &series, "Children in the month", &title, &description)?;
    Ok(Drawn::Chart(Chart {
        name: "repeat_children".into(),
        caption: format!(
            "Children with an episode in the month that was the last of {} episodes starting within {} days (earlier episodes may fall in earlier months), {}. Each child is counted once in a month.{}",
            rule.episodes,
            rule.days,
            span(&months),
            hidden_note(&[&children], metrics.suppression_threshold)
        ),
        data: month_table(&months, &[("Children meeting the repeat-missing trigger", &children, false)]),
        title,
        alt: description,
        svg,
    }))
}
