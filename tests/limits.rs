//! Input far larger than its kind can be is refused with a message naming
//! the file (and row, or line), before it is read into memory: a row of
//! tens of megabytes, a million columns, a workbook too large or a zip bomb
//! named .xlsx, a configuration or commentary file of megabytes, commentary
//! nested thousands deep, and a device that never ends. README "Limits".

mod common;

use std::path::Path;

use common::*;

/// Runs `build` in a fresh folder holding `files`; returns the exit code and what it printed.
fn build_with(files: &[(&str, &[u8])], args: &[&str]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let output = run(binary().current_dir(dir.path()).arg("build").args(args));
    assert!(!dir.path().join("out/report.pdf").exists(), "a paper was written");
    (output.status.code(), stderr(&output))
}

const HEADER: &str = "episode_id,child_id,date_of_birth,sex,looked_after,start,end\n";

#[test]
fn a_row_of_seventeen_megabytes_is_refused_naming_its_row() {
    let mut csv = format!("{HEADER}E1,C1,2010-01-01,F,Y,2024-01-02 10:00,2024-01-02 12:00\n");
    csv.push_str(&format!("E2,C2,2010-01-01,F,Y,2024-01-03 10:00,2024-01-03 12:00,{}\n", "x".repeat(17 << 20)));
    let (code, message) = build_with(&[("e.csv", csv.as_bytes())], &["-i", "e.csv"]);
    assert_eq!(code, Some(2), "{message}");
    assert!(message.contains("e.csv: row 3 is longer than 16,777,216 bytes, the most a row is read up to"), "{message}");

    // The same cell quoted over many lines is refused too, by the record.
    let lines = "x\n".repeat(9 << 20);
    let csv = format!("{HEADER}E1,C1,2010-01-01,F,Y,2024-01-02 10:00,\"{lines}\"\n");
    let (code, message) = build_with(&[("e.csv", csv.as_bytes())], &["-i", "e.csv"]);
    assert_eq!(code, Some(2), "{message}");
    assert!(message.contains("e.csv: row 2 is longer than 16,777,216 bytes"), "{message}");
}

#[test]
fn a_header_of_a_million_columns_is_refused() {
    let mut csv = HEADER.trim_end().to_string();
    for i in 0..1_000_000 {
        csv.push_str(&format!(",x{i}"));
    }
    csv.push('\n');
    let (code, message) = build_with(&[("wide.csv", csv.as_bytes())], &["-i", "wide.csv"]);
    assert_eq!(code, Some(2), "{message}");
    assert!(message.contains("wide.csv: the header has 1,000,007 columns; a file is read only up to 10,000 columns"), "{message}");
}

#[test]
fn a_workbook_too_large_and_a_zip_bomb_named_xlsx_are_refused() {
    let mut large = b"PK\x03\x04".to_vec();
    large.resize(65 << 20, 0);
    let (code, message) = build_with(&[("big.xlsx", &large)], &["-i", "big.xlsx"]);
    assert_eq!(code, Some(2), "{message}");
    assert!(message.contains("big.xlsx: the workbook is larger than 67,108,864 bytes"), "{message}");

    // 600 KB that unpacks to 600 MiB of spaces.
    let bomb = std::fs::read(fixture("limits/zip_bomb.xlsx")).unwrap();
    let (code, message) = build_with(&[("bomb.xlsx", &bomb)], &["-i", "bomb.xlsx"]);
    assert_eq!(code, Some(2), "{message}");
    assert!(message.contains("bomb.xlsx: the workbook unpacks to more than 536,870,912 bytes"), "{message}");
}

#[test]
fn configuration_and_commentary_files_of_megabytes_are_refused() {
    let config = format!("# {}\n", "x".repeat(10 << 20));
    let (code, message) = build_with(&[("c.yaml", config.as_bytes())], &["-c", "c.yaml"]);
    assert_eq!(code, Some(1), "{message}");
    assert!(message.contains("the configuration file c.yaml holds more than 1,048,576 bytes"), "{message}");

    let commentary = format!("## summary\n\n{}\n", "Word ".repeat(2 << 20));
    let (code, message) = build_with(&[("c.md", commentary.as_bytes())], &["--commentary", "c.md"]);
    assert_eq!(code, Some(1), "{message}");
    assert!(message.contains("the commentary file c.md holds more than 1,048,576 bytes"), "{message}");
}

#[test]
fn commentary_nested_thousands_deep_is_refused_at_its_line() {
    for (what, nested) in [
        ("quotes", format!("## summary\n\nFine.\n\n{} deep\n", ">".repeat(100_000))),
        ("lists", format!("## summary\n\n{}", (0..900).map(|i| format!("{}- item\n", "  ".repeat(i))).collect::<String>())),
        ("emphasis", {
            // *a _a *a _a ... x ... a_ a* a_ a*: emphasis inside emphasis, 3,000 deep.
            let opens: String = (0..3000).map(|i| if i % 2 == 0 { "*a " } else { "_a " }).collect();
            let closes: String = (0..3000).rev().map(|i| if i % 2 == 0 { " a*" } else { " a_" }).collect();
            format!("## summary\n\n{opens}x{closes}\n")
        }),
    ] {
        let (code, message) = build_with(&[("c.md", nested.as_bytes())], &["--commentary", "c.md"]);
        assert_eq!(code, Some(1), "{what}: {message}");
        assert!(message.contains("more than 10 levels inside each other"), "{what}: {message}");
        assert!(message.contains("c.md:"), "{what}: {message}");
    }
    // Ten levels still print.
    let ten = format!("## summary\n\n{} ten quotes deep\n", "> ".repeat(10));
    let (code, message) = build_with(&[("c.md", ten.as_bytes())], &["--commentary", "c.md", "--out", "o"]);
    assert_eq!(code, Some(0), "{message}");
}

#[cfg(unix)]
#[test]
fn a_device_that_never_ends_is_refused_as_input_configuration_or_commentary() {
    let zero = Path::new("/dev/zero").to_str().unwrap();
    for (flag, what) in [
        ("-i", "cannot read input file /dev/zero"),
        ("-c", "cannot read configuration file /dev/zero"),
        ("--commentary", "cannot read commentary file /dev/zero"),
    ] {
        let (code, message) = build_with(&[], &[flag, zero]);
        assert_eq!(code, Some(1), "{flag}: {message}");
        assert!(message.contains(what) && message.contains("it is a device, not a file"), "{flag}: {message}");
    }
}
