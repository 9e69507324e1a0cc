//! The web edition (`build --html`): for each built-in template, on the
//! bundled example and on the Gateshead fixture, report.html holds every
//! section heading and every printed table's figures that the PDF holds,
//! and axe-core, run in headless Chromium, finds no serious or critical
//! accessibility violation. Screenshots at desktop and phone widths are left
//! in the target folder for a person to look at.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{assert_ok, binary, fixture, pdf_text, run};

/// Text of an HTML page or fragment: tags dropped, entities decoded, white space collapsed.
fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of every `<h1>` to `<h4>`, in order.
fn headings(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for level in 1..=4 {
        let (open, close) = (format!("<h{level}"), format!("</h{level}>"));
        let mut rest = html;
        while let Some(start) = rest.find(&open) {
            let after = &rest[start..];
            let Some(end) = after.find(&close) else { break };
            found.push(html_text(&after[..end]));
            rest = &after[end..];
        }
    }
    found
}

/// Where the test looks for axe-core: `AXE_CORE_JS`, else where `.ci/run` installs it.
fn axe_core() -> Option<PathBuf> {
    let path = std::env::var_os("AXE_CORE_JS").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/missing-report-npm/node_modules/axe-core/axe.min.js")
    });
    path.is_file().then_some(path)
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"].into_iter().find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
}

/// Runs axe-core on the page in headless Chromium; the violations as (id, impact, nodes).
fn axe(page: &Path, browser: &str, axe: &Path) -> Vec<(String, String, u64)> {
    let html = std::fs::read_to_string(page).unwrap();
    let runner = format!(
        r#"<script src="file://{}"></script>
<script>
axe.run(document, {{runOnly: {{type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}}}}).then(function (r) {{
  var pre = document.createElement('pre');
  pre.id = 'axe-result';
  pre.textContent = JSON.stringify(r.violations.map(function (v) {{ return [v.id, v.impact, v.nodes.length]; }}));
  document.body.appendChild(pre);
}});
</script></body>"#,
        axe.display()
    );
    let checked = page.with_file_name("axe.html");
    std::fs::write(&checked, html.replacen("</body>", &runner, 1)).unwrap();
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--allow-file-access-from-files",
            "--virtual-time-budget=30000",
            "--dump-dom",
        ])
        .arg(format!("file://{}", checked.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&output.stdout);
    let result = dom
        .split("<pre id=\"axe-result\">")
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .unwrap_or_else(|| panic!("axe-core gave no result for {}: {}", page.display(), String::from_utf8_lossy(&output.stderr)));
    let result = result.replace("&quot;", "\"").replace("&amp;", "&");
    let violations: Vec<(String, String, u64)> = serde_json::from_str(&result).unwrap();
    violations
}

fn screenshot(page: &Path, browser: &str, width: u32, name: &str) -> PathBuf {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join("web-screenshots");
    std::fs::create_dir_all(&folder).unwrap();
    let png = folder.join(name);
    let status = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"])
        .arg(format!("--window-size={width},2400"))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(status.status.success() && png.is_file(), "no screenshot of {}", page.display());
    png
}

