//! The chart set through the real binary: every chart written with its data,
//! an accessible title and description, the figures of the metrics export
//! (not a recomputation), honest gaps, and no small number under suppression.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;

const CHARTS: [&str; 11] = [
    "monthly_children_episodes",
    "rolling12_children_episodes",
    "monthly_rhi_rates",
    "quarterly_comparison",
    "age_band",
    "reason",
    "duration_band",
    "ethnicity_group",
    "exploitation",
    "episodes_per_child",
    "repeat_children",
];

/// Builds the Gateshead fixture for 2023-24 into `out`; returns its metrics export.
fn gateshead_build(out: &Path, extra: &[&str]) -> BTreeMap<Key, String> {
    let episodes = fixture("gateshead/episodes.csv");
    let output = run(binary().args(["build", "--period", "2024-03", "-i"]).arg(&episodes).args(extra).arg("--out").arg(out));
    assert_ok(&output);
    read_export(&std::fs::read_to_string(out.join("metrics.csv")).unwrap())
}

/// Builds the bundled example with the configuration `yaml`; the folder and its `out`.
fn example_build(yaml: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.yaml");
    std::fs::write(&config, yaml).unwrap();
    let out = dir.path().join("out");
    assert_ok(&run(binary().args(["build", "-c"]).arg(&config).arg("--out").arg(&out)));
    (dir, out)
}

/// A chart's data: its header and rows.
fn chart_data(out: &Path, name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(out.join(format!("charts/{name}.csv"))).unwrap();
    let header = reader.headers().unwrap().iter().map(str::to_string).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    (header, rows)
}

fn key(cohort: &str, kind: &str, period: &str, dimension: &str, category: &str, metric: &str) -> Key {
    (cohort.into(), kind.into(), period.into(), dimension.into(), category.into(), metric.into())
}

#[test]
fn every_chart_is_written_with_its_data_an_svg_title_and_a_description_with_numbers() {
    let dir = tempfile::tempdir().unwrap();
    gateshead_build(dir.path(), &[]);
    for name in CHARTS {
        let svg =
            std::fs::read_to_string(dir.path().join(format!("charts/{name}.svg"))).unwrap_or_else(|_| panic!("{name}.svg not written"));
        let document = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{name}.svg is not XML: {e}"));
        let root = document.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("role"), Some("img"), "{name}");
        let child_text = |tag: &str| root.children().find(|n| n.tag_name().name() == tag).and_then(|n| n.text()).unwrap_or("").to_string();
        let (title, description) = (child_text("title"), child_text("desc"));
        assert!(title.len() > 10, "{name}: title {title:?}");
        assert!(description.ends_with('.') && description.split(". ").count() >= 2, "{name}: description {description:?}");
        assert!(description.chars().any(|c| c.is_ascii_digit()), "{name}: description has no number: {description:?}");
        let (header, rows) = chart_data(dir.path(), name);
        assert!(header.len() >= 2 && !rows.is_empty(), "{name}.csv is empty");
    }
    // The PDF places every chart with its title.
    let text = pdf_text(&dir.path().join("report.pdf"));
    for title in [
        "Return home interviews, month by month",
        "Missing episodes by quarter, 2023-24 and 2022-23",
        "Children by number of missing episodes",
    ] {
        assert!(text.contains(title), "the PDF lacks the chart {title:?}");
    }
}

