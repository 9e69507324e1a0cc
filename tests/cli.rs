//! End-to-end tests: the real binary on fixture folders (see tests/README.md).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;

use common::*;

#[test]
fn gateshead_fixture_reproduces_every_published_figure() {
    let output = run(binary().args(["metrics", "-i"]).arg(fixture("gateshead/episodes.csv")));
    assert_ok(&output);
    let got = read_export(&String::from_utf8(output.stdout).unwrap());
    let expected = read_export(&std::fs::read_to_string(fixture("gateshead/expected.csv")).unwrap());
    assert_eq!(expected.len(), 72);
    for (key, value) in &expected {
        let actual = got.get(key).unwrap_or_else(|| panic!("missing from the export: {key:?}"));
        let (want, have): (f64, f64) = (value.parse().unwrap(), actual.parse().unwrap());
        if key.5.starts_with("pct_") {
            assert!((want - have).abs() <= 0.05, "{key:?}: expected {want}, got {have}");
        } else {
            assert_eq!(actual, value, "{key:?}");
        }
    }
}

#[test]
fn export_is_sorted_and_rates_are_empty_when_nothing_to_divide() {
    let output = run(binary().args(["metrics", "-i"]).arg(fixture("gateshead/episodes.csv")));
    assert_ok(&output);
    let text = String::from_utf8(output.stdout).unwrap();
    let rows: Vec<Vec<String>> = text.lines().skip(1).map(|l| l.split(',').map(str::to_string).collect()).collect();
    let mut sorted = rows.clone();
    sorted.sort();
    assert_eq!(rows, sorted, "rows are sorted by cohort, period_kind, period, dimension, category, metric");
    // The fixture records no looked-after absences in April 2022: absences 0, and every
    // rate is a number or empty, never NaN.
    assert!(!text.contains("NaN") && !text.contains("inf"));
    let export = read_export(&text);
    let key = |c: &str, k: &str, p: &str, m: &str| (c.into(), k.into(), p.into(), "all".into(), "all".into(), m.into());
    // Children are distinct over the year: fewer than the sum of the quarters.
    let year: u64 = export[&key("all", "year", "2022-23", "children")].parse().unwrap();
    let quarters: u64 = (1..=4).map(|q| export[&key("all", "quarter", &format!("2022-23 Q{q}"), "children")].parse::<u64>().unwrap()).sum();
    assert_eq!(year, 352);
    assert!(quarters > year);
    // Cohorts split the episodes: all = looked after + not looked after (no unknown status in the fixture).
    let episodes = |c: &str| export[&key(c, "year", "2023-24", "episodes")].parse::<u64>().unwrap();
    assert_eq!(episodes("all"), episodes("looked_after") + episodes("not_looked_after"));
    assert_eq!(episodes("looked_after"), 669, "the published children-in-care total");
}

#[test]
fn build_writes_report_charts_and_export_without_identifiers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = run(binary().arg("build").arg("--out").arg(&out).current_dir(dir.path()));
    assert_ok(&output);
    let pdf = out.join("report.pdf");
    assert!(pdf_pages(&pdf) >= 4);
    let svgs: Vec<PathBuf> = std::fs::read_dir(out.join("charts")).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(svgs.len() >= 2, "{svgs:?}");
    let metrics = std::fs::read_to_string(out.join("metrics.csv")).unwrap();

    let text = pdf_text(&pdf);
    for needle in [
        "Headline figures",
        "All children",
        "Children in our care",
        "Children missing from home",
        "TO BE ADDED",
        "OFFICIAL",
        "Page 1 of",
        "EXAMPLE DATA",
    ] {
        assert!(text.contains(needle), "the PDF lacks {needle:?}");
    }
    // Figures in the PDF are the export's figures.
    let export = read_export(&metrics);
    let year_children = &export[&("all".into(), "year".into(), "2024-25".into(), "all".into(), "all".into(), "children".into())];
    assert!(text.contains(year_children.as_str()), "the PDF shows the year's children ({year_children})");

    // No identifier of the input anywhere in what is published.
    let mut reader = csv::Reader::from_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/episodes.csv")).unwrap();
    let mut identifiers = BTreeSet::new();
    for record in reader.records() {
        let record = record.unwrap();
        identifiers.insert(record[0].to_string());
        identifiers.insert(record[1].to_string());
    }
    assert!(identifiers.len() > 1000);
    let terminal = format!("{}{}", String::from_utf8_lossy(&output.stdout), stderr(&output));
    let mut published =
        vec![("report.pdf".to_string(), text), ("metrics.csv".to_string(), metrics), ("the terminal".to_string(), terminal)];
    let tables: Vec<PathBuf> = std::fs::read_dir(out.join("tables")).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(tables.len() >= 15, "{tables:?}");
    for table in &tables {
        published.push((table.display().to_string(), std::fs::read_to_string(table).unwrap()));
    }
    for svg in &svgs {
        published.push((svg.display().to_string(), std::fs::read_to_string(svg).unwrap()));
    }
    for (name, content) in &published {
        for id in &identifiers {
            assert!(!content.contains(id.as_str()), "{name} contains the identifier {id}");
        }
    }
}

