//! What a published paper must never give away: no child or episode
//! identifier and no date of birth in any public output; with suppression,
//! no small breakdown count anywhere and none that can be worked out from
//! the published sums; no free text from the data; configured text printed
//! as typed, never run. Each test builds with `--emit-bundle` so data.json
//! and what the compiler saw are checked too.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::Reader;
use common::*;

/// A finished build: its folder (kept alive), output and bundle folders, and what it printed.
struct Built {
    _dir: tempfile::TempDir,
    out: PathBuf,
    bundle: PathBuf,
    terminal: String,
}

/// Builds with `config` (YAML, written beside the inputs, which are copied
/// into the same folder) and the extra `args`.
fn build(config: Option<&str>, inputs: &[(&str, &[u8])], args: &[&str]) -> Built {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in inputs {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let (out, bundle) = (dir.path().join("out"), dir.path().join("bundle"));
    let mut command = binary();
    command.current_dir(dir.path()).arg("build").arg("--out").arg(&out).arg("--emit-bundle").arg(&bundle).args(args);
    if let Some(config) = config {
        std::fs::write(dir.path().join("c.yaml"), config).unwrap();
        command.args(["-c", "c.yaml"]);
    }
    let output = run(&mut command);
    assert_ok(&output);
    let terminal = format!("{}{}", String::from_utf8_lossy(&output.stdout), stderr(&output));
    Built { _dir: dir, out, bundle, terminal }
}

/// Every public output of `built` as text (`common::public_texts`).
fn public_texts(built: &Built) -> Vec<(String, String)> {
    common::public_texts(&built.terminal, &[&built.out, &built.bundle])
}

/// The values of the named columns of a CSV file.
fn column_values(csv_bytes: &[u8], columns: &[&str]) -> BTreeSet<String> {
    let mut reader = csv::Reader::from_reader(csv_bytes);
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let wanted: Vec<usize> = columns.iter().map(|c| header.iter().position(|h| h == c).unwrap()).collect();
    let mut values = BTreeSet::new();
    for record in reader.records() {
        let record = record.unwrap();
        for &i in &wanted {
            if !record[i].trim().is_empty() {
                values.insert(record[i].trim().to_string());
            }
        }
    }
    values
}

/// A date of birth as the paper could print it: as written, day/month/year, and in words.
fn date_spellings(iso: &str) -> Vec<String> {
    let date = chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").unwrap();
    vec![iso.to_string(), date.format("%d/%m/%Y").to_string(), date.format("%-d %B %Y").to_string()]
}

fn assert_nothing_identifying(built: &Built, episodes: &[u8], what: &str) {
    let identifiers = column_values(episodes, &["child_id", "episode_id"]);
    let births = column_values(episodes, &["date_of_birth"]);
    assert!(identifiers.len() > 100 && births.len() > 50, "{what}: too few identifiers to prove anything");
    let texts = public_texts(built);
    assert!(texts.len() > 40, "{what}: {} outputs", texts.len());
    for (name, text) in &texts {
        for id in &identifiers {
            assert!(!text.contains(id.as_str()), "{what}: {name} contains the identifier {id}");
        }
        for birth in &births {
            for spelling in date_spellings(birth) {
                assert!(!text.contains(&spelling), "{what}: {name} contains the date of birth {spelling}");
            }
        }
    }
}

#[test]
fn no_identifier_or_date_of_birth_reaches_any_public_output() {
    let example = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/episodes.csv")).unwrap();
    assert_nothing_identifying(&build(None, &[], &[]), &example, "the bundled example");

    let gateshead = std::fs::read(fixture("gateshead/episodes.csv")).unwrap();
    let built = build(None, &[("episodes.csv", &gateshead)], &["-i", "episodes.csv", "--template", "corporate-parenting"]);
    assert_nothing_identifying(&built, &gateshead, "the Gateshead fixture");

    let dir = tempfile::tempdir().unwrap();
    let synthetic = dir.path().join("synthetic.csv");
    assert_ok(&run(binary().args(["synth", "--episodes", "3000", "--seed", "11", "-o"]).arg(&synthetic)));
    let synthetic = std::fs::read(synthetic).unwrap();
    let built = build(None, &[("episodes.csv", &synthetic)], &["-i", "episodes.csv", "--template", "scrutiny"]);
    assert_nothing_identifying(&built, &synthetic, "synthetic episodes");
}

/// The breakdown dimensions of the export and the paper.
const BREAKDOWNS: [&str; 9] =
    ["age_band", "sex", "ethnicity_group", "reason", "exploitation", "duration_band", "placement_area", "uasc", "episodes_per_child"];

fn small(text: &str) -> bool {
    matches!(text.trim().replace(',', "").parse::<u64>(), Ok(1..=4))
}

/// A table or chart CSV: its header and rows (the title line and notes dropped).
fn table_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_path(path).unwrap();
    let mut lines: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    // Tables open with their title; chart data starts with its header.
    if lines.first().is_some_and(|l| l.len() == 1) {
        lines.remove(0);
    }
    let header = lines.remove(0);
    let rows = lines.into_iter().take_while(|l| l.len() == header.len()).collect();
    (header, rows)
}

