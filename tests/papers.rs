//! The three papers end to end: each template on the Gateshead fixture and
//! on the bundled example is tagged, embeds its fonts and holds its section
//! headings; the scrutiny monthly table shows hand-counted figures in the
//! right cells; the printed tables reach tables.xlsx and tables/ cell for
//! cell; the bundle builds with the typst command; and each thing a new
//! user met is gone.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::*;

const TEMPLATES: [(&str, &[&str]); 3] = [
    (
        "overview",
        &[
            "Summary",
            "Analysis and management comments",
            "The latest month and quarter",
            "Trends",
            "Return home interviews",
            "Repeat missing",
            "All children",
            "Children in our care",
            "Children missing from home",
            "Who went missing",
            "Appendix A: definitions and counting rules",
            "Appendix B: data quality",
        ],
    ),
    (
        "scrutiny",
        &[
            "REPORT TO",
            "BRIEF FOR THE COMMITTEE",
            "KEY DECISION",
            "Recommendations",
            "1. Executive summary",
            "2. Month by month",
            "3. Children in our care",
            "4. Children missing from home",
            "Contact officer",
            "Background documents",
            "Appendix A: definitions and counting rules",
            "Appendix B: data quality",
        ],
    ),
    (
        "corporate-parenting",
        &[
            "Recommendations",
            "Purpose and background",
            "Summary",
            "All children",
            "Children in our care",
            "Children missing from home",
            "Repeat missing and exploitation",
            "Who went missing",
            "Appendix A: definitions and counting rules",
            "Appendix B: data quality",
        ],
    ),
];

fn build(args: &[&str], out: &Path) -> std::process::Output {
    let output = run(binary().arg("build").args(args).arg("--out").arg(out));
    assert_ok(&output);
    output
}

