//! A council's own extract, as a case-management system writes it (its own
//! column names, `Yes`/`No`, census words for ethnicity, free-text reasons,
//! `05-Mar-2024 14:30` dates), read through the configuration: the same
//! figures as the canonical file, and every mistake a new user made told
//! with its line or its values.

mod common;

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use common::*;

/// The canonical column, the council's name for it, and how its values are written.
const COLUMNS: [(&str, &str); 18] = [
    ("episode_id", "Episode Ref"),
    ("child_id", "Person ID"),
    ("date_of_birth", "DOB"),
    ("sex", "Gender"),
    ("ethnicity", "Ethnic Origin"),
    ("looked_after", "CLA"),
    ("other_la", "OLA Child"),
    ("placement_area", "Missing From"),
    ("uasc", "UASC"),
    ("episode_type", "Type"),
    ("start", "Date Reported Missing"),
    ("end", "Date Found"),
    ("reason", "Reason"),
    ("cse_risk", "CSE Risk"),
    ("cce_risk", "CCE Risk"),
    ("rhi_offered", "RHI Offered"),
    ("rhi_outcome", "RHI Outcome"),
    ("rhi_completed", "RHI Date"),
];

/// Reason codes as the council's system words them.
const REASON_WORDS: [(&str, &str); 9] = [
    ("with_friends", "Staying with friends"),
    ("family_contact", "Family contact"),
    ("cse", "Concerns re CSE"),
    ("cce", "County Lines / CCE concerns"),
    ("romantic", "Boyfriend/girlfriend"),
    ("substance_misuse", "Alcohol/drugs"),
    ("placement_unhappy", "Unhappy in placement"),
    ("other", "Other"),
    ("unknown", "Not known"),
];

/// DfE ethnicity codes as the census categories word them.
fn ethnicity_words(code: &str) -> &'static str {
    match code {
        "WBRI" => "White - English, Welsh, Scottish, Northern Irish or British",
        "WIRI" => "White - Irish",
        "WIRT" => "White - Gypsy or Irish Traveller",
        "WOTH" => "White - Any other White background",
        "MWBC" => "Mixed - White and Black Caribbean",
        "MOTH" => "Mixed - Any other Mixed background",
        "APKN" => "Asian or Asian British - Pakistani",
        "AIND" => "Asian or Asian British - Indian",
        "BAFR" => "Black or Black British - African",
        "BCRB" => "Black or Black British - Caribbean",
        "OOTH" => "Any other ethnic group",
        "NOBT" => "Not Recorded",
        other => panic!("no census words for {other}"),
    }
}

fn cell(column: &str, value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    let yes_no = |v: &str| if v == "Y" { "Yes" } else { "No" }.to_string();
    let date = |v: &str| {
        if v.contains(':') {
            NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M").unwrap().format("%d-%b-%Y %H:%M").to_string()
        } else {
            chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").unwrap().format("%d-%b-%Y").to_string()
        }
    };
    match column {
        "looked_after" | "other_la" | "uasc" | "cse_risk" | "cce_risk" | "rhi_offered" => yes_no(value),
        "date_of_birth" | "start" | "end" | "rhi_completed" => date(value),
        "sex" => if value == "M" { "Male" } else { "Female" }.to_string(),
        "ethnicity" => ethnicity_words(value).to_string(),
        "placement_area" => if value == "in_area" { "Placement in borough" } else { "Placement out of borough" }.to_string(),
        "episode_type" => if value == "absent" { "Absent" } else { "Missing" }.to_string(),
        "rhi_outcome" => match value {
            "no_contact" => "No contact".to_string(),
            other => format!("{}{}", other[..1].to_uppercase(), &other[1..]),
        },
        "reason" => value
            .split(';')
            .map(|code| REASON_WORDS.iter().find(|(c, _)| *c == code).expect("a built-in code").1)
            .collect::<Vec<_>>()
            .join("; "),
        _ => value.to_string(),
    }
}

/// The synthetic episodes in canonical form and as the council's system writes them.
fn extract(dir: &Path) -> (PathBuf, PathBuf) {
    let canonical = dir.join("canonical.csv");
    assert_ok(&run(binary().args(["synth", "--episodes", "300", "--seed", "7", "-o"]).arg(&canonical)));
    let mut reader = csv::Reader::from_path(&canonical).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let council = dir.join("council.csv");
    let mut writer = csv::Writer::from_path(&council).unwrap();
    writer.write_record(header.iter().map(|h| COLUMNS.iter().find(|(c, _)| c == h).unwrap().1)).unwrap();
    for record in reader.records() {
        let record = record.unwrap();
        writer.write_record(header.iter().zip(record.iter()).map(|(h, v)| cell(h, v))).unwrap();
    }
    writer.flush().unwrap();
    (canonical, council)
}

