//! The whole SSDA903 return: the Missing table with the Header and Episodes
//! tables beside it, each told by its header; sex and ethnicity from the
//! Header; and the DfE's rules for the Missing table as findings, on a
//! return written so each rule flags rows worked out by hand.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn table(name: &str) -> PathBuf {
    fixture(&format!("ssda903_return/{name}.csv"))
}

/// `validate` over the given tables: its summary and the (row, rule) of each `ssda903_` finding.
fn dfe_findings(config: &str, tables: &[&str]) -> (String, Vec<(usize, String)>) {
    let dir = tempfile::tempdir().unwrap();
    let config_path = dir.path().join("c.yaml");
    std::fs::write(&config_path, config).unwrap();
    let findings = dir.path().join("f.csv");
    let mut command = binary();
    command.arg("validate").arg("-c").arg(&config_path).args(["--layout", "ssda903", "--findings"]).arg(&findings);
    for name in tables {
        command.arg("-i").arg(table(name));
    }
    let output = run(&mut command);
    assert_ok(&output);
    let mut reader = csv::Reader::from_path(&findings).unwrap();
    let rows = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| r[3].starts_with("ssda903_"))
        .map(|r| (r[1].parse().unwrap(), r[3].to_string()))
        .collect();
    (String::from_utf8_lossy(&output.stdout).into_owned(), rows)
}

const YEAR_2024: &str = "input:\n  collection_year: 2024\nrules:\n  extract_date: 2024-04-30\n";

#[test]
fn the_dfe_rules_flag_the_rows_worked_out_by_hand() {
    let (summary, found) = dfe_findings(YEAR_2024, &["missing", "header", "episodes"]);
    // Row by row, from each rule's definition in INPUT.md (collection year 1 April 2023 to 31 March 2024).
    let expected: Vec<(usize, &str)> = vec![
        (3, "564"),  // M with no start
        (3, "581"),  // a blank start is not within care
        (3, "1004"), // no start date
        (4, "565"),  // a start but no MISSING
        (4, "566"),  // an end but no MISSING
        (5, "566"),
        (5, "581"),
        (5, "1004"),
        (6, "567"),    // ends before it starts
        (7, "570"),    // starts after 31 March 2024
        (7, "571"),    // ends after it too
        (8, "571"),    // ends before 1 April 2023
        (9, "575"),    // still missing, though the placement it began in ended on 30/09/2023
        (9, "577"),    // still missing after care ended
        (10, "574"),   // starts while the child's previous period is open
        (11, "INT13"), // DOB differs from the Header's
        (12, "1012"),  // child not in Episodes
        (12, "INT04"), // child not in Header
        (13, "586"),   // starts before the date of birth
        (14, "1006"),  // MISSING is X
        (15, "577"),   // ends before care began
        (15, "578"),   // starts before care began
        (15, "581"),
        (16, "1004"), // 31/13/2023 is not a date
        (17, "1005"), // the end is not a date
        (18, "577"),  // between two periods of care
        (18, "578"),
        (18, "581"),
    ];
    let expected: Vec<(usize, String)> = expected.into_iter().map(|(row, code)| (row, format!("ssda903_{code}"))).collect();
    assert_eq!(found, expected);
    // The summary gives the DfE's message for each code, and the year checked against.
    assert!(summary.contains("ssda903_1006                       1  (1 kept) Missing type invalid."), "{summary}");
    assert!(summary.contains("DfE rules checked against the collection year 2023-24 (from input.collection_year)"), "{summary}");
}

#[test]
fn rules_that_need_a_table_or_a_year_say_so_when_it_is_missing() {
    // No Episodes or Header, and dates over two collection years: only the rules of the Missing table alone.
    let (summary, found) = dfe_findings("rules:\n  extract_date: 2024-04-30\n", &["missing"]);
    let codes: std::collections::BTreeSet<&str> = found.iter().map(|(_, rule)| rule.as_str()).collect();
    let alone = [
        "ssda903_564",
        "ssda903_565",
        "ssda903_566",
        "ssda903_567",
        "ssda903_574",
        "ssda903_586",
        "ssda903_1004",
        "ssda903_1005",
        "ssda903_1006",
    ];
    assert_eq!(codes, alone.into_iter().collect());
    assert!(summary.contains("DfE rules 575, 577, 578, 581, 1012 not applied: they need the return's Episodes table"), "{summary}");
    assert!(summary.contains("DfE rules INT04, INT13 not applied: they need the return's Header table"), "{summary}");
    assert!(
        summary.contains("DfE rules 570, 571 not applied to a Missing file whose dates span more than one collection year"),
        "{summary}"
    );
}

#[test]
fn a_build_over_the_return_with_its_header_shows_sex_and_ethnicity() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("c.yaml");
    std::fs::write(&config, format!("{YEAR_2024}template: corporate-parenting\n")).unwrap();
    let out = dir.path().join("out");
    let build = |tables: &[&str], out: &Path| {
        let mut command = binary();
        command.arg("build").arg("-c").arg(&config).args(["--layout", "ssda903", "--out"]).arg(out);
        for name in tables {
            command.arg("-i").arg(table(name));
        }
        assert_ok(&run(&mut command));
        std::fs::read_to_string(out.join("metrics.csv")).unwrap()
    };
    let export = build(&["missing", "header", "episodes"], &out);
    let count = |category: &str| {
        let key = ("all".to_string(), "year".to_string(), "2023-24".to_string());
        read_export(&export)
            .iter()
            .find(|(k, _)| (k.0.clone(), k.1.clone(), k.2.clone()) == key && k.4 == category && k.5 == "episodes")
            .map(|(_, v)| v.clone())
    };
    // Counted: rows 2, 4, 6, 9, 10, 11, 12, 13, 14, 15, 17, 18 (row 8 an absence, 3, 5 and 16 without a start, row 7 in 2024-25).
    assert_eq!(count("male").as_deref(), Some("7"), "{export}");
    assert_eq!(count("female").as_deref(), Some("4"));
    assert_eq!(count("white").as_deref(), Some("4"));
    assert_eq!(count("black").as_deref(), Some("1"));
    let text = pdf_text(&out.join("report.pdf"));
    assert!(text.contains("Missing episodes by ethnicity") && !text.contains("needs the ethnicity column"), "{text}");
    // Without the Header, the Missing table has no sex or ethnicity.
    let plain = build(&["missing", "episodes"], &dir.path().join("plain"));
    assert!(!plain.contains(",sex,male,"), "{plain}");
    assert!(pdf_text(&dir.path().join("plain/report.pdf")).contains("This chart needs the ethnicity column"));
}