fn tool(name: &str, pdf: &Path) -> String {
    let output = Command::new(name).arg(pdf).output().unwrap_or_else(|_| panic!("{name} (poppler-utils) is installed"));
    assert!(output.status.success(), "{name} failed");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// pdftotext with the layout kept, for reading table rows.
fn layout_text(pdf: &Path) -> String {
    let output = Command::new("pdftotext").args(["-layout", pdf.to_str().unwrap(), "-"]).output().expect("pdftotext");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The cells after `label` on the first line of the PDF that starts with it.
fn pdf_row(layout: &str, label: &str) -> Option<Vec<String>> {
    layout
        .lines()
        .map(str::trim)
        .find_map(|line| line.strip_prefix(label))
        .map(|rest| rest.split_whitespace().map(str::to_string).collect())
}

/// A CSV table of `tables/`: (title, rows of cells, first the headings).
fn csv_table(path: &Path) -> (String, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_path(path).unwrap();
    let mut records: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    let title = records.remove(0).remove(0);
    let end = records.iter().position(|r| r.len() == 1 && r[0].is_empty()).unwrap_or(records.len());
    records.truncate(end);
    (title, records)
}

#[test]
fn every_template_is_tagged_embeds_its_fonts_and_holds_its_sections_on_the_fixture_and_the_example() {
    let dir = tempfile::tempdir().unwrap();
    let gateshead = fixture("gateshead/episodes.csv");
    for (template, headings) in TEMPLATES {
        for (name, inputs) in [("gateshead", vec!["-i", gateshead.to_str().unwrap(), "--period", "2024-03"]), ("example", vec![])] {
            let out = dir.path().join(format!("{template}-{name}"));
            let mut args = vec!["--template", template];
            args.extend(inputs);
            build(&args, &out);
            let pdf = out.join("report.pdf");
            let info = tool("pdfinfo", &pdf);
            assert!(info.contains("Tagged:          yes"), "{template} on {name}: not tagged\n{info}");
            assert!(info.contains("Title:           Children who go missing"), "{template}: no title\n{info}");
            let fonts = tool("pdffonts", &pdf);
            let rows: Vec<&str> = fonts.lines().skip(2).collect();
            assert!(!rows.is_empty(), "{template}: no fonts listed");
            for row in rows {
                let columns: Vec<&str> = row.split_whitespace().collect();
                // name type encoding emb sub uni object ID: `emb` is the fourth column from the end.
                assert_eq!(columns[columns.len() - 5], "yes", "{template} on {name}: a font is not embedded: {row}");
            }
            let text = pdf_text(&pdf);
            for heading in headings {
                assert!(text.contains(heading), "{template} on {name} lacks the heading {heading:?}");
            }
            assert_eq!(text.contains("EXAMPLE DATA"), name == "example", "{template} on {name}: the example marking");
        }
    }
}

#[test]
fn the_scrutiny_monthly_table_shows_the_counts_worked_out_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let input = fixture("papers/monthly.csv");
    build(&["--template", "scrutiny", "-i", input.to_str().unwrap(), "--period", "2024-06"], &out);
    // Apr: c1 (e1 done, e2 not), c2 (not offered), c3 (done), c1's two episodes in care.
    // May: c2 (done), c4 twice in care (one offered, none done). Jun: c5 (done).
    let expected: [(&str, [&str; 4]); 8] = [
        ("Children who went missing", ["3", "2", "1", "5"]),
        ("Children offered a return home interview", ["2", "2", "1", "5"]),
        ("Children with an interview done", ["2", "1", "1", "4"]),
        ("Missing episodes", ["4", "3", "1", "8"]),
        ("Episodes with an interview done", ["2", "1", "1", "4"]),
        ("Interview offer rate for children", ["66.7%", "100.0%", "100.0%", "100.0%"]),
        ("Interviews done as % of episodes", ["50.0%", "33.3%", "100.0%", "50.0%"]),
        ("Interviews done as % of episodes: children in our care", ["50.0%", "0.0%", "–", "25.0%"]),
    ];
    let (title, rows) = csv_table(&out.join("tables/monthly.csv"));
    assert_eq!(title, "Month by month, Apr 2024 to Jun 2024");
    assert_eq!(rows[0], ["", "Apr 24", "May 24", "Jun 24", "Year to date"]);
    for (label, cells) in expected {
        let row = rows.iter().find(|r| r[0] == label).unwrap_or_else(|| panic!("no row {label}"));
        assert_eq!(&row[1..], cells, "{label}");
    }
    // The PDF prints the same cells in the same order (rows whose label fits on one line).
    let layout = layout_text(&out.join("report.pdf"));
    for (label, cells) in [&expected[0], &expected[3], &expected[4]] {
        assert_eq!(pdf_row(&layout, label).unwrap_or_default(), cells, "PDF row {label}");
    }
}

#[test]
fn the_quarterly_tables_print_the_published_gateshead_figures_and_the_workbook_holds_the_same_cells() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let input = fixture("gateshead/episodes.csv");
    build(&["--template", "corporate-parenting", "-i", input.to_str().unwrap(), "--period", "2024-03"], &out);
    // Seed 003, "All children – summary tables", 2023/24 and children in our care 2022/23.
    let (_, all) = csv_table(&out.join("tables/quarterly_all_current.csv"));
    let row = |rows: &[Vec<String>], label: &str| rows.iter().find(|r| r[0] == label).unwrap()[1..].to_vec();
    assert_eq!(row(&all, "Missing episodes"), ["351", "252", "270", "293", "1,166"]);
    assert_eq!(row(&all, "Children who went missing")[4], "323");
    assert_eq!(row(&all, "Offers accepted"), ["291", "191", "193", "227", "902"]);
    assert_eq!(row(&all, "% of offers accepted"), ["82.9%", "75.8%", "71.7%", "78.5%", "77.7%"]);
    assert_eq!(row(&all, "Completed within 72 hours"), ["53", "60", "80", "91", "284"]);
    let (_, care) = csv_table(&out.join("tables/quarterly_looked_after_previous.csv"));
    assert_eq!(row(&care, "Missing episodes"), ["210", "324", "206", "221", "961"]);
    assert_eq!(row(&care, "% completed within 72 hours"), ["31.6%", "25.4%", "22.0%", "25.1%", "25.7%"]);
    let layout = layout_text(&out.join("report.pdf"));
    assert!(layout.lines().any(|l| l.split_whitespace().collect::<Vec<_>>().ends_with(&["351", "252", "270", "293", "1,166"])));

    // Every sheet of tables.xlsx is a printed table, cell for cell as in tables/NAME.csv.
    let mut workbook: Xlsx<_> = open_workbook(out.join("tables.xlsx")).expect("calamine opens tables.xlsx");
    let csvs: Vec<PathBuf> = std::fs::read_dir(out.join("tables")).unwrap().map(|e| e.unwrap().path()).collect();
    let sheets = workbook.sheet_names().to_vec();
    assert_eq!(sheets.len(), csvs.len());
    assert!(sheets.len() >= 15, "{sheets:?}");
    let text = pdf_text(&out.join("report.pdf"));
    for sheet in &sheets {
        let range = workbook.worksheet_range(sheet).unwrap();
        let cells: Vec<Vec<String>> =
            range.rows().map(|r| r.iter().map(|c| if let Data::String(s) = c { s.clone() } else { String::new() }).collect()).collect();
        let title = cells[0][0].clone();
        assert!(text.contains(&title), "the PDF prints the table {title}");
        let csv = csvs.iter().map(|p| csv_table(p)).find(|(t, _)| *t == title).unwrap_or_else(|| panic!("no CSV for {title}"));
        for (r, line) in csv.1.iter().enumerate() {
            let sheet_line: Vec<&str> = cells[r + 1].iter().map(String::as_str).take(line.len()).collect();
            assert_eq!(sheet_line, line.iter().map(String::as_str).collect::<Vec<_>>(), "{title}, line {r}");
        }
    }
}

