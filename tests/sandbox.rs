//! The Typst sandbox: a template sees only its own folder's files, the
//! report data and the charts. Reading above the folder, an absolute path, a
//! symbolic link out of the folder and a package import all fail with a
//! message, write no paper and never echo the file they reached for.

mod common;

use std::path::Path;

use common::{binary, run, stderr};

const SECRET: &str = "SECRET-7f3a: a line only a file outside the template folder holds";

/// Builds the example with a one-file template folder whose `main.typ` is `body`;
/// returns the exit code and the terminal text.
fn build_with(dir: &Path, body: &str) -> (Option<i32>, String) {
    let template = dir.join("template");
    std::fs::create_dir_all(&template).unwrap();
    std::fs::write(template.join("main.typ"), body).unwrap();
    let out = dir.join("out");
    let output = run(binary().arg("build").arg("--template").arg(&template).arg("--out").arg(&out).current_dir(dir));
    assert!(!out.join("report.pdf").exists(), "a paper was written: {}", stderr(&output));
    let terminal = format!("{}{}", String::from_utf8_lossy(&output.stdout), stderr(&output));
    assert!(!terminal.contains("SECRET-7f3a"), "the secret reached the terminal: {terminal}");
    (output.status.code(), terminal)
}

fn with_secret() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret.txt"), SECRET).unwrap();
    std::fs::write(dir.path().join("secret.svg"), format!("<svg xmlns='http://www.w3.org/2000/svg'><text>{SECRET}</text></svg>")).unwrap();
    dir
}

#[test]
fn a_template_cannot_read_above_its_folder() {
    let dir = with_secret();
    let (code, terminal) = build_with(dir.path(), "#read(\"../secret.txt\")\n");
    assert_eq!(code, Some(1), "{terminal}");
    assert!(terminal.contains("did not compile") && terminal.contains("../secret.txt"), "{terminal}");
    assert!(terminal.contains("a template sees only the files in its own folder") && !terminal.contains("--root"), "{terminal}");
}

#[test]
fn a_template_cannot_read_an_absolute_path() {
    let dir = with_secret();
    let absolute = dir.path().join("secret.txt");
    let (code, terminal) = build_with(dir.path(), &format!("#read(\"{}\")\n", absolute.display()));
    assert_eq!(code, Some(1), "{terminal}");
    assert!(terminal.contains("did not compile"), "{terminal}");
    let (code, terminal) = build_with(dir.path(), "#read(\"/etc/passwd\")\n");
    assert_eq!(code, Some(1), "{terminal}");
    assert!(!terminal.contains("root:"), "{terminal}");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_the_template_folder_is_refused() {
    let dir = with_secret();
    let template = dir.path().join("template");
    std::fs::create_dir_all(&template).unwrap();
    std::os::unix::fs::symlink(dir.path().join("secret.svg"), template.join("logo.svg")).unwrap();
    let (code, terminal) = build_with(dir.path(), "#image(\"logo.svg\")\n");
    assert_eq!(code, Some(1), "{terminal}");
    assert!(terminal.contains("leads outside the template folder"), "{terminal}");

    // A link that stays inside the folder is fine to follow.
    std::fs::remove_file(template.join("logo.svg")).unwrap();
    std::fs::write(template.join("real.svg"), "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>").unwrap();
    std::os::unix::fs::symlink(template.join("real.svg"), template.join("logo.svg")).unwrap();
    std::fs::write(template.join("main.typ"), "#set document(title: [Logo])\n#image(\"logo.svg\", alt: \"A square\")\n").unwrap();
    let out = dir.path().join("out");
    let output = run(binary().arg("build").arg("--template").arg(&template).arg("--out").arg(&out).current_dir(dir.path()));
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(out.join("report.pdf").exists());
}

#[test]
fn a_template_cannot_import_a_package() {
    let dir = tempfile::tempdir().unwrap();
    let (code, terminal) = build_with(dir.path(), "#import \"@preview/cetz:0.3.4\": canvas\n#canvas({})\n");
    assert_eq!(code, Some(1), "{terminal}");
    assert!(terminal.contains("did not compile") && terminal.contains("@preview/cetz"), "{terminal}");
    assert!(terminal.contains("no package (`@preview/...`)"), "{terminal}");
}
