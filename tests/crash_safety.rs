//! Crash-safe output: a build that is killed or fails leaves the previous
//! paper and its siblings as they were, an unwritable or busy output folder
//! is refused before any work, and `validate`'s findings file is private.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{assert_ok, binary, run, stderr};
use missing_report::output::{OutputFolder, STAGING_FOLDER};

/// Every file under `folder` (relative path → bytes), hidden ones included.
fn snapshot(folder: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, folder: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, files);
            } else {
                files.insert(path.strip_prefix(root).unwrap().to_path_buf(), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(folder, folder, &mut files);
    files
}

/// A first build of the example into `dir/out`, and what it wrote.
fn first_build(dir: &Path) -> (PathBuf, BTreeMap<PathBuf, Vec<u8>>) {
    let out = dir.join("out");
    assert_ok(&run(binary().args(["build", "--period", "2025-01", "--out"]).arg(&out).current_dir(dir)));
    let before = snapshot(&out);
    assert!(before.contains_key(Path::new("report.pdf")) && before.contains_key(Path::new("tables.xlsx")));
    assert!(before.keys().any(|p| p.starts_with("charts")) && before.keys().any(|p| p.starts_with("tables")));
    (out, before)
}

fn assert_unchanged(out: &Path, before: &BTreeMap<PathBuf, Vec<u8>>) {
    let after = snapshot(out);
    let added: Vec<&PathBuf> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    assert!(added.is_empty(), "new files after a failed run: {added:?}");
    for (path, bytes) in before {
        assert!(after.get(path) == Some(bytes), "{} changed or vanished", path.display());
    }
}

/// A build of another period (so every output would differ) into `out`, killed at `fault`.
fn killed_build(dir: &Path, out: &Path, fault: &str) {
    let killed = run(binary().args(["build", "--period", "2024-10", "--out"]).arg(out).env("MISSING_REPORT_FAULT", fault).current_dir(dir));
    assert_eq!(killed.status.code(), None, "the run was killed by a signal: {}", stderr(&killed));
    assert!(stderr(&killed).contains(&format!("MISSING_REPORT_FAULT={fault}")));
}

#[test]
fn a_build_killed_after_its_charts_are_drawn_leaves_the_previous_outputs_intact() {
    let dir = tempfile::tempdir().unwrap();
    let (out, before) = first_build(dir.path());
    killed_build(dir.path(), &out, "charts");
    assert_unchanged(&out, &before);
}

#[test]
fn a_build_killed_with_every_file_staged_replaces_nothing_and_the_next_build_clears_the_staging() {
    let dir = tempfile::tempdir().unwrap();
    let (out, before) = first_build(dir.path());
    killed_build(dir.path(), &out, "staged");
    // Nothing in place was touched; the new files wait, complete, in the hidden staging folder.
    let after = snapshot(&out);
    for (path, bytes) in &before {
        assert!(after.get(path) == Some(bytes), "{} changed or vanished", path.display());
    }
    let staged: Vec<&PathBuf> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    assert!(!staged.is_empty() && staged.iter().all(|p| p.starts_with(STAGING_FOLDER)), "{staged:?}");
    assert!(staged.iter().any(|p| p.ends_with("report.pdf")));

    // The next build clears it and leaves only complete outputs.
    assert_ok(&run(binary().args(["build", "--period", "2024-10", "--out"]).arg(&out).current_dir(dir.path())));
    let rebuilt = snapshot(&out);
    assert!(rebuilt.keys().all(|p| !p.starts_with(STAGING_FOLDER)), "{:?}", rebuilt.keys());
    assert_ne!(rebuilt[Path::new("report.pdf")], before[Path::new("report.pdf")]);
    assert_eq!(rebuilt.keys().collect::<Vec<_>>(), before.keys().collect::<Vec<_>>());
}

#[test]
fn a_build_whose_pdf_step_fails_leaves_the_previous_outputs_intact() {
    let dir = tempfile::tempdir().unwrap();
    let (out, before) = first_build(dir.path());
    let template = dir.path().join("broken.typ");
    std::fs::write(&template, "= A paper\n\n#panic(\"the PDF step fails here\")\n").unwrap();
    let failed =
        run(binary().args(["build", "--period", "2024-10", "--template"]).arg(&template).arg("--out").arg(&out).current_dir(dir.path()));
    assert_eq!(failed.status.code(), Some(1), "{}", stderr(&failed));
    assert!(stderr(&failed).contains("the PDF step fails here"), "{}", stderr(&failed));
    assert_unchanged(&out, &before);
}

#[test]
fn an_output_folder_that_cannot_be_written_is_refused_before_any_input_is_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a-file"), "not a folder").unwrap();
    // The input does not exist either: the output folder is checked first.
    let output =
        run(binary().args(["build", "-i", "no-such-extract.csv", "--out"]).arg(dir.path().join("a-file/out")).current_dir(dir.path()));
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("the output folder") && message.contains("cannot be created"), "{message}");
    assert!(!message.contains("no-such-extract"), "{message}");
}

#[test]
fn a_build_into_a_folder_another_run_is_writing_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (out, before) = first_build(dir.path());
    let held = OutputFolder::claim(&out).unwrap();
    let refused = run(binary().args(["build", "--period", "2024-10", "--out"]).arg(&out).current_dir(dir.path()));
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("another run is writing to the output folder"), "{}", stderr(&refused));
    drop(held);
    assert_unchanged(&out, &before);
}

#[cfg(unix)]
#[test]
fn validate_writes_findings_only_when_asked_readable_by_the_owner_and_says_they_are_personal_data() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/episodes.csv");
    let plain = run(binary().arg("validate").arg("-i").arg(&example).current_dir(dir.path()));
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none(), "validate wrote a file unasked");
    assert!(!String::from_utf8_lossy(&plain.stdout).contains("PERSONAL DATA"));

    let findings = dir.path().join("findings.csv");
    let asked = run(binary().arg("validate").arg("-i").arg(&example).arg("--findings").arg(&findings).current_dir(dir.path()));
    let stdout = String::from_utf8_lossy(&asked.stdout);
    assert!(stdout.contains("PERSONAL DATA") && stdout.contains("mode 0600"), "{stdout}");
    assert_eq!(std::fs::metadata(&findings).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(std::fs::read_to_string(&findings).unwrap().lines().count() > 1);
}