#[test]
fn two_builds_of_each_paper_give_identical_pdfs_and_workbooks() {
    let dir = tempfile::tempdir().unwrap();
    for (template, _) in TEMPLATES {
        let (a, b) = (dir.path().join(format!("{template}-a")), dir.path().join(format!("{template}-b")));
        build(&["--template", template], &a);
        build(&["--template", template], &b);
        for file in ["report.pdf", "tables.xlsx", "tables/monthly.csv"] {
            if a.join(file).exists() || file != "tables/monthly.csv" {
                assert_eq!(std::fs::read(a.join(file)).unwrap(), std::fs::read(b.join(file)).unwrap(), "{template}: {file} differs");
            }
        }
    }
}

#[test]
fn the_bundle_builds_with_the_typst_command_to_the_same_text() {
    let dir = tempfile::tempdir().unwrap();
    let (out, bundle) = (dir.path().join("out"), dir.path().join("bundle"));
    build(&["--template", "corporate-parenting", "--emit-bundle", bundle.to_str().unwrap()], &out);
    for file in
        ["corporate-parenting.typ", "components.typ", "data.json", "README.txt", "fonts/LiberationSans-Regular.ttf", "charts/age_band.svg"]
    {
        assert!(bundle.join(file).is_file(), "the bundle lacks {file}");
    }
    // data.json holds the monthly series of every cohort (24 months) for template authors.
    let data: serde_json::Value = serde_json::from_slice(&std::fs::read(bundle.join("data.json")).unwrap()).unwrap();
    let series = data["series"].as_array().unwrap();
    for cohort in ["all", "looked_after", "not_looked_after"] {
        let monthly = series.iter().find(|s| s["cohort"] == cohort && s["kind"] == "month").unwrap();
        assert_eq!(monthly["periods"].as_array().unwrap().len(), 24);
        assert_eq!(monthly["values"]["episodes"].as_array().unwrap().len(), 24);
    }
    assert_eq!(data["tables"]["monthly"]["rows"][0]["label"], "Children who went missing");

    if Command::new("typst").arg("--version").output().is_err() {
        eprintln!("SKIPPED: the bundle was not compiled: no `typst` command on this machine (install the Typst CLI to run this check)");
        return;
    }
    let compiled = bundle.join("report.pdf");
    let status = Command::new("typst")
        .args([
            "compile",
            "--root",
            ".",
            "--font-path",
            "fonts",
            "--ignore-system-fonts",
            "--pdf-standard",
            "ua-1",
            "corporate-parenting.typ",
        ])
        .arg(&compiled)
        .current_dir(&bundle)
        .status()
        .unwrap();
    assert!(status.success(), "typst compile failed on the bundle");
    assert_eq!(pdf_text(&compiled), pdf_text(&out.join("report.pdf")));
}