#[test]
fn two_builds_give_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for out in [&a, &b] {
        assert_ok(&run(binary().arg("build").arg("--png").arg("--out").arg(out)));
    }
    let mut files = vec!["metrics.csv".to_string(), "spc.csv".to_string(), "report.pdf".to_string()];
    let mut charts: Vec<String> =
        std::fs::read_dir(a.join("charts")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    charts.sort();
    for extension in [".svg", ".csv", ".png"] {
        // 11 charts of the paper and one SPC chart for each of 8 series.
        assert_eq!(charts.iter().filter(|c| c.ends_with(extension)).count(), 19, "{extension} files: {charts:?}");
    }
    files.extend(charts.iter().map(|c| format!("charts/{c}")));
    for file in &files {
        let (x, y) = (std::fs::read(a.join(file)).unwrap(), std::fs::read(b.join(file)).unwrap());
        assert!(x == y, "{file} differs between two runs");
    }
}

#[test]
fn runs_from_any_folder_with_embedded_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(binary().current_dir(dir.path()));
    assert_ok(&output);
    for file in ["out/report.pdf", "out/metrics.csv", "out/charts/monthly_children_episodes.svg"] {
        assert!(dir.path().join(file).is_file(), "{file} not written");
    }
}

#[test]
fn final_refuses_placeholders_and_accepts_full_commentary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let refused = run(binary().args(["build", "--final", "--out"]).arg(&out));
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused)
            .contains("placeholders for: all_children, children_in_care, interviews, missing_from_home, recommendations, summary"),
        "{}",
        stderr(&refused)
    );
    assert!(!out.exists(), "nothing is written when the build fails");

    let commentary = dir.path().join("commentary.md");
    std::fs::write(
        &commentary,
        "## summary\nFewer **children** went missing.\n\n## all_children\nSteady.\n\n## children_in_care\n- one\n- two #set page(width: 1cm)\n\n## recommendations\nNote the report.\n\n## interviews\nBetter.\n\n## missing_from_home\nFewer.\n",
    )
    .unwrap();
    let output = run(binary().args(["build", "--final", "--out"]).arg(&out).arg("--commentary").arg(&commentary));
    assert_ok(&output);
    let text = pdf_text(&out.join("report.pdf"));
    assert!(!text.contains("TO BE ADDED"));
    assert!(text.contains("Fewer children went missing."));
    // Commentary is text, never Typst code.
    assert!(text.contains("two #set page(width: 1cm)"));
}

#[test]
fn config_typo_names_key_and_line_with_exit_code_1() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.yaml");
    std::fs::write(&config, "report:\n  authority: Testshire\nrules:\n  include_absnt: true\n").unwrap();
    let output = run(binary().args(["build", "-c"]).arg(&config));
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("include_absnt") && message.contains("line 4") && message.contains("config.yaml"), "{message}");
}

