//! `missing-report watchlist`: the hand-worked fixture's rows and triggers,
//! the one repeat mechanism it shares with the metrics, the restricted
//! folder (modes, refusals both ways), the marking on every page, and no
//! identifier in anything `build` writes.

mod common;

use std::path::{Path, PathBuf};

use common::{assert_ok, binary, fixture, pdf_text, public_texts, read_export, run, stderr};

const PDF: &str = "watchlist-OFFICIAL-SENSITIVE.pdf";
const CSV: &str = "watchlist-OFFICIAL-SENSITIVE.csv";

fn episodes() -> PathBuf {
    fixture("watchlist/episodes.csv")
}

/// Runs `watchlist` in `dir` (so the default build folder is `dir/out`).
fn watchlist(dir: &Path, args: &[&str]) -> std::process::Output {
    run(binary().current_dir(dir).arg("watchlist").arg("-i").arg(episodes()).args(args))
}

/// The CSV's rows as (column → cell) maps, in order.
fn rows(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    reader.records().map(|r| header.iter().cloned().zip(r.unwrap().iter().map(str::to_string)).collect()).collect()
}

#[test]
fn the_hand_worked_fixture_gives_exactly_the_expected_rows_and_triggers() {
    let dir = tempfile::tempdir().unwrap();
    let output = watchlist(dir.path(), &["--as-of", "2024-03-31", "--out", "list"]);
    assert_ok(&output);
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("watchlist as at 31 March 2024 (25 March 2024 to 31 March 2024): 8 children"), "{said}");
    let rows = rows(&dir.path().join("list").join(CSV));
    let listed: Vec<(&str, &str, &str, &str, &str)> = rows
        .iter()
        .map(|r| (r["rank"].as_str(), r["child_id"].as_str(), r["age"].as_str(), r["looked_after"].as_str(), r["triggers"].as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            ("1", "WLX-OPEN", "16", "looked after", "still_missing"),
            ("2", "WLX-CSE", "14", "looked after", "exploitation"),
            ("3", "WLX-REPEAT30", "13", "looked after", "repeat_30d;repeat"),
            ("4", "WLX-REPEAT90", "15", "not looked after", "repeat"),
            ("5", "WLX-LONG", "12", "not looked after", "long_episode"),
            ("6", "WLX-STRADDLE", "15", "looked after", "long_episode"),
            ("7", "WLX-NORHI", "13", "not looked after", "rhi"),
            ("8", "WLX-LATERHI", "15", "looked after", "rhi"),
        ]
    );
    let cell = |child: &str, column: &str| rows.iter().find(|r| r["child_id"] == child).unwrap()[column].clone();
    assert_eq!(cell("WLX-OPEN", "still_missing"), "2024-03-29 22:00 (missing 50 hours)");
    assert_eq!(cell("WLX-OPEN", "long_episode"), "", "an open episode is listed once, as still missing");
    assert_eq!(cell("WLX-OPEN", "last_end"), "");
    assert_eq!(cell("WLX-OPEN", "last_rhi"), "not due: still missing");
    assert_eq!(cell("WLX-CSE", "exploitation"), "2024-03-30 18:00 (CSE)");
    assert_eq!(cell("WLX-CSE", "rhi"), "", "returned 25 hours before the end of the as-of date: not yet due");
    assert_eq!(cell("WLX-CSE", "last_rhi"), "offer not recorded (due by 02/04/2024 23:00)");
    // The run straddles the window's start: its first two episodes lie before 25 March.
    assert_eq!(cell("WLX-REPEAT30", "repeat_30d"), "2024-03-05 10:00; 2024-03-15 09:00; 2024-03-27 14:00");
    assert_eq!(cell("WLX-REPEAT30", "repeat"), "2024-03-05 10:00; 2024-03-15 09:00; 2024-03-27 14:00");
    assert_eq!(
        [cell("WLX-REPEAT30", "episodes_30_days"), cell("WLX-REPEAT30", "episodes_90_days"), cell("WLX-REPEAT30", "episodes_365_days")],
        ["3", "3", "3"]
    );
    assert_eq!(cell("WLX-REPEAT90", "repeat"), "2024-01-20 10:00; 2024-02-25 10:00; 2024-03-26 10:00");
    assert_eq!(cell("WLX-REPEAT90", "repeat_30d"), "");
    assert_eq!(cell("WLX-LONG", "long_episode"), "2024-03-26 08:00 (48 hours)");
    assert_eq!(cell("WLX-STRADDLE", "long_episode"), "2024-03-23 20:00 (48 hours)");
    assert_eq!(cell("WLX-NORHI", "rhi"), "2024-03-25 09:00 (not offered)");
    assert_eq!(cell("WLX-LATERHI", "rhi"), "2024-03-25 01:00 (done 4 days after the return)");
    assert_eq!(cell("WLX-LATERHI", "last_rhi"), "done 4 days after the return");
    assert_eq!((cell("WLX-LONG", "last_start"), cell("WLX-LONG", "last_end")), ("2024-03-26 08:00".into(), "2024-03-28 08:00".into()));
    assert_eq!(cell("WLX-LONG", "last_rhi"), "done within 72 hours");

    // The PDF says the same, first page first: the as-of date and the triggers in force.
    let pdf = dir.path().join("list").join(PDF);
    let first = page_text(&pdf, 1);
    for phrase in [
        "Children missing: watchlist as at Sunday 31 March 2024",
        "25 to 31 March 2024 (7 days)",
        "Triggers in force",
        "3 in 30 days",
        "3 in 90 days",
        "Over 24 hours",
        "Order.",
    ] {
        assert!(first.contains(phrase), "first page lacks `{phrase}`: {first}");
    }
    let text = pdf_text(&pdf);
    let at = |id: &str| text.find(id).unwrap_or_else(|| panic!("{id} is not in the PDF"));
    assert!(at("WLX-OPEN") < at("WLX-CSE") && at("WLX-CSE") < at("WLX-REPEAT30") && at("WLX-NORHI") < at("WLX-LATERHI"));
    for absent in ["WLX-OLDRUN", "WLX-NONE", "WLX-ABSENT", "WLX-AFTER"] {
        assert!(!text.contains(absent), "{absent} met no trigger but is in the PDF");
    }

    // The same input gives the same bytes.
    assert_ok(&watchlist(dir.path(), &["--as-of", "2024-03-31", "--out", "again"]));
    for name in [PDF, CSV] {
        assert!(
            std::fs::read(dir.path().join("list").join(name)).unwrap() == std::fs::read(dir.path().join("again").join(name)).unwrap(),
            "{name} differs"
        );
    }
}