#[test]
fn a_one_month_period_is_named_once_and_the_appendix_is_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let input = fixture("gateshead/episodes.csv");
    build(&["-i", input.to_str().unwrap(), "--period", "2023-04"], &out);
    let text = pdf_text(&out.join("report.pdf"));
    assert!(text.contains("Performance overview, April 2023"), "the period is named");
    assert!(!text.contains("April 2023 to April 2023") && !text.contains("April to April"));
    assert!(text.contains("in April 2023 compared with April 2022"));
    // Files by name, not path; the future-start date stated; no rule id.
    assert!(text.contains("from episodes.csv"), "the input is named");
    assert!(!text.contains("tests/fixtures"), "no folder of the input is shown");
    assert!(text.contains("the day this report was built, are left out as future starts"));
    for id in ["missing_required", "overlapping_episodes", "other_la_excluded", "absence_excluded", "open_episode"] {
        assert!(!text.contains(id), "the appendix shows the rule id {id}");
    }
}

#[test]
fn reasons_run_from_most_to_least_common_with_other_and_unknown_last() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build(&[], &out);
    let (_, rows) = csv_table(&out.join("tables/reason.csv"));
    assert_eq!(rows[0][2], "All children: episodes");
    let labels: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(&labels[labels.len() - 2..], ["Other", "Unknown"], "{labels:?}");
    let sizes: Vec<u64> = rows[1..rows.len() - 2].iter().map(|r| r[2].replace(',', "").parse().unwrap()).collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{labels:?} {sizes:?}");
}

#[test]
fn a_template_error_is_reported_once_with_its_line_column_and_a_caret() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("mine");
    std::fs::create_dir(&template).unwrap();
    std::fs::write(template.join("main.typ"), "#import \"components.typ\": *\n#let data = json(\"data.json\")\n#let broken = (1 2 3)\n")
        .unwrap();
    let output = run(binary().arg("build").arg("--template").arg(&template).arg("--out").arg(dir.path().join("out")));
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("main.typ:3:17: error: expected comma") && message.contains("main.typ:3:19: error: expected comma"),
        "{message}"
    );
    assert_eq!(message.matches("expected comma").count(), 2, "each place once: {message}");
    assert!(message.contains("3 | #let broken = (1 2 3)"), "{message}");
    assert!(message.lines().any(|l| l.trim_end().ends_with('^')), "{message}");
}

#[test]
fn the_configuration_refuses_a_marking_other_than_official_and_an_authority_without_data() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("c.yaml");
    std::fs::write(&config, "report:\n  classification: TOP SECRET\n").unwrap();
    let output = run(binary().args(["build", "-c"]).arg(&config));
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("`TOP SECRET` is not a classification") && message.contains("line 2"), "{message}");

    std::fs::write(&config, "report:\n  classification: official-sensitive\n").unwrap();
    let out = dir.path().join("out");
    assert_ok(&run(binary().args(["build", "-c"]).arg(&config).arg("--out").arg(&out)));
    assert!(pdf_text(&out.join("report.pdf")).contains("OFFICIAL-SENSITIVE"));

    std::fs::write(&config, "report:\n  authority: Testshire Council\n").unwrap();
    let output = run(binary().args(["build", "-c"]).arg(&config));
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("set input.files"), "{}", stderr(&output));
}