/// `input.columns` for the council's names.
fn column_lines() -> String {
    let mut yaml = String::from("input:\n  columns:\n");
    for (canonical, theirs) in COLUMNS {
        yaml.push_str(&format!("    \"{theirs}\": {canonical}\n"));
    }
    yaml
}

fn validate(config: &Path, input: &Path, findings: &Path) -> (std::process::Output, String) {
    let output = run(binary().arg("validate").arg("-c").arg(config).arg("-i").arg(input).arg("--findings").arg(findings));
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    (output, text)
}

fn metrics(config: &Path, input: &Path, out: &Path) -> std::process::Output {
    run(binary().arg("metrics").arg("-c").arg(config).arg("-i").arg(input).arg("-o").arg(out))
}

#[test]
fn validate_lists_the_unmapped_values_and_its_yaml_makes_the_extract_read_as_the_canonical_file() {
    let dir = tempfile::tempdir().unwrap();
    let (canonical, council) = extract(dir.path());
    let config = dir.path().join("missing-report.yaml");
    std::fs::write(&config, format!("rules:\n  extract_date: 2026-01-01\n{}", column_lines())).unwrap();
    let findings = dir.path().join("findings.csv");

    let (output, text) = validate(&config, &council, &findings);
    assert_ok(&output);
    // The values no mapping reads, most frequent first, under the file's own column names.
    assert!(text.contains("unrecognised values in column `Missing From` (placement_area), 82 in all"), "{text}");
    assert!(text.contains("       52  Placement in borough\n       30  Placement out of borough\n"), "{text}");
    assert!(text.contains("unrecognised values in column `Reason` (reason)"), "{text}");
    assert!(text.contains("Staying with friends"), "{text}");
    // The findings file names the file's column and quotes the cell as written.
    let written = std::fs::read_to_string(&findings).unwrap();
    assert!(written.contains(",Missing From,unknown_value,Placement in borough,field_ignored"), "{written}");
    assert!(!written.contains(",placement_area,"), "{written}");

    // The lines validate printed, pasted under `input:`.
    let snippet: String = text
        .lines()
        .skip_while(|l| !l.starts_with("to map them"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(snippet.starts_with("  values:\n"), "{snippet}");
    std::fs::write(&config, format!("rules:\n  extract_date: 2026-01-01\n{}{snippet}", column_lines())).unwrap();
    let (output, text) = validate(&config, &council, &findings);
    assert_ok(&output);
    assert!(!text.contains("unrecognised values"), "{text}");
    assert!(!text.contains("unknown_value"), "{text}");

    // Every figure then equals the canonical file's.
    let plain = dir.path().join("plain.yaml");
    std::fs::write(&plain, "rules:\n  extract_date: 2026-01-01\n").unwrap();
    let (theirs, ours) = (dir.path().join("theirs.csv"), dir.path().join("ours.csv"));
    assert_ok(&metrics(&config, &council, &theirs));
    assert_ok(&metrics(&plain, &canonical, &ours));
    let expected = std::fs::read(&ours).unwrap();
    assert!(expected.len() > 10_000);
    assert!(std::fs::read(&theirs).unwrap() == expected, "the council's extract gave other figures than the canonical file");
}

#[test]
fn mapping_mistakes_are_configuration_errors_with_their_line_before_any_row_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let (_, council) = extract(dir.path());
    let config = dir.path().join("c.yaml");
    let out = dir.path().join("m.csv");
    let cases = [
        // A mapped column the header lacks.
        (
            column_lines().replace("\"Reason\": reason", "\"Reasons\": reason"),
            "line 15: input.columns maps `Reasons` onto reason, but",
            "did you mean `Reason`?",
        ),
        // A value mapped onto a misspelt canonical value.
        (
            format!("{}  values:\n    rhi_outcome:\n      \"Accepted\": acepted\n", column_lines()),
            "line 23: input.values.rhi_outcome: `Accepted` is mapped onto `acepted`",
            "one of: accepted, declined",
        ),
        // Two source columns onto one canonical column.
        (format!("{}    \"Date Logged\": start\n", column_lines()), "input.columns maps both `Date Logged`", "onto start"),
    ];
    for (yaml, first, second) in cases {
        std::fs::write(&config, &yaml).unwrap();
        let output = metrics(&config, &council, &out);
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{text}");
        assert!(text.contains(&format!("c.yaml: {first}")) || text.contains(first), "{text}");
        assert!(text.contains(second), "{text}");
        assert!(!out.exists());
    }
}

/// A small extract in the canonical layout with the given reason cells.
fn with_reasons(dir: &Path, reasons: &[&str]) -> PathBuf {
    let path = dir.join("reasons.csv");
    let mut text = String::from("episode_id,child_id,looked_after,start,end,reason,cse_risk\n");
    for (i, reason) in reasons.iter().enumerate() {
        text.push_str(&format!("e{i},c{i},Y,2024-03-0{} 10:00,2024-03-0{} 12:00,\"{reason}\",N\n", i % 9 + 1, i % 9 + 1));
    }
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn reasons_are_coded_after_the_split_and_no_free_text_becomes_a_category() {
    let dir = tempfile::tempdir().unwrap();
    let huge = "a".repeat(1_000_000);
    let input = with_reasons(dir.path(), &["Staying with friends; Alcohol/drugs", "Row with parents", "With Friends", &huge, "cse;CSE; "]);
    let config = dir.path().join("c.yaml");
    std::fs::write(
        &config,
        "rules:\n  extract_date: 2025-01-01\ninput:\n  reasons:\n    argument_at_home: Argument at home\n  values:\n    reason:\n      Staying with friends: with_friends\n      Row with parents: argument_at_home\n",
    )
    .unwrap();
    let out = dir.path().join("m.csv");
    assert_ok(&metrics(&config, &input, &out));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.len() < 200_000, "the export holds the free text: {} bytes", text.len());
    let export = read_export(&text);
    let reason = |category: &str| {
        export.get(&("all".into(), "month".into(), "2024-03".into(), "reason".into(), category.into(), "episodes".into())).cloned()
    };
    assert_eq!(reason("with_friends").as_deref(), Some("2"));
    assert_eq!(reason("argument_at_home").as_deref(), Some("1"));
    // "Alcohol/drugs" and the 1 MB cell match nothing: counted under other.
    assert_eq!(reason("other").as_deref(), Some("2"));
    assert_eq!(reason("cse").as_deref(), Some("1"));
    let categories: std::collections::BTreeSet<&str> = export.keys().filter(|k| k.3 == "reason").map(|k| k.4.as_str()).collect();
    assert_eq!(categories, ["argument_at_home", "cse", "other", "with_friends"].into_iter().collect());

    // Each unmatched reason is an unknown_value finding; the text stays in the findings file.
    let findings = dir.path().join("f.csv");
    let (output, summary) = validate(&config, &input, &findings);
    assert_ok(&output);
    assert!(summary.contains("        1  Alcohol/drugs\n"), "{summary}");
    assert!(summary.contains("(cells longer than 80 characters: free text, see the findings file)"), "{summary}");
    let written = std::fs::read_to_string(&findings).unwrap();
    assert!(written.contains("2,reason,unknown_value,Staying with friends; Alcohol/drugs,field_ignored"), "{written}");
    assert!(written.contains(&format!("5,reason,unknown_value,{huge},field_ignored")));
}

#[test]
fn the_paper_prints_the_authority_s_labels_and_an_exploitation_pair_mapped_in_part() {
    let dir = tempfile::tempdir().unwrap();
    let input = with_reasons(dir.path(), &["Row with parents", "with_friends", "cse", "Row with parents", "with_friends"]);
    let config = dir.path().join("c.yaml");
    std::fs::write(
        &config,
        "rules:\n  extract_date: 2025-01-01\ninput:\n  reasons: { argument_at_home: Argument at Home (CIN) }\n  values: { reason: { \"Row with parents\": argument_at_home } }\ntemplate: corporate-parenting\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    assert_ok(&run(binary().arg("build").arg("-c").arg(&config).arg("-i").arg(&input).arg("--out").arg(&out)));
    let text = pdf_text(&out.join("report.pdf"));
    assert!(text.contains("Argument at Home (CIN)"), "{text}");
    assert!(!text.contains("Argument at home (cin)"));
    // Only cse_risk is in the file: its breakdown stays, the rest not recorded.
    assert!(text.contains("The input records CSE concerns but not CCE concerns"), "{text}");
    let export = std::fs::read_to_string(out.join("metrics.csv")).unwrap();
    assert!(export.contains(",exploitation,cse,episodes,"), "{export}");
    assert!(!export.contains(",exploitation,none,"), "{export}");
}
