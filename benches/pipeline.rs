//! Benchmark (not a test): times ingest and metrics on synthetic episodes and
//! prints the figures. `cargo bench --bench pipeline [-- EPISODES]`
//! (default 1,000,000). Each stage runs three times on the same input and
//! the median is reported with the range, since timings on a shared
//! two-core machine vary by a tenth or so. Peak memory is the process's
//! high-water mark.

use std::time::{Duration, Instant};

use missing_report::ingest::{read_timed, IngestContext, InputFile};
use missing_report::metrics::{compute, MetricsContext};
use missing_report::rules::CountingRules;
use missing_report::synth::{write_csv, SynthConfig};

const RUNS: usize = 3;

fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Runs `f` `RUNS` times; the last result and the sorted times.
fn timed<T>(mut f: impl FnMut() -> T) -> (T, Vec<Duration>) {
    let mut times = Vec::new();
    let mut result = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        result = Some(f());
        times.push(started.elapsed());
    }
    times.sort();
    (result.expect("at least one run"), times)
}

fn report(stage: &str, times: &[Duration], detail: String) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{stage:<9} {:>7.0} ms median (range {:.0}-{:.0} ms over {RUNS} runs)  {detail}",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
}

fn main() {
    let episodes: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1_000_000);
    let started = Instant::now();
    let mut bytes = Vec::new();
    write_csv(&SynthConfig::example(episodes, 1), &mut bytes).expect("synthetic data");
    println!(
        "synth     {:>7.0} ms  ({episodes} episodes, {:.0} MB of CSV)",
        started.elapsed().as_secs_f64() * 1000.0,
        bytes.len() as f64 / 1e6
    );
    let after_synth = peak_memory_mib().unwrap_or(0.0);

    let rules = CountingRules::default();
    let file = InputFile { name: "synthetic.csv".into(), bytes };
    let ((data, quality, parts), times) = timed(|| read_timed(std::slice::from_ref(&file), &IngestContext::new(&rules)).expect("ingest"));
    report("ingest", &times, format!("({} rows kept, {} findings)", quality.rows_kept, quality.findings.len()));
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let records = parts.rows.saturating_sub(parts.parse + parts.keys + parts.apply);
    println!(
        "  last run: open {:.0}, records {:.0}, parse {:.0}, keys {:.0}, apply {:.0}, cross-row checks {:.0}, frame {:.0} ms",
        ms(parts.open),
        ms(records),
        ms(parts.parse),
        ms(parts.keys),
        ms(parts.apply),
        ms(parts.cross_row_checks),
        ms(parts.frame)
    );
    // The rules that are passes of their own; the per-row rules are
    // comparisons on values `parse` reads anyway, inside its figure.
    let checks = parts.duplicate_check + parts.cross_row_checks;
    println!(
        "  data-quality passes: duplicate ids {:.0} ms (beside child numbering) + overlaps and ordering {:.0} ms = {:.0} ms, {:.0}% of that ingest",
        ms(parts.duplicate_check),
        ms(parts.cross_row_checks),
        ms(checks),
        100.0 * checks.as_secs_f64() / (parts.open + parts.rows + parts.cross_row_checks + parts.frame).as_secs_f64()
    );
    drop(file);

    let context = MetricsContext::with_rules(rules);
    let (metrics, times) = timed(|| compute(&data, &context).expect("metrics"));
    report("metrics", &times, format!("({} export rows)", metrics.export_rows().len()));
    let (csv, times) = timed(|| metrics.to_csv_bytes().expect("export"));
    report("export", &times, format!("({:.1} MB)", csv.len() as f64 / 1e6));
    if let Some(peak) = peak_memory_mib() {
        println!("peak memory {peak:.0} MiB (of which the synthetic CSV generation {after_synth:.0} MiB)");
    }
}