/// Equations an outsider can write from the export: a breakdown column adds
/// up to its cohort's total (episodes of a single-valued dimension; children
/// by number of episodes), and all children = in care + missing from home
/// (episodes, category by category). Returns each equation with exactly one
/// hidden cell: that cell can be worked out.
fn recoverable_cells(export: &BTreeMap<Key, String>) -> Vec<String> {
    // (cohort or period kind, ..., metric): five parts of an export key.
    type Group = (String, String, String, String, String);
    let mut sums: BTreeMap<Group, Vec<String>> = BTreeMap::new();
    let mut cohorts: BTreeMap<Group, BTreeMap<String, String>> = BTreeMap::new();
    for ((cohort, kind, period, dimension, category, metric), value) in export {
        if dimension == "all" {
            continue;
        }
        let sums_to_total = match metric.as_str() {
            "episodes" => dimension != "reason",
            "children" => dimension == "episodes_per_child",
            _ => false,
        };
        if sums_to_total {
            sums.entry((cohort.clone(), kind.clone(), period.clone(), dimension.clone(), metric.clone())).or_default().push(value.clone());
        }
        if metric == "episodes" {
            let key = (kind.clone(), period.clone(), dimension.clone(), category.clone(), metric.clone());
            cohorts.entry(key).or_default().insert(cohort.clone(), value.clone());
        }
    }
    let mut found = Vec::new();
    for ((cohort, kind, period, dimension, metric), cells) in &sums {
        let total = &export[&(cohort.clone(), kind.clone(), period.clone(), "all".into(), "all".into(), metric.clone())];
        if cells.iter().filter(|c| *c == "c").count() == 1 {
            found.push(format!("{cohort} {kind} {period} {dimension} {metric}: one hidden cell of a column adding up to {total}"));
        }
    }
    for ((kind, period, dimension, category, metric), by_cohort) in &cohorts {
        if by_cohort.len() == 3 && by_cohort.values().filter(|v| *v == "c").count() == 1 {
            found.push(format!(
                "{kind} {period} {dimension} {category} {metric}: one hidden cell of all = in care + from home {by_cohort:?}"
            ));
        }
    }
    found
}