#[test]
fn unusable_input_exits_2_naming_file_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let missing_column = dir.path().join("no_start.csv");
    std::fs::write(&missing_column, "episode_id,child_id,looked_after\ne1,c1,Y\n").unwrap();
    let output = run(binary().args(["metrics", "-i"]).arg(&missing_column));
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no_start.csv: row 1: required column start missing"), "{}", stderr(&output));

    let ragged = dir.path().join("ragged.csv");
    std::fs::write(&ragged, "episode_id,child_id,looked_after,start\ne1,c1,Y,2023-04-01\ne2,c2,Y\n").unwrap();
    let output = run(binary().args(["metrics", "-i"]).arg(&ragged));
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("ragged.csv: row 3"), "{}", stderr(&output));

    let nothing = dir.path().join("nothing.csv");
    std::fs::write(&nothing, "episode_id,child_id,looked_after,start\ne1,c1,Y,31/02/2023\n").unwrap();
    let output = run(binary().args(["metrics", "-i"]).arg(&nothing));
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no episode left to count") && stderr(&output).contains("unparseable_date"), "{}", stderr(&output));
}

#[test]
fn init_writes_an_editable_template_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("paper");
    assert_ok(&run(binary().arg("init").arg(&project)));
    // A user edit in the copied template shows in the PDF; `build` in the
    // folder finds missing-report.yaml, and `--template` takes the folder as it is.
    let main = project.join("templates/main.typ");
    let edited = std::fs::read_to_string(&main).unwrap().replace("= Summary", "= Summary (edited)");
    std::fs::write(&main, edited).unwrap();
    let output = run(binary().arg("build").current_dir(&project));
    assert_ok(&output);
    let text = pdf_text(&project.join("out/report.pdf"));
    assert!(text.contains("Summary (edited)"));
    let other = dir.path().join("other");
    let output = run(binary().arg("build").arg("--template").arg(project.join("templates")).arg("--out").arg(&other));
    assert_ok(&output);
    assert!(pdf_text(&other.join("report.pdf")).contains("Summary (edited)"));
    // The starter commentary holds every slot of the template, its example live figures filled in.
    assert!(text.contains("Replace this paragraph with your own words."), "the starter commentary is used");
    assert!(!text.contains("{{") && !text.contains("TO BE ADDED"), "{text}");
    // init never overwrites.
    let again = run(binary().arg("init").arg(&project));
    assert_eq!(again.status.code(), Some(1));
}

#[test]
fn period_end_option_moves_the_reporting_year() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(binary().args(["build", "--period", "2024-09", "--out"]).arg(dir.path()));
    assert_ok(&output);
    let text = pdf_text(&dir.path().join("report.pdf"));
    assert!(text.contains("April 2024 to September 2024"));
    assert!(text.contains("Year to date"));
    let outside = run(binary().args(["build", "--period", "2030-01", "--out"]).arg(dir.path().join("x")));
    assert_eq!(outside.status.code(), Some(1));
    assert!(stderr(&outside).contains("outside the data"));
}

#[test]
fn rules_in_the_config_change_the_figures_and_the_appendix_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("rules.yaml");
    std::fs::write(
        &config,
        "rules:\n  repeat: { episodes: 3, days: 30 }\n  top_n: 10\n  include_absent: true\nsuppression:\n  threshold: 5\n",
    )
    .unwrap();
    let default_export = run(binary().arg("metrics"));
    let ruled = run(binary().args(["build", "-c"]).arg(&config));
    assert_ok(&ruled);
    let out = dir.path().join("out");
    let text = pdf_text(&out.join("report.pdf"));
    for needle in
        ["3 episodes that started within 30 days", "10 children with the most episodes", "shown as c", "counted as missing episodes"]
    {
        assert!(text.contains(needle), "the appendix lacks {needle:?}");
    }
    let default_rows = read_export(&String::from_utf8(default_export.stdout).unwrap());
    let ruled_rows = read_export(&std::fs::read_to_string(out.join("metrics.csv")).unwrap());
    let key = |metric: &str| {
        ("all".to_string(), "year".to_string(), "2024-25".to_string(), "all".to_string(), "all".to_string(), metric.to_string())
    };
    // Absences now count as episodes; the 30-day repeat trigger is the 30-day metric.
    let n = |rows: &BTreeMap<Key, String>, m: &str| rows[&key(m)].parse::<f64>().unwrap();
    assert_eq!(n(&ruled_rows, "episodes"), n(&default_rows, "episodes") + n(&default_rows, "absences"));
    assert_eq!(n(&ruled_rows, "children_repeat"), n(&ruled_rows, "children_repeat_30d"));
    assert!(n(&ruled_rows, "top20_share") < n(&default_rows, "top20_share"));
    // Small breakdown counts are hidden, totals are not.
    assert!(ruled_rows.iter().any(|(k, v)| k.3 != "all" && v == "c"));
    assert!(ruled_rows.iter().all(|(k, v)| k.3 != "all" || v != "c"));
}

