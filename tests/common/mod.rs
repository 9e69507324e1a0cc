//! Helpers every integration test shares: the binary, fixture paths, runs
//! that must not panic, the metrics export as a map, and the PDF's facts.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_missing-report"))
}

pub fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path)
}

pub fn run(command: &mut Command) -> Output {
    let output = command.output().expect("the binary runs");
    assert_ne!(output.status.code(), Some(101), "panicked: {}", String::from_utf8_lossy(&output.stderr));
    output
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn assert_ok(output: &Output) {
    assert!(output.status.success(), "exit {:?}: {}", output.status.code(), stderr(output));
    assert!(!stderr(output).contains("template warning"), "Typst warnings: {}", stderr(output));
}

pub type Key = (String, String, String, String, String, String);

pub fn read_export(text: &str) -> BTreeMap<Key, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header, ["cohort", "period_kind", "period", "dimension", "category", "metric", "value"]);
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let key = (r[0].into(), r[1].into(), r[2].into(), r[3].into(), r[4].into(), r[5].into());
            (key, r[6].to_string())
        })
        .collect()
}

/// The PDF's text with every run of white space as one space, so phrases
/// broken across lines still match.
pub fn pdf_text(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed: .ci/run installs it");
    assert!(output.status.success());
    String::from_utf8_lossy(&output.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn pdf_pages(pdf: &Path) -> usize {
    let output = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo (poppler-utils) is installed");
    let text = String::from_utf8_lossy(&output.stdout);
    let pages = text.lines().find_map(|l| l.strip_prefix("Pages:")).expect("pdfinfo prints Pages");
    let size = text.lines().find_map(|l| l.strip_prefix("Page size:")).expect("pdfinfo prints the page size");
    assert!(size.contains("595.276 x 841.89"), "not A4: {size}");
    pages.trim().parse().unwrap()
}

/// Every file under `folder`, in name order.
pub fn files_under(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// Every public output as text: the terminal, then under `folders` each
/// PDF's text and metadata, every XML part of a workbook, and every other
/// file's bytes. PNG and font files hold no text of ours.
pub fn public_texts(terminal: &str, folders: &[&Path]) -> Vec<(String, String)> {
    use std::io::Read;
    let mut texts = vec![("the terminal".to_string(), terminal.to_string())];
    for file in folders.iter().flat_map(|folder| files_under(folder)) {
        let name = file.display().to_string();
        match file.extension().and_then(|e| e.to_str()).unwrap_or_default() {
            "pdf" => {
                texts.push((format!("{name} (text)"), pdf_text(&file)));
                let info = Command::new("pdfinfo").arg("-meta").arg(&file).output().unwrap();
                texts.push((format!("{name} (metadata)"), String::from_utf8_lossy(&info.stdout).into_owned()));
            }
            "xlsx" => {
                let mut archive = zip::ZipArchive::new(std::fs::File::open(&file).unwrap()).unwrap();
                for i in 0..archive.len() {
                    let mut part = archive.by_index(i).unwrap();
                    let part_name = part.name().unwrap().to_string();
                    let mut text = String::new();
                    part.read_to_string(&mut text).unwrap();
                    texts.push((format!("{name}:{part_name}"), text));
                }
            }
            "png" | "ttf" | "otf" => {}
            _ => texts.push((name, String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned())),
        }
    }
    texts
}