#[test]
fn with_a_threshold_of_five_no_small_breakdown_count_is_published_or_recoverable() {
    let gateshead = std::fs::read(fixture("gateshead/episodes.csv")).unwrap();
    let config = "suppression:\n  threshold: 5\n";
    for (what, inputs, args) in [
        ("the bundled example", vec![], vec!["--template", "corporate-parenting"]),
        (
            "the Gateshead fixture",
            vec![("episodes.csv", gateshead.as_slice())],
            vec!["-i", "episodes.csv", "--period", "2024-03", "--template", "corporate-parenting"],
        ),
    ] {
        let built = build(Some(config), &inputs, &args);

        // The export: no small breakdown count, none recoverable.
        let export = read_export(&std::fs::read_to_string(built.out.join("metrics.csv")).unwrap());
        let mut hidden = 0;
        for ((cohort, kind, period, dimension, category, metric), value) in &export {
            if BREAKDOWNS.contains(&dimension.as_str()) {
                assert!(!small(value), "{what}: the export shows {value} for {cohort} {kind} {period} {dimension} {category} {metric}");
                hidden += usize::from(value == "c");
            }
        }
        assert!(hidden > 20, "{what}: only {hidden} cells hidden; the test proves nothing");
        let recoverable = recoverable_cells(&export);
        assert!(recoverable.is_empty(), "{what}: hidden cells can be worked out:\n{}", recoverable.join("\n"));

        // The paper's breakdown tables (CSV, the workbook and the PDF) and charts: no small count.
        // The PDF's lines as laid out, so a table row reads as one line.
        let layout = Command::new("pdftotext").arg("-layout").arg(built.out.join("report.pdf")).arg("-").output().unwrap();
        let lines: Vec<String> =
            String::from_utf8_lossy(&layout.stdout).lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
        let (mut checked, mut titles) = (0, BTreeSet::new());
        for table in files_under(&built.out.join("tables")) {
            let name = table.file_stem().unwrap().to_string_lossy().into_owned();
            if !BREAKDOWNS.iter().any(|d| name.starts_with(d)) {
                continue;
            }
            titles.insert(std::fs::read_to_string(&table).unwrap().lines().next().unwrap().trim_matches('"').to_string());
            let (header, rows) = table_rows(&table);
            for row in &rows {
                for (heading, cell) in header.iter().zip(row).skip(1) {
                    assert!(!small(cell), "{what}: table {name} shows {cell} under {heading:?} for {:?}", row[0]);
                }
                // The PDF prints the row as the CSV has it (a long label may wrap
                // onto a second line, so its first word is looked for).
                let (label, cells) = (row[0].split_whitespace().next().unwrap_or_default(), row[1..].join(" "));
                assert!(
                    lines.iter().any(|line| line.starts_with(label) && line.ends_with(&cells)),
                    "{what}: the PDF has no line for the row {row:?} of {name}"
                );
                checked += 1;
            }
        }
        assert!(checked > 40, "{what}: {checked} breakdown rows checked");
        let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(built.out.join("tables.xlsx")).unwrap();
        let mut sheets = 0;
        for sheet in workbook.sheet_names() {
            let range = workbook.worksheet_range(&sheet).unwrap();
            let title = range.get_value((0, 0)).map(|v| v.to_string()).unwrap_or_default();
            if titles.contains(&title) {
                sheets += 1;
                for row in range.rows().skip(1) {
                    for cell in row.iter().skip(1) {
                        assert!(!small(&cell.to_string()), "{what}: tables.xlsx sheet {sheet} shows {cell}");
                    }
                }
            }
        }
        assert_eq!(sheets, titles.len(), "{what}: breakdown sheets in tables.xlsx");
        for chart in files_under(&built.out.join("charts")) {
            let name = chart.file_stem().unwrap().to_string_lossy().into_owned();
            if chart.extension().is_some_and(|e| e == "csv") && BREAKDOWNS.iter().any(|d| name.starts_with(d)) {
                let (_, rows) = table_rows(&chart);
                for row in &rows {
                    for cell in row.iter().skip(1) {
                        assert!(!small(cell), "{what}: chart {name} shows {cell} for {:?}", row[0]);
                    }
                }
                let svg = std::fs::read_to_string(chart.with_extension("svg")).unwrap();
                for n in 1..=4 {
                    assert!(!svg.contains(&format!("({n})")), "{what}: the description of chart {name} gives ({n})");
                }
            }
        }

        // The narrative speaks of headline figures only: it names no breakdown group.
        let data: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(built.bundle.join("data.json")).unwrap()).unwrap();
        let labels: BTreeSet<String> = BREAKDOWNS
            .iter()
            .filter_map(|d| data["tables"].get(*d))
            .flat_map(|t| t["rows"].as_array().unwrap().iter().map(|r| r["label"].as_str().unwrap().to_string()))
            .filter(|l| l.len() > 3 && l != "Other" && l != "Unknown")
            .collect();
        assert!(labels.len() > 20, "{labels:?}");
        for sentence in data["narrative"].as_array().unwrap() {
            let text = sentence["text"].as_str().unwrap();
            for label in &labels {
                assert!(!text.contains(label.as_str()), "{what}: the narrative names the group {label:?}: {text}");
            }
        }
    }
}