#[test]
fn charts_show_the_figures_of_the_metrics_export() {
    let dir = tempfile::tempdir().unwrap();
    let export = gateshead_build(dir.path(), &[]);

    // Bars and line: episodes and children of each month.
    let (header, rows) = chart_data(dir.path(), "monthly_children_episodes");
    assert_eq!(header, ["Month", "Missing episodes", "Children who went missing"]);
    assert_eq!(rows.len(), 24);
    assert_eq!(rows.last().unwrap()[0], "2024-03");
    for row in &rows {
        assert_eq!(row[1], export[&key("all", "month", &row[0], "all", "all", "episodes")], "{row:?}");
        assert_eq!(row[2], export[&key("all", "month", &row[0], "all", "all", "children")], "{row:?}");
    }

    // Lines of rates: as plotted, to one decimal place.
    let (header, rows) = chart_data(dir.path(), "monthly_rhi_rates");
    assert_eq!(header[3], "Completed interviews within 72 hours (%)");
    for row in &rows {
        for (column, metric) in [(1, "pct_episodes_rhi_offered"), (2, "pct_rhi_accepted"), (3, "pct_rhi_within_72h")] {
            let exported: f64 = export[&key("all", "month", &row[0], "all", "all", metric)].parse().unwrap();
            assert_eq!(row[column], format!("{exported:.1}"), "{metric} in {}", row[0]);
        }
    }

    // Categories: episodes by age band in the year, all children and children in care.
    let (header, rows) = chart_data(dir.path(), "age_band");
    assert_eq!(header, ["Age at the start of the episode", "Missing episodes, all children", "Missing episodes, children in our care"]);
    let bands = [("Under 10", "under_10"), ("10 to 12", "10_12"), ("13 to 15", "13_15"), ("16 to 17", "16_17"), ("18 and over", "18_plus")];
    for (row, (label, band)) in rows.iter().zip(bands) {
        assert_eq!(row[0], label);
        assert_eq!(row[1], export[&key("all", "year", "2023-24", "age_band", band, "episodes")]);
        assert_eq!(row[2], export[&key("looked_after", "year", "2023-24", "age_band", band, "episodes")]);
    }

    // Quarters: this year beside last, both cohorts.
    let (_, rows) = chart_data(dir.path(), "quarterly_comparison");
    for (q, row) in rows.iter().enumerate() {
        let q = q + 1;
        assert_eq!(row[1], export[&key("all", "quarter", &format!("2022-23 Q{q}"), "all", "all", "episodes")]);
        assert_eq!(row[2], export[&key("all", "quarter", &format!("2023-24 Q{q}"), "all", "all", "episodes")]);
        assert_eq!(row[4], export[&key("looked_after", "quarter", &format!("2023-24 Q{q}"), "all", "all", "episodes")]);
    }

    // Reasons by frequency, with other and unknown last.
    let (_, rows) = chart_data(dir.path(), "reason");
    let counts: Vec<u64> = rows.iter().take_while(|r| r[0] != "Other" && r[0] != "Unknown").map(|r| r[1].parse().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "reasons not by frequency: {rows:?}");
    assert_eq!(rows.last().unwrap()[0], "Unknown");
}

#[test]
fn a_configured_target_is_drawn_and_described_on_its_chart() {
    let (dir, out) = example_build("targets:\n  pct_rhi_within_72h: { target: 80, better: higher }\n");
    let svg = std::fs::read_to_string(out.join("charts/monthly_rhi_rates.svg")).unwrap();
    assert!(
        svg.contains("The target for completed interviews within 72 hours, 80%, is drawn as a dashed line."),
        "no target in the description"
    );
    assert!(svg.contains("Target: completed interviews within 72 hours 80%"), "no target in the legend");
    let plain = dir.path().join("plain");
    assert_ok(&run(binary().arg("build").arg("--out").arg(&plain)));
    assert!(!std::fs::read_to_string(plain.join("charts/monthly_rhi_rates.svg")).unwrap().contains("Target"));
}

