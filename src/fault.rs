//! Fault injection for the crash-safety tests: `MISSING_REPORT_FAULT=<point>`
//! aborts the process at that point of a run, as a kill would. Points:
//! `charts` (after the charts are drawn, before the PDF), `staged` (after
//! every output is staged, before any is renamed into place).

/// Aborts the process if `MISSING_REPORT_FAULT` names this point.
pub fn point(name: &str) {
    if std::env::var_os("MISSING_REPORT_FAULT").is_some_and(|value| value == name) {
        eprintln!("MISSING_REPORT_FAULT={name}: aborting here");
        std::process::abort();
    }
}