#[test]
fn jsonl_export_matches_the_csv_row_for_row() {
    let csv = run(binary().args(["metrics", "--format", "csv"]));
    let jsonl = run(binary().args(["metrics", "--format", "jsonl"]));
    assert_ok(&csv);
    assert_ok(&jsonl);
    let csv = String::from_utf8(csv.stdout).unwrap();
    let jsonl = String::from_utf8(jsonl.stdout).unwrap();
    assert_eq!(csv.lines().count() - 1, jsonl.lines().count());
    for (c, j) in csv.lines().skip(1).zip(jsonl.lines()).step_by(97) {
        let object: serde_json::Value = serde_json::from_str(j).unwrap();
        let fields: Vec<&str> = c.split(',').collect();
        assert_eq!(object["cohort"], fields[0]);
        assert_eq!(object["period"], fields[2]);
        assert_eq!(object["metric"], fields[5]);
        // The value as written (parsing it back may round the last digit).
        let raw = j.rsplit_once("\"value\":").unwrap().1.trim_end_matches('}');
        let value = match raw {
            "null" => String::new(),
            quoted if quoted.starts_with('"') => quoted.trim_matches('"').to_string(),
            number => number.to_string(),
        };
        assert_eq!(value, fields[6]);
    }
}

#[test]
fn timings_print_each_stage_of_metrics_and_build_and_leave_the_export_alone() {
    let stage_names = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with("  ") && l.trim_end().ends_with(" ms"))
            .map(|l| l.split_whitespace().next().unwrap().to_string())
            .collect()
    };
    let plain = run(binary().args(["metrics"]));
    let timed = run(binary().args(["metrics", "--timings"]));
    assert_ok(&timed);
    // The export on standard output is the same; the timings go to standard error.
    assert_eq!(plain.stdout, timed.stdout);
    assert_eq!(stage_names(&stderr(&timed)), ["ingest", "metrics", "export", "write", "total"]);
    assert!(stage_names(&stderr(&plain)).is_empty(), "{}", stderr(&plain));

    let dir = tempfile::tempdir().unwrap();
    let built = run(binary().args(["build", "--timings", "--out"]).arg(dir.path()));
    assert_ok(&built);
    assert_eq!(
        stage_names(&stderr(&built)),
        ["ingest", "metrics", "export", "charts", "report", "render", "layout", "pdf", "tables", "write", "total"]
    );
}

/// Findings of `validate` on one file: (row, rule, column, action).
fn findings(file: &Path, config: Option<&Path>) -> (Output, Vec<(usize, String, String, String)>) {
    let dir = tempfile::tempdir().unwrap();
    let findings = dir.path().join("findings.csv");
    let mut command = binary();
    command.args(["validate", "-i"]).arg(file).arg("--findings").arg(&findings);
    if let Some(config) = config {
        command.arg("-c").arg(config);
    }
    let output = run(&mut command);
    let rows = if findings.exists() {
        let mut reader = csv::Reader::from_path(&findings).unwrap();
        assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), ["file", "row", "column", "rule", "value", "action"]);
        reader
            .records()
            .map(|r| r.unwrap())
            .map(|r| (r[1].parse().unwrap(), r[3].to_string(), r[2].to_string(), r[5].to_string()))
            .collect()
    } else {
        Vec::new()
    };
    (output, rows)
}

/// A finding as the findings CSV gives it: (row, column, action).
type ExpectedFinding<'a> = (usize, &'a str, &'a str);