/// Free text a source system might hold, and text that would be markup if a template ran it.
const PERSONAL: [&str; 3] = ["Jane Doe", "4 Privet Drive", "NE8 1HH"];

#[test]
fn free_text_from_the_data_never_reaches_a_public_output_and_configured_text_prints_as_typed() {
    // Free text in every column a council's extract could hold it in.
    let mut csv = String::from(
        "episode_id,child_id,date_of_birth,sex,ethnicity,looked_after,other_la,placement_area,uasc,episode_type,start,end,reason,cse_risk,cce_risk,rhi_offered,rhi_outcome,rhi_completed\n",
    );
    let free = "Jane Doe seen at 4 Privet Drive NE8 1HH #read(\"/etc/passwd\") **bold** $x$";
    for i in 0..60 {
        let child = i % 20;
        let cell = |column: usize| if i % 6 == column { format!("\"{}\"", free.replace('"', "\"\"")) } else { String::new() };
        let (sex, ethnicity, area, kind, reason, outcome) = (cell(0), cell(1), cell(2), cell(3), cell(4), cell(5));
        let sex = if sex.is_empty() { "F".to_string() } else { sex };
        let ethnicity = if ethnicity.is_empty() { "WBRI".to_string() } else { ethnicity };
        let kind = if kind.is_empty() { "missing".to_string() } else { kind };
        let reason = if reason.is_empty() { "with_friends".to_string() } else { reason };
        let outcome = if outcome.is_empty() { "accepted".to_string() } else { outcome };
        let day = 1 + i % 28;
        csv.push_str(&format!(
            "E{i:03},C{child:03},2009-05-0{},{sex},{ethnicity},Y,N,{area},N,{kind},2024-0{}-{day:02} 10:00,2024-0{}-{day:02} 18:00,{reason},N,N,Y,{outcome},\n",
            1 + child % 9,
            1 + i % 9,
            1 + i % 9
        ));
    }
    let config = r#"report:
  authority: 'Northmoor #read("/etc/passwd") *Council*'
  committee: '#set page(width: 1cm) [Scrutiny](http://x)'
  lead_officer: 'A. Officer, 1 Civic Centre $x^2$ <b>'
  brief: '#import "@preview/x:0.1.0": * ``` code ```'
rules:
  extract_date: 2024-12-31
"#;
    let built = build(Some(config), &[("episodes.csv", csv.as_bytes())], &["-i", "episodes.csv", "--template", "scrutiny"]);
    for (name, text) in public_texts(&built) {
        for personal in PERSONAL {
            assert!(!text.contains(personal), "{name} holds the free text {personal:?}");
        }
        assert!(!text.contains("root:x:0:0"), "{name} holds /etc/passwd");
    }
    // The configured text is printed exactly as typed: never run as Typst or Markdown.
    let pdf = pdf_text(&built.out.join("report.pdf"));
    for typed in [
        r#"Northmoor #read("/etc/passwd") *Council*"#,
        "#set page(width: 1cm) [Scrutiny](http://x)",
        "A. Officer, 1 Civic Centre $x^2$ <b>",
        r#"#import "@preview/x:0.1.0": * ``` code ```"#,
    ] {
        assert!(pdf.contains(typed), "the PDF does not print {typed:?} as typed");
    }
}