#[test]
fn build_in_a_folder_uses_its_configuration_and_the_terminal_marks_example_data() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("gateshead/episodes.csv");
    std::fs::write(
        dir.path().join("missing-report.yaml"),
        format!("report:\n  authority: Gateshead Test Council\ninput:\n  files: [{}]\nperiod:\n  end: 2024-03\n", input.display()),
    )
    .unwrap();
    let output = run(binary().arg("build").current_dir(dir.path()));
    assert_ok(&output);
    assert!(!stderr(&output).contains("EXAMPLE DATA"));
    let text = pdf_text(&dir.path().join("out/report.pdf"));
    assert!(text.contains("Gateshead Test Council") && !text.contains("EXAMPLE DATA"));

    let example = run(binary().arg("build").arg("--out").arg(dir.path().join("example")));
    assert!(stderr(&example).contains("EXAMPLE DATA: these figures are the bundled fictional example's"));
}

#[test]
fn metrics_for_a_period_keep_the_windows_ending_with_that_month_unchanged() {
    let input = fixture("gateshead/episodes.csv");
    let export = |extra: &[&str]| {
        let output = run(binary().args(["metrics", "-i"]).arg(&input).args(extra));
        assert!(output.status.success(), "{}", stderr(&output));
        read_export(&String::from_utf8(output.stdout).unwrap())
    };
    let all = export(&[]);
    let limited = export(&["--period", "2024-03"]);
    let periods: std::collections::BTreeSet<(String, String)> = limited.keys().map(|k| (k.1.clone(), k.2.clone())).collect();
    let expected: std::collections::BTreeSet<(String, String)> =
        [("month", "2024-03"), ("quarter", "2023-24 Q4"), ("rolling12", "2024-03"), ("year", "2023-24")]
            .iter()
            .map(|(k, p)| (k.to_string(), p.to_string()))
            .collect();
    assert_eq!(periods, expected);
    assert_eq!(limited.len(), all.keys().filter(|k| expected.contains(&(k.1.clone(), k.2.clone()))).count());
    for (key, value) in &limited {
        assert_eq!(&all[key], value, "{key:?}");
    }
    assert_eq!(limited[&("all".into(), "year".into(), "2023-24".into(), "all".into(), "all".into(), "episodes".into())], "1166");
}

#[test]
fn final_refuses_a_scrutiny_cover_sheet_with_details_unset() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(binary().args(["build", "--final", "--template", "scrutiny", "--out"]).arg(dir.path().join("out")));
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("cover details to set in the configuration: report.background_documents, report.brief"), "{message}");
    assert!(
        message.contains("commentary placeholders for: children_in_care, missing_from_home, monthly, recommendations, summary"),
        "{message}"
    );
}

#[test]
fn the_corporate_pack_counts_children_by_times_missing_in_the_latest_quarter() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let input = fixture("papers/monthly.csv");
    build(&["--template", "corporate-parenting", "-i", input.to_str().unwrap(), "--period", "2024-06"], &out);
    // Apr to Jun 2024: c3 and c5 once each (missing from home); c1 and c4
    // twice each (in care), c2 twice (from home).
    let (title, rows) = csv_table(&out.join("tables/episodes_per_child_latest_quarter.csv"));
    assert_eq!(title, "Children by number of episodes in 2024-25 Q1 (Apr 2024 to Jun 2024)");
    assert_eq!(rows[0], ["", "All children: children", "In our care: children"]);
    let expected = [("1", "2", "0"), ("2", "3", "2"), ("3", "0", "0"), ("6 to 10", "0", "0"), ("11 or more", "0", "0")];
    for (band, all, care) in expected {
        let row = rows.iter().find(|r| r[0] == band).unwrap_or_else(|| panic!("no band {band}"));
        assert_eq!(row[1..], [all, care], "band {band}");
    }
    let text = layout_text(&out.join("report.pdf"));
    assert!(text.contains("Children by number of episodes in 2024-25 Q1"), "the pack prints the quarter's table");
    // A period ending mid-quarter looks back to the quarter before, which this data does not cover.
    let out = dir.path().join("may");
    build(&["--template", "corporate-parenting", "-i", input.to_str().unwrap(), "--period", "2024-05"], &out);
    assert!(!out.join("tables/episodes_per_child_latest_quarter.csv").exists());
}