#[test]
fn every_data_quality_rule_finds_the_rows_worked_out_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let extract_date = dir.path().join("extract.yaml");
    std::fs::write(&extract_date, "rules:\n  extract_date: 2023-06-30\n").unwrap();
    // (rule, expected (row, column, action) of its findings); row 1 is the header.
    let cases: [(&str, &[ExpectedFinding]); 14] = [
        ("missing_required", &[(3, "child_id", "excluded"), (4, "start", "excluded"), (5, "looked_after", "excluded")]),
        ("unparseable_date", &[(2, "start", "excluded"), (3, "end;rhi_completed", "field_ignored"), (4, "date_of_birth", "field_ignored")]),
        ("duplicate_episode_id", &[(4, "episode_id", "excluded"), (5, "episode_id", "excluded"), (6, "episode_id", "excluded")]),
        ("future_start", &[(3, "start", "excluded"), (4, "start", "excluded")]),
        ("end_before_start", &[(2, "end", "field_ignored"), (3, "end", "field_ignored")]),
        ("rhi_before_end", &[(2, "rhi_completed", "kept")]),
        ("rhi_completed_not_offered", &[(2, "rhi_completed", "kept")]),
        ("age_out_of_range", &[(2, "date_of_birth", "field_ignored"), (3, "date_of_birth", "field_ignored")]),
        (
            "unknown_value",
            &[(2, "looked_after", "field_ignored"), (3, "placement_area;rhi_outcome", "field_ignored"), (4, "cse_risk", "field_ignored")],
        ),
        ("overlapping_episodes", &[(3, "start", "kept"), (4, "start", "kept"), (7, "start", "kept")]),
        ("long_episode", &[(2, "end", "kept")]),
        ("open_episode", &[(2, "end", "kept"), (3, "end", "kept")]),
        ("other_la_excluded", &[(2, "other_la", "excluded"), (3, "other_la", "excluded")]),
        ("absence_excluded", &[(2, "episode_type", "excluded"), (3, "episode_type", "excluded")]),
    ];
    for (rule, expected) in cases {
        let config = (rule == "future_start").then_some(extract_date.as_path());
        let (output, all) = findings(&fixture(&format!("rules/{rule}.csv")), config);
        assert_ok(&output);
        let found: Vec<(usize, &str, &str)> =
            all.iter().filter(|(_, r, _, _)| r == rule).map(|(row, _, column, action)| (*row, column.as_str(), action.as_str())).collect();
        assert_eq!(found, expected, "{rule}");
        // The summary names the rule with its count.
        let summary = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(summary.lines().any(|l| l.contains(rule) && l.contains(&expected.len().to_string())), "{rule}: {summary}");
    }
}

#[test]
fn an_excluded_row_gets_no_other_finding_and_findings_are_in_row_and_rule_order() {
    let (_, all) = findings(&fixture("rules/unparseable_date.csv"), None);
    // Row 2 (bad start) is excluded: its end and interview are not judged.
    assert_eq!(all.iter().filter(|f| f.0 == 2).count(), 1);
    let mut sorted = all.clone();
    sorted.sort_by_key(|f| f.0);
    assert_eq!(sorted, all);
}

/// Runs `validate` on a file: Ok(episodes counted) or Err((exit code, stderr)).
fn validate_file(path: &Path) -> Result<usize, (i32, String)> {
    let output = run(binary().args(["validate", "-i"]).arg(path));
    let code = output.status.code().unwrap_or(-1);
    if code != 0 {
        assert!(code == 1 || code == 2, "{}: exit {code}", path.display());
        return Err((code, stderr(&output)));
    }
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let line = stdout.lines().find(|l| l.ends_with("episodes would be counted")).expect("a count line");
    Ok(line.split_whitespace().next().unwrap().parse().unwrap())
}