#[test]
fn every_template_s_web_edition_holds_the_paper_s_headings_and_tables_and_passes_axe() {
    let browser = chromium();
    let axe_js = axe_core();
    let required = std::env::var_os("MISSING_REPORT_REQUIRE_BROWSER").is_some();
    if browser.is_none() || axe_js.is_none() {
        assert!(!required, "MISSING_REPORT_REQUIRE_BROWSER is set but chromium or axe-core is missing (.ci/run installs both)");
        eprintln!("axe-core skipped: chromium (Debian's chromium) or axe-core (npm) is not installed; .ci/run installs both");
    }
    let dir = tempfile::tempdir().unwrap();
    let gateshead = fixture("gateshead/episodes.csv");
    for template in ["overview", "scrutiny", "corporate-parenting"] {
        for (data, extra) in [
            ("example", vec![]),
            ("gateshead", vec!["-i".to_string(), gateshead.display().to_string(), "--period".into(), "2024-03".into()]),
        ] {
            let out = dir.path().join(format!("{template}-{data}"));
            assert_ok(&run(binary()
                .current_dir(dir.path())
                .args(["build", "--html", "--template", template])
                .args(&extra)
                .arg("--out")
                .arg(&out)));
            let page = out.join("report.html");
            let html = std::fs::read_to_string(&page).unwrap();
            let text = html_text(&html);
            let pdf = pdf_text(&out.join("report.pdf"));
            assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"en-GB\">"), "{template} {data}: lang");
            assert!(html.contains("<title>") && html.contains("<main>"), "{template} {data}: title and main landmark");

            // Every heading of the page is a heading of the paper, and the paper's numbered sections are all there.
            let found = headings(&html);
            assert!(found.len() >= 8, "{template} {data}: only {found:?}");
            for heading in &found {
                assert!(pdf.contains(heading.as_str()), "{template} {data}: the heading {heading:?} is not in the PDF");
            }
            // Every built-in paper has at least four numbered sections (the scrutiny report four).
            for number in 1..=4 {
                assert!(found.iter().any(|h| h.starts_with(&format!("{number}. "))), "{template} {data}: no section {number} in {found:?}");
            }

            // Every printed table (the PDF's, as tables/NAME.csv) has each of its cells in the page.
            let mut tables = 0;
            for entry in std::fs::read_dir(out.join("tables")).unwrap() {
                let path = entry.unwrap().path();
                let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_path(&path).unwrap();
                for record in reader.records() {
                    for cell in record.unwrap().iter().filter(|c| !c.is_empty()) {
                        let cell = cell.split_whitespace().collect::<Vec<_>>().join(" ");
                        assert!(text.contains(&cell), "{template} {data}: {} holds {cell:?}, the page does not", path.display());
                    }
                }
                tables += 1;
            }
            assert!(tables >= 4, "{template} {data}: {tables} tables");
            // Each chart shown has its alt text and its data table in the page.
            let images = html.matches("<img ").count();
            assert_eq!(images, html.matches(" alt=\"").count(), "{template} {data}: an image without alt text");
            assert_eq!(images, html.matches("<details>").count(), "{template} {data}: a chart without its data table");

            if let (Some(browser), Some(axe_js)) = (browser, axe_js.as_deref()) {
                let violations = axe(&page, browser, axe_js);
                eprintln!("axe-core, {template} on {data}: {} violation(s) {violations:?}", violations.len());
                let bad: Vec<_> = violations.iter().filter(|(_, impact, _)| impact == "serious" || impact == "critical").collect();
                assert!(bad.is_empty(), "{template} {data}: serious or critical violations {bad:?}");
                if data == "example" {
                    screenshot(&page, browser, 1280, &format!("{template}-desktop.png"));
                    screenshot(&page, browser, 320, &format!("{template}-phone.png"));
                }
            }
        }
    }
}

#[test]
fn the_web_edition_prints_commentary_as_text_never_as_markup() {
    let dir = tempfile::tempdir().unwrap();
    let commentary = dir.path().join("commentary.md");
    // Raw HTML is refused in commentary; escaped, its characters print as typed.
    std::fs::write(&commentary, "## summary\n\nRates \\<script>alert(1)\\</script> & #strong[not markup] held.\n").unwrap();
    let out = dir.path().join("out");
    assert_ok(&run(binary().current_dir(dir.path()).args(["build", "--html", "--commentary"]).arg(&commentary).arg("--out").arg(&out)));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!html.contains("<script>alert(1)</script>"), "the commentary's tag reached the page as markup");
    assert!(
        html_text(&html).contains("Rates <script>alert(1)</script> & #strong[not markup] held."),
        "the commentary's text is not in the page"
    );
}
