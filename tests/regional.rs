//! `build --by authority` on a synthetic regional extract: a pack per
//! authority whose figures are exactly those of its rows alone, and the
//! regional summary beside them.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use missing_report::format::slug;

/// A regional file of `authorities` authorities written by `synth`.
fn regional_file(dir: &Path, episodes: usize, authorities: usize) -> std::path::PathBuf {
    let file = dir.join("region.csv");
    let output = run(binary()
        .args(["synth", "--episodes", &episodes.to_string(), "--authorities", &authorities.to_string(), "--seed", "11", "-o"])
        .arg(&file));
    assert_ok(&output);
    file
}

/// Writes `text` to `dir/name` and runs `build --by authority` on it into `dir/out`.
fn build_by_authority(dir: &Path, name: &str, text: &str) -> (std::process::Output, std::path::PathBuf) {
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    let out = dir.join("out");
    (run(binary().args(["build", "--by", "authority", "-i"]).arg(&file).arg("--out").arg(&out)), out)
}

/// The rows of `file` (canonical CSV with an `authority` column) by authority, each behind the header.
fn rows_by_authority(file: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(file).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let column = header.split(',').position(|h| h == "authority").unwrap();
    let mut by: BTreeMap<String, String> = BTreeMap::new();
    for line in lines {
        // Synthetic rows hold no quoted commas.
        let authority = line.split(',').nth(column).unwrap().to_string();
        let rows = by.entry(authority).or_insert_with(|| format!("{header}\n"));
        rows.push_str(line);
        rows.push('\n');
    }
    by
}

/// A value of a metrics export: (cohort, period, metric) of the headline rows.
fn headline(export: &str, cohort: &str, period: &str, metric: &str) -> String {
    let key = (cohort.to_string(), "year".to_string(), period.to_string(), "all".to_string(), "all".to_string(), metric.to_string());
    read_export(export).get(&key).cloned().unwrap_or_else(|| panic!("no {key:?} in the export"))
}

#[test]
fn each_authority_gets_the_figures_of_its_rows_alone_and_the_region_adds_them_up() {
    let dir = tempfile::tempdir().unwrap();
    let file = regional_file(dir.path(), 6000, 5);
    let out = dir.path().join("out");
    let output = run(binary().args(["build", "--by", "authority", "-i"]).arg(&file).arg("--out").arg(&out));
    assert_ok(&output);
    let said = stderr(&output);
    assert!(said.contains("wrote 5 papers"), "{said}");
    // Standard error is a pipe here, not a terminal: no progress bar in it.
    assert!(!said.contains("/5 papers"), "{said}");

    let by = rows_by_authority(&file);
    assert_eq!(by.len(), 5);
    let mut children_sum = 0u64;
    let mut episodes_sum = 0u64;
    for (authority, rows) in &by {
        let folder = out.join(slug(authority));
        for name in ["report.pdf", "metrics.csv", "tables.xlsx", "charts/monthly_children_episodes.svg", "tables/headline.csv"] {
            assert!(folder.join(name).is_file(), "{authority}: no {name}");
        }
        // The same rows alone, through `metrics`: the same export, byte for byte.
        let alone = dir.path().join("alone.csv");
        std::fs::write(&alone, rows).unwrap();
        let metrics = run(binary().args(["metrics", "-i"]).arg(&alone));
        assert_ok(&metrics);
        let pack_export = std::fs::read_to_string(folder.join("metrics.csv")).unwrap();
        assert!(
            pack_export == String::from_utf8(metrics.stdout).unwrap(),
            "{authority}: its pack's metrics.csv differs from its rows alone"
        );
        // Its own paper is its own: the name on it, its own figures.
        let text = pdf_text(&folder.join("report.pdf"));
        assert!(text.to_uppercase().contains(&authority.to_uppercase()), "{authority}: name not on its paper");
        children_sum += headline(&pack_export, "all", "2024-25", "children").parse::<u64>().unwrap();
        episodes_sum += headline(&pack_export, "all", "2024-25", "episodes").parse::<u64>().unwrap();
    }

    // The region: every authority's episodes together, each child under its
    // own authority (the synthetic authorities reuse child ids), so its
    // children and episodes are the authorities' sums.
    let region_export = std::fs::read_to_string(out.join("metrics.csv")).unwrap();
    assert_eq!(headline(&region_export, "all", "2024-25", "children"), children_sum.to_string());
    assert_eq!(headline(&region_export, "all", "2024-25", "episodes"), episodes_sum.to_string());

    // The summary's table: an authority per row as its own paper prints it, the region last.
    let table = std::fs::read_to_string(out.join("tables/authorities.csv")).unwrap();
    let rows = table_rows(&table);
    let names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let mut expected: Vec<&str> = by.keys().map(String::as_str).collect();
    expected.push("Region");
    assert_eq!(names, expected);
    let region = rows.last().unwrap();
    assert_eq!(region[1].replace(',', ""), children_sum.to_string());
    assert_eq!(region[2].replace(',', ""), episodes_sum.to_string());
    for row in &rows[..rows.len() - 1] {
        let pack = std::fs::read_to_string(out.join(slug(&row[0])).join("metrics.csv")).unwrap();
        assert_eq!(row[1].replace(',', ""), headline(&pack, "all", "2024-25", "children"), "{}", row[0]);
        assert_eq!(row[2].replace(',', ""), headline(&pack, "all", "2024-25", "episodes"), "{}", row[0]);
        assert_eq!(row[7].replace(',', ""), headline(&pack, "all", "2024-25", "children_repeat"), "{}", row[0]);
    }
    let summary = pdf_text(&out.join("report.pdf"));
    for heading in ["Authorities side by side", "The figures charted", "The region as a whole", "Appendix A", "Appendix B"] {
        assert!(summary.contains(heading), "the summary has no {heading}");
    }
    assert!(out.join("charts/authorities_rhi_offered.svg").is_file());
}