#[test]
fn malformed_inputs_read_correctly_or_fail_with_a_message_never_a_panic() {
    // (file, Ok(episodes) or Err(message fragment)); every failure must exit 2.
    let cases: [(&str, Result<usize, &str>); 27] = [
        ("empty.csv", Err("the file is empty")),
        ("header_only.csv", Err("no episode left to count")),
        ("random_bytes.csv", Err("does not look like a CSV text file")),
        ("missing_required_column.csv", Err("row 1: required column start missing")),
        ("semicolons.csv", Ok(3)),
        ("bom.csv", Ok(2)),
        ("windows1252.csv", Ok(2)),
        ("crlf.csv", Ok(2)),
        ("ragged_row.csv", Err("row 3: 4 fields where the header has 7")),
        ("duplicate_header.csv", Err("column `Start` appears twice")),
        ("quoted_newlines.csv", Ok(2)),
        ("all_rows_invalid.csv", Err("no episode left to count")),
        ("extreme_dates.csv", Ok(1)),
        ("xlsx_renamed.csv", Err("this looks like an XLSX workbook")),
        ("old_xls_renamed.csv", Err("old Excel .xls workbook")),
        ("uk_and_iso_dates.csv", Ok(4)),
        ("yes_no_variants.csv", Ok(5)),
        ("tabs.csv", Ok(1)),
        ("nul_bytes.csv", Ok(2)),
        ("blank_lines.csv", Ok(2)),
        ("na_values.csv", Ok(2)),
        ("header_spaces_and_case.csv", Ok(1)),
        ("only_absences.csv", Err("no episode left to count")),
        ("unterminated_quote.csv", Err("row 2: 6 fields")),
        ("no_header_just_data.csv", Err("required columns episode_id, child_id, looked_after, start missing")),
        // Found by the fuzzers (fuzz/): dates that split a character or end in a short zone, and a sheet dimension that overflows the workbook reader.
        ("fuzz_dates.csv", Ok(1)),
        ("damaged_dimension.xlsx", Err("the workbook is damaged and cannot be read")),
    ];
    for (name, expected) in cases {
        let path = fixture(&format!("malformed/{name}"));
        match (validate_file(&path), expected) {
            (Ok(n), Ok(want)) => assert_eq!(n, want, "{name}"),
            (Err((code, message)), Err(fragment)) => {
                assert_eq!(code, 2, "{name}: {message}");
                assert!(message.contains(fragment), "{name}: {message}");
                assert!(message.contains(name), "{name}: the message names the file: {message}");
            }
            (got, want) => panic!("{name}: expected {want:?}, got {got:?}"),
        }
    }
}

#[test]
fn a_one_megabyte_field_and_five_hundred_extra_columns_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big_field.csv");
    let field = "x".repeat(1 << 20);
    std::fs::write(
        &big,
        format!("episode_id,child_id,looked_after,start,reason\ne1,c1,Y,2023-05-01,\"{field}\"\ne2,c2,N,2023-05-02,cse\n"),
    )
    .unwrap();
    assert_eq!(validate_file(&big), Ok(2));
    let wide = dir.path().join("wide.csv");
    let extra: Vec<String> = (0..500).map(|i| format!("extra_{i}")).collect();
    let values = vec!["v"; 500].join(",");
    std::fs::write(&wide, format!("episode_id,child_id,looked_after,start,{}\ne1,c1,Y,2023-05-01,{values}\n", extra.join(","))).unwrap();
    assert_eq!(validate_file(&wide), Ok(1));
}

#[test]
fn windows_1252_text_is_transcoded_and_the_summary_says_so() {
    let output = run(binary().args(["validate", "-i"]).arg(fixture("malformed/windows1252.csv")));
    assert_ok(&output);
    assert!(String::from_utf8_lossy(&output.stdout).contains("read as Windows-1252"));
}

