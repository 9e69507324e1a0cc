//! The date shapes of INPUT.md: the same episodes written in every shape
//! read without configuration, and in one more through `input.date_formats`,
//! give byte-identical metrics; a column in a shape not read says how to read it.

mod common;

use std::path::Path;

use chrono::{NaiveDateTime, TimeZone};
use common::*;

/// A datetime to its text in one shape (`true`: the cell holds a date alone).
type Shape = dyn Fn(NaiveDateTime, bool) -> String;

const DATE_COLUMNS: [&str; 4] = ["date_of_birth", "start", "end", "rhi_completed"];

/// Rewrites every date cell of `source` with `shape` (a datetime to its text; a date is a datetime at midnight).
fn rewrite(source: &Path, target: &Path, shape: &dyn Fn(NaiveDateTime, bool) -> String) {
    let mut reader = csv::Reader::from_path(source).unwrap();
    let header = reader.headers().unwrap().clone();
    let dates: Vec<usize> = header.iter().enumerate().filter(|(_, h)| DATE_COLUMNS.contains(h)).map(|(i, _)| i).collect();
    let mut writer = csv::Writer::from_path(target).unwrap();
    writer.write_record(&header).unwrap();
    for record in reader.records() {
        let record = record.unwrap();
        let cells: Vec<String> = record
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                if !dates.contains(&i) || cell.is_empty() {
                    return cell.to_string();
                }
                let date_only = !cell.contains(':');
                let value = if date_only {
                    chrono::NaiveDate::parse_from_str(cell, "%Y-%m-%d").unwrap().and_hms_opt(0, 0, 0).unwrap()
                } else {
                    NaiveDateTime::parse_from_str(cell, "%Y-%m-%d %H:%M").unwrap()
                };
                shape(value, date_only)
            })
            .collect();
        writer.write_record(&cells).unwrap();
    }
    writer.flush().unwrap();
}

fn metrics(args: &[&str], input: &Path, out: &Path) -> std::process::Output {
    run(binary().arg("metrics").args(args).arg("-i").arg(input).arg("-o").arg(out))
}

#[test]
fn every_date_shape_gives_the_same_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("iso.csv");
    assert_ok(&run(binary().args(["synth", "--episodes", "300", "--seed", "7", "-o"]).arg(&source)));
    let reference = dir.path().join("iso-metrics.csv");
    assert_ok(&metrics(&[], &source, &reference));
    let expected = std::fs::read(&reference).unwrap();
    assert!(expected.len() > 1000);

    let format = |date: &'static str, time: &'static str| {
        move |t: NaiveDateTime, date_only: bool| {
            if date_only {
                t.format(date).to_string()
            } else {
                t.format(&format!("{date} {time}")).to_string()
            }
        }
    };
    // ISO with a zone: the UK time as UTC (a time that does not exist in the UK, in the spring gap, stays local).
    let zoned = |t: NaiveDateTime, date_only: bool| {
        if date_only {
            return t.format("%Y-%m-%d").to_string();
        }
        match chrono_tz::Europe::London.from_local_datetime(&t).earliest() {
            Some(local) => local.with_timezone(&chrono::Utc).format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            None => t.format("%Y-%m-%d %H:%M").to_string(),
        }
    };
    let offset = |t: NaiveDateTime, date_only: bool| {
        if date_only {
            return t.format("%d/%m/%Y").to_string();
        }
        match chrono_tz::Europe::London.from_local_datetime(&t).earliest() {
            Some(local) => local.fixed_offset().format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            None => t.format("%d/%m/%Y %H:%M").to_string(),
        }
    };
    let shapes: Vec<(&str, Box<Shape>)> = vec![
        (
            "iso-t",
            Box::new(
                |t: NaiveDateTime, d: bool| if d { t.format("%Y-%m-%d").to_string() } else { t.format("%Y-%m-%dT%H:%M:%S").to_string() },
            ),
        ),
        ("iso-slash", Box::new(format("%Y/%m/%d", "%H:%M"))),
        ("zulu", Box::new(zoned)),
        ("offset", Box::new(offset)),
        ("uk", Box::new(format("%d/%m/%Y", "%H:%M"))),
        ("uk-short", Box::new(format("%-d/%-m/%Y", "%H:%M:%S"))),
        ("uk-dash", Box::new(format("%d-%m-%Y", "%H:%M"))),
        ("uk-dot", Box::new(format("%d.%m.%Y", "%H:%M"))),
        ("month-abbr", Box::new(format("%d-%b-%Y", "%H:%M"))),
        ("month-name", Box::new(format("%-d %B %Y", "%H:%M"))),
        ("twelve-hour", Box::new(format("%d/%m/%Y", "%I:%M %p"))),
        ("twelve-hour-tight", Box::new(format("%-d %b %Y", "%-I:%M%P"))),
    ];
    for (name, shape) in &shapes {
        let input = dir.path().join(format!("{name}.csv"));
        rewrite(&source, &input, shape.as_ref());
        let out = dir.path().join(format!("{name}-metrics.csv"));
        assert_ok(&metrics(&[], &input, &out));
        assert!(std::fs::read(&out).unwrap() == expected, "{name}: the metrics differ from the ISO file's");
    }

    // US month-first is never guessed: a start after the 12th of its month
    // cannot be read day-first, so most rows fail, and the summary says how to read them.
    let us = dir.path().join("us.csv");
    rewrite(&source, &us, &format("%m/%d/%Y", "%H:%M"));
    let read = metrics(&[], &us, &dir.path().join("us-metrics.csv"));
    let message = stderr(&read);
    assert!(message.contains("the dates in column start could not be read on"), "{message}");
    assert!(message.contains("read without configuration: ISO"), "{message}");
    assert!(message.contains(r#"add under input: `date_formats: ["%m/%d/%Y %H:%M"]` to read them"#), "{message}");
    // The line it suggests reads them.
    let config = dir.path().join("us.yaml");
    std::fs::write(&config, "input:\n  date_formats: [\"%m/%d/%Y %H:%M\"]\n").unwrap();
    let out = dir.path().join("us-metrics.csv");
    assert_ok(&metrics(&["-c", config.to_str().unwrap()], &us, &out));
    assert!(std::fs::read(&out).unwrap() == expected, "date_formats reads the US file to the same metrics");

    // A pattern that gives no whole date is refused, naming it.
    std::fs::write(&config, "input:\n  date_formats: [\"%H:%M\"]\n").unwrap();
    let refused = metrics(&["-c", config.to_str().unwrap()], &us, &out);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("input.date_formats: `%H:%M` must give a year"), "{}", stderr(&refused));
}