#[test]
fn a_return_date_far_in_the_future_leaves_the_month_charts_out_instead_of_failing() {
    // The default period end follows the latest recorded date (METRICS.md), so a
    // mistyped return in 2042 moves it past every month of data.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("far.csv");
    std::fs::write(
        &input,
        "episode_id,child_id,looked_after,start,end,rhi_offered,rhi_outcome,rhi_completed\n\
         e1,c1,Y,2023-04-01 10:00,2023-04-01 12:00,Y,accepted,2023-04-02 10:00\n\
         e2,c2,Y,2023-05-01 10:00,2042-05-01 12:00,Y,accepted,2023-05-02 10:00\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    assert_ok(&run(binary().args(["build", "-i"]).arg(&input).arg("--out").arg(&out)));
    for name in ["monthly_children_episodes", "monthly_rhi_rates", "repeat_children"] {
        assert!(!out.join(format!("charts/{name}.svg")).exists(), "{name} drawn with no month in range");
    }
    assert!(pdf_text(&out.join("report.pdf")).contains("No month before the period end lies within the data."));
}

#[test]
fn an_ssda903_build_leaves_out_the_interview_chart_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = binary();
    command.args(["build", "--layout", "ssda903"]);
    for file in ["ssda903_missing_2022-23.csv", "ssda903_missing_2023-24.csv"] {
        command.arg("-i").arg(fixture(&format!("layouts/{file}")));
    }
    assert_ok(&run(command.arg("--out").arg(dir.path())));
    let charts = dir.path().join("charts");
    assert!(!charts.join("monthly_rhi_rates.svg").exists() && !charts.join("monthly_rhi_rates.csv").exists());
    assert!(!charts.join("reason.svg").exists(), "SSDA903 records no reasons");
    assert!(charts.join("monthly_children_episodes.svg").exists());
    let text = pdf_text(&dir.path().join("report.pdf"));
    assert!(text.contains("Return home interviews are not recorded in the input"), "no note for the left-out chart");
    assert!(text.contains("This chart needs the reason column, which the input does not have"), "no note for the reason chart");
    assert!(text.contains("needs the cse_risk and cce_risk columns"), "no note for the exploitation chart");
}

/// The charts of breakdowns, where suppression applies (METRICS.md: totals stay exact).
const BREAKDOWN_CHARTS: [&str; 6] = ["age_band", "reason", "duration_band", "ethnicity_group", "exploitation", "episodes_per_child"];

#[test]
fn a_suppressed_build_shows_no_small_number_in_any_breakdown_chart() {
    let (_dir, out) = example_build("suppression:\n  threshold: 5\n");
    let small = |n: i64| (1..5).contains(&n);
    let mut hidden = 0;
    for name in BREAKDOWN_CHARTS {
        let (header, rows) = chart_data(&out, name);
        assert_eq!(header.len(), 3, "{name}: all children beside children in our care");
        for row in &rows {
            hidden += row.iter().filter(|c| *c == "c").count();
            let numbers: Vec<Option<i64>> = row[1..].iter().map(|c| c.parse().ok()).collect();
            for n in numbers.iter().flatten() {
                assert!(!small(*n), "{name}: {row:?} shows a small number");
            }
            // Side by side, the two bars must not give away a small number of children not in care.
            if let [Some(all), Some(in_care)] = numbers[..] {
                assert!(!small(all - in_care), "{name}: {row:?} leaves {} children not in care to be worked out", all - in_care);
            }
        }
        let svg = std::fs::read_to_string(out.join(format!("charts/{name}.svg"))).unwrap();
        let description = svg.split("<desc").nth(1).and_then(|d| d.split("</desc>").next()).unwrap_or("");
        for n in ["(1)", "(2)", "(3)", "(4)"] {
            assert!(!description.contains(n), "{name}: the description shows {n}");
        }
    }
    assert!(hidden > 0, "the example has small numbers to hide; none was hidden");
    // Totals stay exact: the monthly chart shows the export's figures whatever the threshold.
    let export = read_export(&std::fs::read_to_string(out.join("metrics.csv")).unwrap());
    let (_, rows) = chart_data(&out, "monthly_children_episodes");
    for row in &rows {
        assert_eq!(row[1], export[&key("all", "month", &row[0], "all", "all", "episodes")]);
    }
}