fn export_of(args: &[&str], files: &[&str]) -> String {
    let mut command = binary();
    command.arg("metrics").args(args);
    for file in files {
        command.arg("-i").arg(fixture(&format!("layouts/{file}")));
    }
    let output = run(&mut command);
    assert_ok(&output);
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn ssda903_and_ssd_extracts_count_the_same_looked_after_episodes_as_canonical_rows() {
    let canonical = read_export(&export_of(&[], &["canonical.csv"]));
    let ssda903 = read_export(&export_of(&["--layout", "ssda903"], &["ssda903_missing_2022-23.csv", "ssda903_missing_2023-24.csv"]));
    let ssd = read_export(&export_of(&["--layout", "ssd"], &["ssd_missing.csv", "ssd_person.csv", "ssd_cla_episodes.csv"]));
    let key = |year: &str, metric: &str| {
        ("looked_after".to_string(), "year".to_string(), year.to_string(), "all".to_string(), "all".to_string(), metric.to_string())
    };
    // Worked out by hand from the rows (the absence of C101 is left out).
    for (year, episodes, children) in [("2022-23", "5", "3"), ("2023-24", "5", "3")] {
        for (name, export) in [("canonical", &canonical), ("ssda903", &ssda903), ("ssd", &ssd)] {
            assert_eq!(export[&key(year, "episodes")], episodes, "{name} {year}");
            assert_eq!(export[&key(year, "children")], children, "{name} {year}");
            assert_eq!(export[&key(year, "absences")], if year == "2022-23" { "1" } else { "0" }, "{name} {year}");
        }
    }
    // SSDA903 has no interview fields: those metrics are not exported, not zero.
    assert!(!ssda903.keys().any(|k| k.5.contains("rhi")));
    assert!(ssd.keys().any(|k| k.5 == "episodes_rhi_offered"));
    // The SSD extract holds children not in care as well, like the canonical file.
    let all = |export: &BTreeMap<Key, String>| {
        export[&("all".into(), "year".into(), "2023-24".into(), "all".into(), "all".into(), "episodes".into())].clone()
    };
    assert_eq!(all(&ssd), all(&canonical));
}

#[test]
fn an_xlsx_workbook_gives_the_same_export_as_the_csv_of_its_rows() {
    let csv = export_of(&[], &["canonical.csv"]);
    let xlsx = export_of(&[], &["canonical.xlsx"]);
    assert_eq!(csv, xlsx);
}

#[test]
fn workbook_findings_name_the_spreadsheet_row() {
    // The header sits in row 3 under a title and a blank row; E8 (no return recorded) is row 11 of the sheet, row 9 of the CSV.
    let (_, xlsx) = findings(&fixture("layouts/canonical.xlsx"), None);
    let (_, csv) = findings(&fixture("layouts/canonical.csv"), None);
    let open_row = |all: &[(usize, String, String, String)]| all.iter().find(|f| f.1 == "open_episode").map(|f| f.0);
    assert_eq!(open_row(&xlsx), Some(11));
    assert_eq!(open_row(&csv), Some(9));
}

/// The summary lines of `validate` for one rule, e.g. "duplicate_episode_id 500 (500 excluded) ...".
fn rule_line(stdout: &str, rule: &str) -> Option<String> {
    stdout.lines().find(|l| l.trim_start().starts_with(rule)).map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[test]
fn a_large_extract_read_in_parallel_chunks_counts_exactly_as_small_files_do() {
    // Chunks of 4,096 rows and more parse on every core and check duplicates
    // and children side by side; smaller files take the one-thread path. The
    // same rows must give the same figures and findings either way.
    let dir = tempfile::tempdir().unwrap();
    let generated = dir.path().join("generated.csv");
    assert_ok(&run(binary().args(["synth", "--episodes", "20000", "--seed", "5", "-o"]).arg(&generated)));
    let text = std::fs::read_to_string(&generated).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 20_000);
    // 500 rows again at the end: duplicates of ids first seen in another chunk.
    let all: Vec<&str> = rows.iter().chain(rows[..500].iter()).copied().collect();

    let whole = dir.path().join("whole.csv");
    std::fs::write(&whole, format!("{header}\n{}\n", all.join("\n"))).unwrap();
    let mut parts = Vec::new();
    for (i, part) in all.chunks(2_000).enumerate() {
        let path = dir.path().join(format!("part{i:02}.csv"));
        std::fs::write(&path, format!("{header}\n{}\n", part.join("\n"))).unwrap();
        parts.push(path);
    }
    let with_parts = |command: &str| {
        let mut cmd = binary();
        cmd.arg(command);
        for part in &parts {
            cmd.arg("-i").arg(part);
        }
        run(&mut cmd)
    };

    let (one, many) = (run(binary().args(["metrics", "-i"]).arg(&whole)), with_parts("metrics"));
    assert_ok(&one);
    assert_ok(&many);
    assert!(one.stdout == many.stdout, "the export differs between one file and its parts");

    let (one, many) = (run(binary().args(["validate", "-i"]).arg(&whole)), with_parts("validate"));
    let (one, many) = (String::from_utf8_lossy(&one.stdout).into_owned(), String::from_utf8_lossy(&many.stdout).into_owned());
    assert_eq!(rule_line(&one, "duplicate_episode_id").as_deref().map(|l| l.split(' ').nth(1)), Some(Some("500")));
    for rule in ["duplicate_episode_id", "overlapping_episodes", "open_episode", "other_la_excluded", "absence_excluded"] {
        assert_eq!(rule_line(&one, rule), rule_line(&many, rule), "{rule}");
    }
}
