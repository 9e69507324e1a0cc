//! Wall-clock time of each stage, recorded in one place so `build --timings`
//! and the benchmark report the same figures the same way.

use std::cell::Cell;
use std::time::{Duration, Instant};

/// Stages in the order they ran, each with its time.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    /// Runs `f` as stage `name` and records how long it took.
    pub fn time<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let (result, took) = timed(f);
        self.stages.push((name, took));
        result
    }

    /// The stages a line each, then the whole run's `total`, for `--timings`.
    pub fn table(&self, total: Duration) -> String {
        let line = |name: &str, took: Duration| format!("  {name:<8} {:>8.1} ms\n", took.as_secs_f64() * 1000.0);
        let mut table: String = self.stages.iter().map(|(name, took)| line(name, *took)).collect();
        table.push_str(&line("total", total));
        table
    }
}

/// Runs `f`; its result and how long it took.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let result = f();
    (result, started.elapsed())
}

/// Runs `f`, adding the time it took to `total` (for parts of a stage that
/// run many times, such as each chunk of rows).
pub fn add_time<T>(total: &Cell<Duration>, f: impl FnOnce() -> T) -> T {
    let (result, took) = timed(f);
    total.set(total.get() + took);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_recorded_in_order_and_parts_add_up() {
        let mut timings = Timings::default();
        let answer = timings.time("first", || 6 * 7);
        timings.time("second", || std::thread::sleep(Duration::from_millis(2)));
        assert_eq!(answer, 42);
        assert_eq!(timings.stages.iter().map(|(n, _)| *n).collect::<Vec<_>>(), ["first", "second"]);
        assert!(timings.stages[1].1 >= Duration::from_millis(2));
        let table = timings.table(Duration::from_millis(1234));
        assert_eq!(table.lines().count(), 3);
        assert!(table.starts_with("  first "), "{table}");
        assert!(table.ends_with("  total      1234.0 ms\n"), "{table}");
        let total = Cell::new(Duration::ZERO);
        add_time(&total, || std::thread::sleep(Duration::from_millis(1)));
        add_time(&total, || std::thread::sleep(Duration::from_millis(1)));
        assert!(total.get() >= Duration::from_millis(2));
    }
}
