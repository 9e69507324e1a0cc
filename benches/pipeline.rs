//! Benchmark (not a test): times ingest and metrics on synthetic episodes and
//! prints the figures. `cargo bench --bench pipeline [-- EPISODES]`
//! (default 1,000,000). Peak memory is the process's high-water mark.

use std::time::Instant;

use missing_report::config::Rules;
use missing_report::ingest::{read, IngestContext, InputFile};
use missing_report::metrics::{compute, MetricsContext};
use missing_report::period::ReportingYear;
use missing_report::synth::{write_csv, SynthConfig};

fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let episodes: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1_000_000);
    let started = Instant::now();
    let mut bytes = Vec::new();
    write_csv(&SynthConfig::example(episodes, 1), &mut bytes).expect("synthetic data");
    println!("synth      {:>8.0} ms  ({episodes} episodes, {:.0} MB of CSV)", started.elapsed().as_secs_f64() * 1000.0, bytes.len() as f64 / 1e6);
    let after_synth = peak_memory_mib().unwrap_or(0.0);

    let rules = Rules::default();
    let file = InputFile { name: "synthetic.csv".into(), bytes };
    let started = Instant::now();
    let (data, quality) = read(std::slice::from_ref(&file), &IngestContext::new(&rules)).expect("ingest");
    println!("ingest     {:>8.0} ms  ({} rows kept, {} findings)", started.elapsed().as_secs_f64() * 1000.0, quality.rows_kept, quality.findings.len());
    drop(file);

    let context = MetricsContext { rules, year: ReportingYear { start_month: 4 }, period_end: None, suppression_threshold: 0 };
    let started = Instant::now();
    let metrics = compute(&data, &context).expect("metrics");
    println!("metrics    {:>8.0} ms  ({} export rows)", started.elapsed().as_secs_f64() * 1000.0, metrics.rows.len());
    let started = Instant::now();
    let csv = metrics.to_csv_bytes().expect("export");
    println!("export     {:>8.0} ms  ({:.1} MB)", started.elapsed().as_secs_f64() * 1000.0, csv.len() as f64 / 1e6);
    if let Some(peak) = peak_memory_mib() {
        println!("peak memory {peak:.0} MiB (of which the synthetic CSV generation {after_synth:.0} MiB)");
    }
}
