//! The managers' commentary through the binary: every construct printed,
//! what cannot be printed refused with its line, slots checked against the
//! template, the final gate, live figures and the number check.

mod common;

use std::path::Path;

use common::*;

fn build_with(commentary: &Path, extra: &[&str], out: &Path) -> std::process::Output {
    run(binary().arg("build").args(extra).arg("--commentary").arg(commentary).arg("--out").arg(out))
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The words of `text`, to compare what was written with what was printed
/// regardless of line breaks and hyphenation at the line end.
fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string()).filter(|w| !w.is_empty()).collect()
}

#[test]
fn every_construct_prints_with_all_its_words() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = build_with(&fixture("commentary/every-construct.md"), &[], &out);
    assert_ok(&output);
    let text = pdf_text(&out.join("report.pdf"));
    let printed: Vec<String> = words(&text);
    for expected in [
        "Why the figures moved",
        "Return home interviews moved to the early help hub.",
        "The hub answers within one working day.",
        "Out-of-hours cover comes from the emergency duty team.",
        "The police share notifications the same morning.",
        "Every child who returns is offered a conversation with someone they trust.",
        "What partners told us",
        "Repeat missing from one home",
        "The old target is withdrawn.",
        "See the missing children protocol",
        "https://example.org/contacts",
        "The protocol is reviewed every year.",
        "An indented block, printed as typed.",
        "Agreed by the safeguarding partnership in the spring.",
    ] {
        let want = words(expected);
        assert!(printed.windows(want.len()).any(|w| w == want.as_slice()), "missing from the PDF: {expected}");
    }
    assert!(text.contains("protocol (https://example.org/missing-protocol)"), "a link prints its address");
    // Characters Typst would read as code print as typed.
    assert!(text.contains(r#"#read("/etc/passwd") $x^2$ @ref <label> a \ backslash and a ` backtick."#), "{text}");
    assert!(text.contains("Code such as {{children.year}} prints as typed."));
    // The table is a table: its cells stand on one line in the layout.
    let layout =
        String::from_utf8(run(std::process::Command::new("pdftotext").args(["-layout"]).arg(out.join("report.pdf")).arg("-")).stdout)
            .unwrap();
    let row = layout.lines().find(|l| l.contains("Repeat missing from one home")).unwrap();
    assert_eq!(row.split_whitespace().last(), Some("12"), "{row}");
    // The footnote stands at the foot of its page, after the page's body.
    let page = layout.split('\u{c}').find(|p| p.contains("missing-protocol")).unwrap();
    let note = page.find("Agreed by the safeguarding partnership").unwrap();
    assert!(note > page.find("2. The latest month and quarter").unwrap(), "the footnote is below the body");
}

#[test]
fn an_image_or_raw_html_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let image = write(dir.path(), "image.md", "## summary\n\nFewer children.\n\n![chart](chart.png)\n");
    let output = build_with(&image, &[], &dir.path().join("a"));
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("image.md:5: an image (`chart.png`) cannot be printed"), "{}", stderr(&output));
    let html = write(dir.path(), "html.md", "## summary\n\nFewer children.\n\n<div align=\"center\">Centred</div>\n");
    let output = build_with(&html, &[], &dir.path().join("b"));
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("html.md:5: raw HTML cannot be printed"), "{}", stderr(&output));
    assert!(!dir.path().join("a").exists() && !dir.path().join("b").exists());
}

#[test]
fn a_heading_that_is_no_slot_exits_1_naming_it_and_the_slots() {
    let dir = tempfile::tempdir().unwrap();
    let commentary = write(dir.path(), "c.md", "## summary\n\nFine.\n\n## children_in_our_care\n\nMore text.\n");
    let output = build_with(&commentary, &["--template", "scrutiny"], &dir.path().join("out"));
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("c.md:5: `## children_in_our_care` is not a commentary slot of the scrutiny template"), "{message}");
    assert!(message.contains("did you mean `## children_in_care`?"), "{message}");
    assert!(message.contains("its slots are: recommendations, summary, monthly, children_in_care, missing_from_home"), "{message}");
}