#[test]
fn a_month_flags_for_3_in_30_days_exactly_the_children_the_metrics_count() {
    let dir = tempfile::tempdir().unwrap();
    assert_ok(&watchlist(dir.path(), &["--period", "2024-03", "--out", "list"]));
    let flagged: Vec<String> = rows(&dir.path().join("list").join(CSV))
        .into_iter()
        .filter(|r| !r["repeat_30d"].is_empty())
        .map(|r| r["child_id"].clone())
        .collect();
    // WLX-OLDRUN's CCE concern of 10 March puts it first.
    assert_eq!(flagged, ["WLX-OLDRUN", "WLX-REPEAT30"]);
    let metrics = run(binary().current_dir(dir.path()).args(["metrics", "--period", "2024-03", "-i"]).arg(episodes()));
    assert_ok(&metrics);
    let export = read_export(&String::from_utf8_lossy(&metrics.stdout));
    let key = |metric: &str| ("all".into(), "month".into(), "2024-03".into(), "all".into(), "all".into(), metric.to_string());
    assert_eq!(export[&key("children_repeat_30d")], flagged.len().to_string());
}

#[test]
fn an_interview_is_judged_in_the_window_it_falls_due_and_no_list_runs_past_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let output = watchlist(dir.path(), &["--as-of", "2024-04-07", "--out", "list"]);
    assert_ok(&output);
    let said = String::from_utf8_lossy(&output.stdout);
    // The last start in the data is 2 April: a list as at 7 April would call interviews not yet due missed.
    assert!(said.contains("watchlist as at 2 April 2024 (27 March 2024 to 2 April 2024)"), "{said}");
    let rows = rows(&dir.path().join("list").join(CSV));
    let row = |child: &str| rows.iter().find(|r| r["child_id"] == child).unwrap_or_else(|| panic!("{child} is not listed")).clone();
    assert_eq!(row("WLX-CSE")["triggers"], "exploitation;rhi");
    assert_eq!(row("WLX-CSE")["rhi"], "2024-03-30 18:00 (offer not recorded)");
    assert_eq!(row("WLX-AFTER")["exploitation"], "2024-04-02 10:00 (CSE)");
    // Due on 28 March, inside this window too: each return is judged in every window its due date falls in.
    assert_eq!(row("WLX-NORHI")["rhi"], "2024-03-25 09:00 (not offered)");
    let first = page_text(&dir.path().join("list").join(PDF), 1);
    assert!(first.contains("--as-of asked for 7 April 2024, after the data"), "{first}");

    let late = watchlist(dir.path(), &["--period", "2024-05", "--out", "later"]);
    assert_eq!(late.status.code(), Some(1));
    assert!(stderr(&late).contains("the data ends on 2 April 2024"), "{}", stderr(&late));
}

