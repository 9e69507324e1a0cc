//! Episodes by quarter of the reporting year beside the same quarters a year
//! earlier, for all children and for children in our care.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{column_frame, label_columns, value_text, Margins, ValueAxis};
use super::chart::{Chart, ChartData, Drawn, Point};
use super::marks::{self, legend, Mark};
use super::series::{hidden_note, largest, values};
use super::style::{bold, draw_err, draw_svg, DARK_BLUE, HEIGHT, TICK_SIZE, TURQUOISE};
use crate::metrics::{Cohort, Metric, Metrics, Window};
use crate::period::MONTH_ABBREVIATIONS;

pub fn quarterly_comparison(metrics: &Metrics) -> Result<Drawn> {
    let windows = &metrics.windows;
    let year = metrics.year;
    let this_year = year.year_label(windows.year_to_date.first);
    let last_year = year.year_label(windows.year_to_date.first.plus(-12));
    let labels: Vec<String> = windows
        .quarters
        .iter()
        .enumerate()
        .map(|(q, w)| {
            if w.last.0 - w.first.0 < 2 {
                format!("Q{} to {}", q + 1, MONTH_ABBREVIATIONS[w.last.month() as usize - 1])
            } else {
                format!("Q{}", q + 1)
            }
        })
        .collect();
    let threshold = metrics.suppression_threshold;
    let get = |cohort: Cohort, window: Window| {
        if metrics.covers(window) {
            Point::of(metrics.value(cohort, window, Metric::Episodes))
        } else {
            Point::Missing
        }
    };
    let panels: Vec<(&str, Vec<Point>, Vec<Point>)> = [(Cohort::All, "All children"), (Cohort::LookedAfter, "Children in our care")]
        .into_iter()
        .map(|(cohort, name)| {
            let now = windows.quarters.iter().map(|w| get(cohort, *w)).collect();
            let before = windows.quarters.iter().map(|w| get(cohort, w.year_earlier())).collect();
            (name, before, now)
        })
        .collect();

    let title = format!("Missing episodes by quarter, {this_year} and {last_year}");
    let mut description = format!("Column chart of missing episodes in each quarter of {this_year} beside the same months of {last_year}.");
    for (name, before, now) in &panels {
        let parts: Vec<String> = labels
            .iter()
            .zip(now.iter().zip(before))
            .map(|(label, (now, before))| format!("{label} {} ({last_year}: {})", words(*now), words(*before)))
            .collect();
        description.push_str(&format!(" {name}: {}.", parts.join(", ")));
    }

    let entries = vec![(last_year.clone(), TURQUOISE, Mark::Bar), (this_year.clone(), DARK_BLUE, Mark::Bar)];
    let svg = draw_svg(HEIGHT, &title, &description, |root| {
        legend(root, &entries, 20)?;
        let body = root.margin(40, 0, 0, 0);
        let halves = body.split_evenly((1, 2));
        for (half, (name, before, now)) in halves.iter().zip(&panels) {
            let axis = ValueAxis::counts(largest(&[before, now]), "Episodes in the quarter");
            let mut chart = column_frame(half, labels.len(), axis, Margins { top: 36, right: 28, bottom: 44, left: 78 })?;
            // Text goes on the whole canvas: `backend_coord` gives its pixels, not the half's.
            marks::columns(root, &mut chart, &values(before), TURQUOISE, (-0.19, 0.36))?;
            marks::columns(root, &mut chart, &values(now), DARK_BLUE, (0.19, 0.36))?;
            label_columns(root, &chart, &labels)?;
            let (x, _) = chart.backend_coord(&(-0.5, 0.0));
            root.draw(&Text::new(name.to_string(), (x, 48), bold(TICK_SIZE + 1).pos(Pos::new(HPos::Left, VPos::Top)))).map_err(draw_err)?;
        }
        Ok(())
    })?;

    let mut columns = vec!["Quarter".to_string()];
    let mut rows: Vec<Vec<String>> = labels.iter().map(|l| vec![l.clone()]).collect();
    for (name, before, now) in &panels {
        columns.push(format!("{name}, {last_year}"));
        columns.push(format!("{name}, {this_year}"));
        for (row, (b, n)) in rows.iter_mut().zip(before.iter().zip(now)) {
            row.push(b.text(false));
            row.push(n.text(false));
        }
    }
    let all: Vec<&[Point]> = panels.iter().flat_map(|(_, b, n)| [b.as_slice(), n.as_slice()]).collect();
    Ok(Drawn::Chart(Chart {
        name: "quarterly_comparison".into(),
        caption: format!(
            "Missing episodes that started in each quarter of {this_year} (dark blue) and in the same months of {last_year} (turquoise). A part quarter is compared with the same months a year earlier.{}",
            hidden_note(&all, threshold)
        ),
        data: ChartData { columns, rows },
        title,
        alt: description,
        svg,
    }))
}

fn words(point: Point) -> String {
    match point {
        Point::Value(v) => value_text(v, false),
        Point::Missing => "no data".into(),
        Point::Hidden => "a small number".into(),
    }
}