#[test]
fn final_refuses_an_empty_slot_and_the_starter_text_and_passes_when_all_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("paper");
    assert_ok(&run(binary().args(["init", "--template", "scrutiny"]).arg(&project)));
    let starter = std::fs::read_to_string(project.join("commentary.md")).unwrap();
    for slot in ["recommendations", "summary", "monthly", "children_in_care", "missing_from_home"] {
        assert!(starter.contains(&format!("\n## {slot}\n\nReplace this paragraph with your own words.")), "{slot}: {starter}");
    }
    // The starter text, unchanged.
    let refused = run(binary().args(["build", "--final"]).current_dir(&project));
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("the starter text in: recommendations, summary, monthly, children_in_care, missing_from_home"),
        "{}",
        stderr(&refused)
    );
    assert!(!project.join("out").exists());
    // One slot empty.
    let slots = "## recommendations\n\nNote the report.\n\n## summary\n\nFewer children went missing.\n\n## monthly\n\nSteady.\n\n## children_in_care\n\nBetter.\n\n## missing_from_home\n\n";
    std::fs::write(project.join("commentary.md"), slots).unwrap();
    let refused = run(binary().args(["build", "--final"]).current_dir(&project));
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("commentary placeholders for: missing_from_home"), "{}", stderr(&refused));
    // Every slot written (and the cover details set): the paper is printed.
    std::fs::write(project.join("commentary.md"), format!("{slots}Fewer.\n")).unwrap();
    let mut config = std::fs::read_to_string(project.join("missing-report.yaml")).unwrap();
    for (key, value) in [
        ("committee", "Children's Scrutiny"),
        ("meeting_date", "2025-05-01"),
        ("lead_officer", "A. Officer"),
        ("cabinet_member", "B. Member"),
        ("person_leading", "C. Lead"),
        ("origin_of_item", "Work programme"),
        ("brief", "Performance"),
        ("wards", "All"),
        ("key_decision", "false"),
        ("contact", "D. Contact"),
        ("background_documents", "None"),
    ] {
        let value = if key == "key_decision" { value.to_string() } else { format!("\"{value}\"") };
        config = config.replacen(&format!("\n  {key}: null"), &format!("\n  {key}: {value}"), 1);
    }
    std::fs::write(project.join("missing-report.yaml"), config).unwrap();
    let output = run(binary().args(["build", "--final"]).current_dir(&project));
    assert_ok(&output);
    assert!(!pdf_text(&project.join("out/report.pdf")).contains("TO BE ADDED"));
}

#[test]
fn live_figures_print_the_values_of_the_tables() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let commentary = write(
        dir.path(),
        "c.md",
        "## summary\n\nLive: [{{children.year}}] [{{episodes.year}}] [{{pct_rhi_accepted.year}}] [{{pct_rhi_within_72h.year.change}}] [{{looked_after.children.quarter}}] [{{period.year}}].\n",
    );
    assert_ok(&build_with(&commentary, &["--template", "corporate-parenting"], &out));
    let text = pdf_text(&out.join("report.pdf"));
    let line = text.split("Live: ").nth(1).unwrap_or_else(|| panic!("{text}"));
    let cited: Vec<&str> = line.split('[').skip(1).map(|s| s.split(']').next().unwrap()).collect();
    // The same values from the tables the paper prints.
    let table = |name: &str| -> Vec<Vec<String>> {
        let mut reader =
            csv::ReaderBuilder::new().has_headers(false).flexible(true).from_path(out.join(format!("tables/{name}.csv"))).unwrap();
        reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
    };
    let headline = table("headline");
    let cell = |rows: &[Vec<String>], label: &str, column: usize| rows.iter().find(|r| r[0] == label).unwrap()[column].clone();
    assert_eq!(cited[0], cell(&headline, "Children who went missing", 1));
    assert_eq!(cited[1], cell(&headline, "Missing episodes", 1));
    assert_eq!(cited[2], cell(&headline, "Offers accepted", 1));
    assert_eq!(cited[3], cell(&headline, "Interviews completed within 72 hours of return", 3));
    let care = table("quarterly_looked_after_current");
    assert_eq!(cited[4], cell(&care, "Children who went missing", 4), "Q4 of the year to March 2025");
    assert_eq!(cited[5], "2024-25");
    // An unknown name is an error with the nearest.
    let typo = write(dir.path(), "typo.md", "## summary\n\nWe saw {{childrn.year}} children.\n");
    let output = build_with(&typo, &[], &dir.path().join("typo"));
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("typo.md:3: `{{childrn.year}}` is not a live figure; nearest: children.year"), "{}", stderr(&output));
}

#[test]
fn the_number_check_reports_figures_that_match_nothing_on_the_gateshead_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("gateshead/episodes.csv");
    let args = ["--template", "corporate-parenting", "-i", input.to_str().unwrap(), "--period", "2024-03"];
    let wrong =
        write(dir.path(), "wrong.md", "## summary\n\nAcceptance rose from 73% to 77%.\n\nThere was an increase of 20% in children.\n");
    let output = build_with(&wrong, &args, &dir.path().join("draft"));
    assert_ok(&output);
    let message = stderr(&output);
    assert!(message.contains("wrong.md:3: 73% matches no figure of the paper about acceptance of interviews"), "{message}");
    assert!(message.contains("wrong.md:5: 20% matches no figure of the paper about children; nearest:"), "{message}");
    // --final lists them and writes nothing, unless they are accepted.
    let mut final_args = args.to_vec();
    final_args.push("--final");
    let refused = build_with(&wrong, &final_args, &dir.path().join("final"));
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("numbers in the commentary that match no figure") && stderr(&refused).contains("wrong.md:5: 20%"));
    assert!(!dir.path().join("final").exists());
    final_args.push("--accept-numbers");
    let accepted = build_with(&wrong, &final_args, &dir.path().join("final"));
    assert!(!stderr(&accepted).contains("match no figure"), "{}", stderr(&accepted));
    // The published figures pass.
    let right = write(dir.path(), "right.md", "## summary\n\nAcceptance rose from 56.5% to 77.7%.\n");
    let output = build_with(&right, &args, &dir.path().join("right"));
    assert_ok(&output);
    assert!(!stderr(&output).contains("number check"), "{}", stderr(&output));
}