/// One page's text, white space as single spaces.
fn page_text(pdf: &Path, page: usize) -> String {
    let page = page.to_string();
    let output = std::process::Command::new("pdftotext").args(["-f", &page, "-l", &page, pdf.to_str().unwrap(), "-"]).output().unwrap();
    String::from_utf8_lossy(&output.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(unix)]
#[test]
fn the_files_are_the_owners_alone_and_every_page_is_marked() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    // A list long enough to run over pages: the bundled example, by its last date.
    let output = run(binary().current_dir(dir.path()).args(["watchlist", "--period", "2025-03", "--out", "restricted/list"]));
    assert_ok(&output);
    let folder = dir.path().join("restricted/list");
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&folder), 0o700);
    for name in [PDF, CSV] {
        assert!(name.contains("OFFICIAL-SENSITIVE"));
        assert_eq!(mode(&folder.join(name)), 0o600, "{name}");
    }
    let pdf = folder.join(PDF);
    let info = std::process::Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    assert!(info.contains("841.89 x 595.276"), "A4 landscape: {info}");
    assert!(info.contains("Tagged:          yes"), "{info}");
    let pages: usize = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    assert!(pages >= 2, "the example's month lists children over more than one page ({pages})");
    for page in 1..=pages {
        let text = page_text(&pdf, page);
        assert!(text.matches("OFFICIAL-SENSITIVE").count() >= 2, "page {page} is not marked top and bottom: {text}");
        assert!(text.contains("EXAMPLE DATA"), "page {page} does not say the children are the example's");
    }
    // Run again: the folder it wrote is its own, and stays the owner's.
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_ok(&run(binary().current_dir(dir.path()).args(["watchlist", "--period", "2025-03", "--out", "restricted/list"])));
    assert_eq!(mode(&folder), 0o700);
}

#[test]
fn a_build_folder_or_one_inside_it_is_refused_and_build_refuses_the_watchlist_folder() {
    let dir = tempfile::tempdir().unwrap();
    let refused = |args: &[&str], why: &str| {
        let output = watchlist(dir.path(), args);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains(why), "{args:?}: {}", stderr(&output));
    };
    // The configured build folder (`out` by default) is refused before anything is built in it.
    refused(&["--out", "out/list"], "is the papers' output folder");
    assert!(!dir.path().join("out").exists(), "a refused run makes no folder");
    let build = run(binary().current_dir(dir.path()).args(["build", "--period", "2024-03", "--out", "papers", "-i"]).arg(episodes()));
    assert_ok(&build);
    refused(&["--out", "papers"], "is a build output folder or inside one");
    refused(&["--out", "papers/charts/list"], "is a build output folder or inside one");
    assert!(!dir.path().join("papers/charts/list").exists());
    std::fs::create_dir(dir.path().join("documents")).unwrap();
    std::fs::write(dir.path().join("documents/minutes.docx"), b"x").unwrap();
    refused(&["--out", "documents"], "which the watchlist did not write");
    refused(&["--out", "papers/../papers/tables"], "is a build output folder or inside one");

    assert_ok(&watchlist(dir.path(), &["--as-of", "2024-03-31", "--out", "list"]));
    // Into it, inside it, or a folder holding it (a paper's folder is often zipped and sent whole).
    for out in ["list", "list/papers", "."] {
        let build = run(binary().current_dir(dir.path()).args(["build", "--period", "2024-03", "--out", out, "-i"]).arg(episodes()));
        assert_eq!(build.status.code(), Some(1), "build --out {out}: {}", stderr(&build));
        assert!(stderr(&build).contains("holds the restricted watchlist"), "{}", stderr(&build));
    }
    let input = run(binary().current_dir(dir.path()).args(["build", "--out", "papers", "-i", "list/watchlist-OFFICIAL-SENSITIVE.csv"]));
    assert_eq!(input.status.code(), Some(1));
    assert!(stderr(&input).contains("is in the restricted watchlist's folder"), "{}", stderr(&input));
    let left: Vec<String> =
        std::fs::read_dir(dir.path().join("list")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(left.len(), 3, "build wrote nothing into the watchlist folder: {left:?}");
}

#[test]
fn no_identifier_reaches_anything_build_writes() {
    let dir = tempfile::tempdir().unwrap();
    assert_ok(&watchlist(dir.path(), &["--as-of", "2024-03-31", "--out", "list"]));
    let listed = rows(&dir.path().join("list").join(CSV));
    assert_eq!(listed.len(), 8);
    let ids: Vec<String> =
        std::fs::read_to_string(episodes()).unwrap().lines().skip(1).map(|l| l.split(',').nth(1).unwrap().to_string()).collect();
    for template in ["overview", "scrutiny", "corporate-parenting"] {
        let out = format!("papers-{template}");
        let bundle = format!("bundle-{template}");
        let build = run(binary()
            .current_dir(dir.path())
            .args([
                "build",
                "--period",
                "2024-03",
                "--html",
                "--png",
                "--template",
                template,
                "--out",
                &out,
                "--emit-bundle",
                &bundle,
                "-i",
            ])
            .arg(episodes()));
        assert_ok(&build);
        let said = String::from_utf8_lossy(&build.stdout).into_owned() + &stderr(&build);
        let texts = public_texts(&said, &[&dir.path().join(&out), &dir.path().join(&bundle)]);
        assert!(texts.len() > 20, "{template}: the build wrote its files ({})", texts.len());
        for (file, text) in &texts {
            for id in &ids {
                assert!(!text.contains(id.as_str()), "{file} holds the child identifier {id}");
            }
        }
    }
}