/// The rows of a table's CSV file (title, headings, rows, a blank line, notes): the rows.
fn table_rows(table: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(table.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
        .skip(2)
        .take_while(|r| r.len() > 1)
        .collect()
}

#[test]
fn a_row_without_an_authority_or_a_file_without_the_column_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let (output, out) = build_by_authority(
        dir.path(),
        "blank.csv",
        "episode_id,child_id,looked_after,start,authority\ne1,c1,Y,2024-04-03 10:00,Northmoor\ne2,c2,N,2024-04-04 10:00, \n",
    );
    assert!(!output.status.success());
    let said = stderr(&output);
    assert!(said.contains("blank.csv: row 3") && said.contains("`authority` is blank"), "{said}");
    assert!(!out.exists(), "a refused run leaves no folder");

    let (output, _) = build_by_authority(dir.path(), "without.csv", "episode_id,child_id,looked_after,start\ne1,c1,Y,2024-04-03 10:00\n");
    let said = stderr(&output);
    assert!(!output.status.success() && said.contains("without.csv: row 1: no `authority` column"), "{said}");

    let (output, _) = build_by_authority(
        dir.path(),
        "clash.csv",
        "episode_id,child_id,looked_after,start,authority\ne1,c1,Y,2024-04-03 10:00,North Moor\ne2,c2,N,2024-04-04 10:00,north-moor\n",
    );
    let said = stderr(&output);
    assert!(!output.status.success() && said.contains("would share the folder north-moor/"), "{said}");
}

#[test]
fn without_by_a_regional_file_counts_each_authoritys_children_apart() {
    // Two authorities that both number a child C1: two children, not one.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("two.csv");
    std::fs::write(
        &file,
        "episode_id,child_id,looked_after,start,end,authority\n\
         e1,C1,Y,2024-04-03 10:00,2024-04-03 20:00,Northmoor\n\
         e1,C1,Y,2024-04-05 10:00,2024-04-05 20:00,Eastwick\n",
    )
    .unwrap();
    let output = run(binary().args(["metrics", "-i"]).arg(&file));
    assert_ok(&output);
    let export = String::from_utf8(output.stdout).unwrap();
    let month = |metric: &str| {
        let key = ("all".into(), "month".into(), "2024-04".into(), "all".into(), "all".into(), metric.to_string());
        read_export(&export)[&key].clone()
    };
    // The same episode id under two authorities is two episodes, not a duplicate.
    assert_eq!(month("episodes"), "2");
    assert_eq!(month("children"), "2");
}

#[test]
fn an_authority_with_no_episode_in_the_last_months_gets_them_as_zeros() {
    // The region's last complete month is May 2024; Eastwick's last episode is in April.
    let dir = tempfile::tempdir().unwrap();
    let (output, out) = build_by_authority(
        dir.path(),
        "quiet.csv",
        "episode_id,child_id,looked_after,start,end,authority\n\
         e1,C1,Y,2024-04-03 10:00,2024-04-03 20:00,Northmoor\n\
         e2,C2,N,2024-05-10 10:00,2024-05-10 20:00,Northmoor\n\
         e3,C1,Y,2024-06-20 10:00,2024-06-20 20:00,Northmoor\n\
         e1,C1,N,2024-04-05 10:00,2024-04-05 20:00,Eastwick\n",
    );
    assert_ok(&output);
    assert!(stderr(&output).contains("every one to May 2024"), "{}", stderr(&output));
    let export = std::fs::read_to_string(out.join("eastwick/metrics.csv")).unwrap();
    let key = |month: &str, metric: &str| ("all".into(), "month".into(), month.into(), "all".into(), "all".into(), metric.to_string());
    let values = read_export(&export);
    assert_eq!(values[&key("2024-04", "episodes")], "1");
    assert_eq!(values[&key("2024-05", "episodes")], "0");
    assert_eq!(values[&key("2024-06", "episodes")], "0");
    assert!(out.join("northmoor/report.pdf").is_file() && out.join("report.pdf").is_file());
}

#[test]
fn a_regional_run_refused_for_one_authority_leaves_no_folder_and_nothing_staged() {
    // Zedford's only episode is of a child looked after elsewhere: nothing
    // to count, found before any paper is made, and nothing is left behind.
    let dir = tempfile::tempdir().unwrap();
    let (output, out) = build_by_authority(
        dir.path(),
        "late.csv",
        "episode_id,child_id,looked_after,start,end,other_la,authority\n\
         e1,C1,Y,2024-04-03 10:00,2024-04-03 20:00,N,Ashby\n\
         e2,C2,N,2024-05-10 10:00,2024-05-10 20:00,N,Barrow\n\
         e3,C3,Y,2024-06-20 10:00,2024-06-20 20:00,Y,Zedford\n",
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("authority `Zedford`: no episode left to count"), "{}", stderr(&output));
    assert!(!out.exists(), "the folder the run made is gone, staged packs and all");

    // N/A is no authority, and an authority cannot take the summary's own folders.
    for (value, said) in [("N/A", "`authority` is blank"), ("Charts", "the regional summary's own charts/ folder")] {
        let text =
            format!("episode_id,child_id,looked_after,start,authority\ne1,C1,Y,2024-04-03 10:00,Ashby\ne2,C2,N,2024-04-04 10:00,{value}\n");
        let (output, _) = build_by_authority(dir.path(), "odd.csv", &text);
        assert!(!output.status.success() && stderr(&output).contains(said), "{value}: {}", stderr(&output));
    }
}
