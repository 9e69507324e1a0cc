//! The counting behind `metrics::compute`.
//!
//! One polars query gives every episode its 0/1 flags and category labels;
//! one pass in Rust then takes each month from the start and counts them,
//! because a query per flag and per breakdown cost more in planning than in
//! counting. Counted episodes are ordered by child and start: the repeat
//! trigger compares each start with the start `n - 1` episodes earlier for
//! the same child, and every (cohort, key) (a flag counted as children, or a
//! breakdown category) keeps a `Tally` (see `tally.rs`). Additive counts are
//! summed per month (a window adds up its months); episodes per child come
//! from one pass over the counted episodes.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use polars::prelude::*;
use rustc_hash::FxHashMap;

use super::catalogue::{Cohort, Totals};
use super::dimension::{age_band_labels, Dimension, EPISODES_PER_CHILD_BANDS};
use super::repeats;
use super::tally::{Appearances, CategoryCount, Tally};
use super::windows::Window;
use crate::period::YearMonth;
use crate::rules::{CountingRules, RepeatTrigger};

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// Flag columns that add up: a window's value is the sum of its months'.
const SUMMED: [&str; 9] = ["ep", "abs", "open", "over24", "offered", "accepted", "declined", "completed", "within"];

/// Flags counted as distinct children (those with at least one such
/// episode), with their bit in `Rows::flags`; a name that is not a flag
/// stops the build of this crate, not a run.
const DISTINCT_FLAGS: [(&str, u16); 5] = [
    ("ep", summed_bit("ep")),
    ("offered", summed_bit("offered")),
    ("completed", summed_bit("completed")),
    ("repeat", REPEAT),
    ("repeat30", REPEAT_30),
];

/// The bit of a `SUMMED` column in `Rows::flags`.
const fn summed_bit(name: &str) -> u16 {
    let mut i = 0;
    while i < SUMMED.len() {
        if same_text(SUMMED[i], name) {
            return 1 << i;
        }
        i += 1;
    }
    panic!("not a SUMMED column")
}

/// The position of a `DISTINCT_FLAGS` entry.
const fn distinct_index(name: &str) -> usize {
    let mut i = 0;
    while i < DISTINCT_FLAGS.len() {
        if same_text(DISTINCT_FLAGS[i].0, name) {
            return i;
        }
        i += 1;
    }
    panic!("not a DISTINCT_FLAGS entry")
}

/// `a == b`, where constants are computed.
const fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

fn as_count(e: Expr) -> Expr {
    e.fill_null(lit(false)).cast(DataType::UInt32)
}

fn duration_ms(to: &str, from: &str) -> Expr {
    col(to).cast(DataType::Int64) - col(from).cast(DataType::Int64)
}

/// The label of each episode's category in `dimension` (reasons joined by `;`).
fn category_expr(dimension: Dimension, rules: &CountingRules) -> Expr {
    match dimension {
        Dimension::AgeBand => {
            let labels = age_band_labels(&rules.age_bands);
            // labels: one per band below each bound, then `<last>_plus`, then `unknown`.
            let mut expr = lit(labels[rules.age_bands.len()].clone());
            for (i, bound) in rules.age_bands.iter().enumerate().rev() {
                expr = when(col("age").lt(lit(*bound as i32))).then(lit(labels[i].clone())).otherwise(expr);
            }
            when(col("age").is_null()).then(lit("unknown")).otherwise(expr)
        }
        Dimension::Sex => col("sex"),
        Dimension::EthnicityGroup => col("ethnicity_group"),
        Dimension::Reason => col("reason").fill_null(lit("not_recorded")),
        Dimension::Exploitation => {
            let cse = col("cse_risk").fill_null(lit(false));
            let cce = col("cce_risk").fill_null(lit(false));
            when(cse.clone().and(cce.clone()))
                .then(lit("both"))
                .when(cse)
                .then(lit("cse"))
                .when(cce)
                .then(lit("cce"))
                .otherwise(lit("none"))
        }
        Dimension::DurationBand => {
            let d = duration_ms("end", "start");
            when(col("open"))
                .then(lit("open"))
                .when(col("end").is_null())
                .then(lit("unknown"))
                .when(d.clone().lt_eq(lit(24 * HOUR_MS)))
                .then(lit("under_24h"))
                .when(d.clone().lt_eq(lit(72 * HOUR_MS)))
                .then(lit("24_72h"))
                .when(d.lt_eq(lit(7 * DAY_MS)))
                .then(lit("3_7_days"))
                .otherwise(lit("over_7_days"))
        }
        Dimension::PlacementArea => col("placement_area").fill_null(lit("unknown")),
        Dimension::Uasc => when(col("uasc").is_null()).then(lit("unknown")).when(col("uasc")).then(lit("uasc")).otherwise(lit("not_uasc")),
        Dimension::EpisodesPerChild => lit("all"),
    }
}

/// One row per episode, in the frame's order: child, care status, start,
/// whether it is counted, the additive flags and category labels.
fn episode_rows(frame: &DataFrame, rules: &CountingRules, dimensions: &[Dimension]) -> LazyFrame {
    let counted = if rules.include_absent { lit(true) } else { col("absent").not() };
    let within = rules.rhi_timescale_hours as i64 * HOUR_MS;
    let offered = col("rhi_offered").eq(lit(true)).fill_null(lit(false));
    let mut columns = vec![
        col("child"),
        col("looked_after"),
        col("start").cast(DataType::Int64).alias("start_ms"),
        counted.clone().alias("counted"),
        as_count(counted.clone()).alias("ep"),
        as_count(col("absent")).alias("abs"),
        as_count(counted.clone().and(col("open"))).alias("open"),
        as_count(counted.clone().and(duration_ms("end", "start").gt(lit(24 * HOUR_MS)))).alias("over24"),
        as_count(counted.clone().and(offered.clone())).alias("offered"),
        // An outcome counts only for an episode recorded as offered, so that
        // accepted / offered can never exceed 100%.
        as_count(counted.clone().and(offered.clone()).and(col("rhi_outcome").eq(lit("accepted")))).alias("accepted"),
        as_count(counted.clone().and(offered.clone()).and(col("rhi_outcome").eq(lit("declined")))).alias("declined"),
        as_count(counted.clone().and(col("rhi_completed").is_not_null())).alias("completed"),
        as_count(
            counted
                .and(col("rhi_completed").is_not_null())
                .and(col("end").is_not_null())
                .and(duration_ms("rhi_completed", "end").gt_eq(lit(0)))
                .and(duration_ms("rhi_completed", "end").lt_eq(lit(within))),
        )
        .alias("within"),
    ];
    for dimension in dimensions {
        columns.push(category_expr(*dimension, rules).alias(dimension.id()));
    }
    frame.clone().lazy().select(columns)
}

pub struct Computed {
    pub totals: BTreeMap<(Cohort, Window), Totals>,
    /// (cohort, window, dimension, category) → cell; only categories with episodes.
    pub cells: BTreeMap<CellKey, CategoryCount>,
}

/// A breakdown cell's place: cohort, window, dimension, category.
pub type CellKey = (Cohort, Window, Dimension, String);

/// The cells of one breakdown, for every cohort the dimension has and every
/// window; only categories with episodes in the window.
fn breakdown_cells(
    rows: &Rows,
    episodes: &DataFrame,
    dimension: Dimension,
    rules: &CountingRules,
    windows: &[Window],
    span: usize,
) -> Result<Vec<(CellKey, CategoryCount)>> {
    let categories = categories_of(rows, episodes, dimension, rules)?;
    let mut cells = Vec::new();
    if categories.labels.is_empty() {
        return Ok(cells);
    }
    let cohorts = dimension.cohorts();
    let tallies = rows.tally(cohorts, categories.labels.len(), span, |row| categories.of(row).iter().copied());
    for (cohort, by_label) in cohorts.iter().zip(tallies) {
        for (label, appearances) in categories.labels.iter().zip(by_label) {
            if appearances.is_empty() {
                continue;
            }
            for window in windows {
                let cell = appearances.over(*window);
                if cell.episodes > 0 {
                    cells.push(((*cohort, *window, dimension, label.clone()), cell));
                }
            }
        }
    }
    Ok(cells)
}

/// Bits of `Rows::flags`: one per `SUMMED` column, then the two repeat triggers.
const REPEAT: u16 = 1 << SUMMED.len();
const REPEAT_30: u16 = REPEAT << 1;

/// The query's columns as plain vectors, one entry per episode: the counted
/// episodes first, by child and start, then the others. Every counting pass
/// then reads the vectors in order (on millions of rows, reading them in
/// child order through an index cost more than the counting).
struct Rows {
    child: Vec<u32>,
    looked_after: Vec<Option<bool>>,
    start_ms: Vec<i64>,
    month: Vec<i32>,
    /// Bit i: `SUMMED[i]` is 1; then `REPEAT` and `REPEAT_30`.
    flags: Vec<u16>,
    /// How many episodes are counted: they are rows `0..counted`.
    counted: usize,
    /// Each row of the frame's place here.
    place: Vec<u32>,
    /// First and last month of any episode.
    months: (i32, i32),
}

impl Rows {
    fn read(frame: &DataFrame) -> Result<Rows> {
        let missing = |what: &str| anyhow::anyhow!("an episode has no {what}");
        let child = frame.column("child")?.u32()?.iter().map(|c| c.ok_or_else(|| missing("child"))).collect::<Result<Vec<_>>>()?;
        let looked_after: Vec<Option<bool>> = frame.column("looked_after")?.bool()?.iter().collect();
        let start_ms = frame.column("start_ms")?.i64()?.iter().map(|s| s.ok_or_else(|| missing("start"))).collect::<Result<Vec<_>>>()?;
        let month: Vec<i32> = start_ms.iter().map(|&t| YearMonth::of_millis(t).0).collect();
        let mut flags = vec![0u16; frame.height()];
        for (bit, name) in SUMMED.iter().enumerate() {
            for (row, value) in frame.column(name)?.u32()?.iter().enumerate() {
                if value.unwrap_or(0) > 0 {
                    flags[row] |= 1 << bit;
                }
            }
        }
        let is_counted: Vec<bool> = frame.column("counted")?.bool()?.iter().map(|c| c.unwrap_or(false)).collect();
        let mut order = repeats::child_and_start_order(&child, &start_ms, |row| is_counted[row]);
        let counted = order.len();
        order.extend((0..is_counted.len()).filter(|&row| !is_counted[row]));
        let mut place = vec![0u32; order.len()];
        for (at, &row) in order.iter().enumerate() {
            place[row] = at as u32;
        }
        fn gather<T: Copy>(values: &[T], order: &[usize]) -> Vec<T> {
            order.iter().map(|&row| values[row]).collect()
        }
        let months = (month.iter().copied().min().unwrap_or(0), month.iter().copied().max().unwrap_or(-1));
        Ok(Rows {
            child: gather(&child, &order),
            looked_after: gather(&looked_after, &order),
            start_ms: gather(&start_ms, &order),
            month: gather(&month, &order),
            flags: gather(&flags, &order),
            counted,
            place,
            months,
        })
    }

    fn month_count(&self) -> usize {
        (self.months.1 - self.months.0 + 1).max(0) as usize
    }

    /// Marks each counted episode that completes a run of `trigger` (`repeats::completing`).
    fn mark_repeats(&mut self, trigger: RepeatTrigger, bit: u16) {
        for row in repeats::completing(&self.child[..self.counted], &self.start_ms[..self.counted], trigger) {
            self.flags[row] |= bit;
        }
    }

    fn in_cohort(&self, row: usize, cohort: Cohort) -> bool {
        match cohort {
            Cohort::All => true,
            Cohort::LookedAfter => self.looked_after[row] == Some(true),
            Cohort::NotLookedAfter => self.looked_after[row] == Some(false),
        }
    }

    /// Feeds the counted episodes of each cohort in `cohorts` to their tallies:
    /// `keys(row)` names the tallies (by index) an episode counts in.
    /// Windows asked about are at most `span` months long.
    fn tally<K: IntoIterator<Item = usize>>(
        &self,
        cohorts: &[Cohort],
        tallies: usize,
        span: usize,
        keys: impl Fn(usize) -> K,
    ) -> Vec<Vec<Appearances>> {
        let mut by_cohort: Vec<Vec<Tally>> =
            cohorts.iter().map(|_| (0..tallies).map(|_| Tally::new(self.months.0, self.month_count(), span)).collect()).collect();
        for row in 0..self.counted {
            for (c, cohort) in cohorts.iter().enumerate() {
                if self.in_cohort(row, *cohort) {
                    for key in keys(row) {
                        by_cohort[c][key].add(self.child[row], self.month[row]);
                    }
                }
            }
        }
        by_cohort.into_iter().map(|tallies| tallies.into_iter().map(Tally::finish).collect()).collect()
    }
}

/// Per cohort and window, how many children had each number of episodes
/// (index = episodes), from one pass over the counted episodes in child order.
fn episodes_per_child_histograms(rows: &Rows, windows: &[Window]) -> Vec<Vec<Vec<u64>>> {
    // month → the windows containing it.
    let lowest = windows.iter().map(|w| w.first.0).min().unwrap_or(0);
    let highest = windows.iter().map(|w| w.last.0).max().unwrap_or(-1);
    let mut containing: Vec<Vec<usize>> = vec![Vec::new(); (highest - lowest + 1).max(0) as usize];
    for (index, window) in windows.iter().enumerate() {
        for m in window.months() {
            containing[(m.0 - lowest) as usize].push(index);
        }
    }
    let mut histograms = vec![vec![Vec::<u64>::new(); windows.len()]; Cohort::ALL.len()];
    for (c, cohort) in Cohort::ALL.into_iter().enumerate() {
        let mut in_window = vec![0u64; windows.len()];
        let mut touched: Vec<usize> = Vec::new();
        let mut flush = |in_window: &mut [u64], touched: &mut Vec<usize>| {
            for &w in touched.iter() {
                let histogram = &mut histograms[c][w];
                let n = in_window[w] as usize;
                if histogram.len() <= n {
                    histogram.resize(n + 1, 0);
                }
                histogram[n] += 1;
                in_window[w] = 0;
            }
            touched.clear();
        };
        let mut previous_child = None;
        for row in (0..rows.counted).filter(|&row| rows.in_cohort(row, cohort)) {
            if previous_child.is_some_and(|p| p != rows.child[row]) {
                flush(&mut in_window, &mut touched);
            }
            previous_child = Some(rows.child[row]);
            if let Some(list) = usize::try_from(rows.month[row] - lowest).ok().and_then(|offset| containing.get(offset)) {
                for &w in list {
                    if in_window[w] == 0 {
                        touched.push(w);
                    }
                    in_window[w] += 1;
                }
            }
        }
        flush(&mut in_window, &mut touched);
    }
    histograms
}

/// Episodes of the `n` children with most episodes, and children per band of
/// `EPISODES_PER_CHILD_BANDS`, from a histogram of episodes per child.
fn top_and_bands(histogram: &[u64], n: u64) -> (u64, [u64; 7]) {
    let mut top = 0;
    let mut left = n;
    for (episodes, &children) in histogram.iter().enumerate().rev() {
        let taken = children.min(left);
        top += taken * episodes as u64;
        left -= taken;
    }
    let bands = std::array::from_fn(|b| {
        let (low, high, _) = EPISODES_PER_CHILD_BANDS[b];
        histogram.iter().enumerate().filter(|(e, _)| (low as usize..=high as usize).contains(e)).map(|(_, c)| *c).sum()
    });
    (top, bands)
}

/// The categories of the counted episodes in one dimension.
struct Categories {
    /// The dimension's fixed categories, or the labels found, sorted.
    labels: Vec<String>,
    /// Each distinct set of categories an episode has (indexes into `labels`;
    /// a reason list gives one per code).
    sets: Vec<Vec<usize>>,
    /// Each episode's set (index into `sets`), by its row in `Rows`;
    /// `NO_SET` when it is not counted or has no label.
    of_row: Vec<u32>,
}

const NO_SET: u32 = u32::MAX;

impl Categories {
    fn of(&self, row: usize) -> &[usize] {
        match self.of_row[row] {
            NO_SET => &[],
            set => &self.sets[set as usize],
        }
    }
}

/// Each counted episode's categories in `dimension`. Labels outside a fixed
/// list, and episodes with no label, are in no category. The column is read
/// in row order, and each distinct label is split and looked up once.
fn categories_of(rows: &Rows, frame: &DataFrame, dimension: Dimension, rules: &CountingRules) -> Result<Categories> {
    let column = frame.column(dimension.id())?.str()?;
    let split = |text: &str| -> Vec<String> {
        if dimension.multi_valued() {
            text.split(';').map(str::to_string).collect()
        } else {
            vec![text.to_string()]
        }
    };
    // Each distinct label of a counted episode, numbered in order of first sight.
    let mut distinct: FxHashMap<&str, u32> = FxHashMap::default();
    let mut texts: Vec<&str> = Vec::new();
    let mut of_row = vec![NO_SET; frame.height()];
    for (row, text) in column.iter().enumerate() {
        let at = rows.place[row] as usize;
        if let (Some(text), true) = (text, at < rows.counted) {
            of_row[at] = *distinct.entry(text).or_insert_with(|| {
                texts.push(text);
                texts.len() as u32 - 1
            });
        }
    }
    let labels = match dimension.categories(rules) {
        Some(fixed) => fixed,
        None => {
            let mut found: Vec<String> = texts.iter().flat_map(|text| split(text)).collect();
            found.sort();
            found.dedup();
            found
        }
    };
    let index: FxHashMap<&str, usize> = labels.iter().enumerate().map(|(i, l)| (l.as_str(), i)).collect();
    let sets = texts.iter().map(|text| split(text).iter().filter_map(|part| index.get(part.as_str()).copied()).collect()).collect();
    Ok(Categories { labels, sets, of_row })
}

/// Every cohort's totals over every window: additive counts summed per
/// month, children once per window, episodes per child from one ordered pass.
fn totals_of(rows: &Rows, rules: &CountingRules, windows: &[Window], span: usize) -> BTreeMap<(Cohort, Window), Totals> {
    // Additive counts per cohort and month.
    let mut by_month = vec![vec![[0u64; SUMMED.len()]; rows.month_count()]; Cohort::ALL.len()];
    for row in 0..rows.child.len() {
        let at = (rows.month[row] - rows.months.0) as usize;
        for (c, cohort) in Cohort::ALL.into_iter().enumerate() {
            if rows.in_cohort(row, cohort) {
                for (bit, sum) in by_month[c][at].iter_mut().enumerate() {
                    *sum += u64::from(rows.flags[row] >> bit & 1);
                }
            }
        }
    }

    // Children with at least one episode carrying each flag.
    let bits = DISTINCT_FLAGS.map(|(_, bit)| bit);
    let flags = &rows.flags;
    let distinct = rows.tally(&Cohort::ALL, bits.len(), span, |row| (0..bits.len()).filter(move |&k| flags[row] & bits[k] != 0));

    let histograms = episodes_per_child_histograms(rows, windows);
    let mut totals = BTreeMap::new();
    for (c, cohort) in Cohort::ALL.into_iter().enumerate() {
        let children_with = |flag: usize, window: Window| distinct[c][flag].over(window).children;
        for (w, window) in windows.iter().enumerate() {
            let mut sum = [0u64; SUMMED.len()];
            for month in window.months() {
                if let Some(values) = usize::try_from(month.0 - rows.months.0).ok().and_then(|at| by_month[c].get(at)) {
                    sum.iter_mut().zip(values).for_each(|(s, v)| *s += v);
                }
            }
            let [episodes, absences, open, over24, offered, accepted, declined, completed, within] = sum;
            let (top, bands) = top_and_bands(&histograms[c][w], rules.top_n as u64);
            totals.insert(
                (cohort, *window),
                Totals {
                    episodes,
                    children: children_with(const { distinct_index("ep") }, *window),
                    absences,
                    episodes_open: open,
                    episodes_over_24h: over24,
                    episodes_rhi_offered: offered,
                    episodes_rhi_accepted: accepted,
                    episodes_rhi_declined: declined,
                    episodes_rhi_completed: completed,
                    episodes_rhi_within_72h: within,
                    children_rhi_offered: children_with(const { distinct_index("offered") }, *window),
                    children_rhi_completed: children_with(const { distinct_index("completed") }, *window),
                    children_repeat: children_with(const { distinct_index("repeat") }, *window),
                    children_repeat_30d: children_with(const { distinct_index("repeat30") }, *window),
                    episodes_top_children: top,
                    children_by_episodes: bands,
                },
            );
        }
    }

    totals
}

/// Totals and breakdown cells for every cohort and window.
///
/// No row is repeated per window: additive counts are summed per month and
/// windows add up their months; children are counted once per window through
/// their first appearance in it (`Appearances::over`); episodes per child
/// come from one pass over the counted episodes.
pub fn compute(frame: &DataFrame, rules: &CountingRules, windows: &[Window], dimensions: &[Dimension]) -> Result<Computed> {
    let categorical: Vec<Dimension> = dimensions.iter().copied().filter(|d| *d != Dimension::EpisodesPerChild).collect();
    let episodes = episode_rows(frame, rules, &categorical).collect();
    let episodes = Context::context(episodes, "preparing the episodes for counting")?;
    let mut rows = Rows::read(&episodes)?;
    rows.mark_repeats(rules.repeat, REPEAT);
    rows.mark_repeats(repeats::THREE_IN_30_DAYS, REPEAT_30);

    let span = windows.iter().map(|w| w.months().count()).max().unwrap_or(1);
    // The totals, then breakdowns one dimension at a time over the counted
    // episodes; half the dimensions on another core (the cells land in a
    // sorted map, so the result is the same whichever finishes first).
    let (here, there): (Vec<_>, Vec<_>) = categorical.iter().enumerate().partition(|(i, _)| i % 2 == 0);
    let breakdowns = |dimensions: Vec<(usize, &Dimension)>| -> Result<Vec<(CellKey, CategoryCount)>> {
        let mut cells = Vec::new();
        for (_, dimension) in dimensions {
            cells.extend(breakdown_cells(&rows, &episodes, *dimension, rules, windows, span)?);
        }
        Ok(cells)
    };
    let (totals, near, far) = std::thread::scope(|scope| {
        let far = scope.spawn(|| breakdowns(there));
        let totals = totals_of(&rows, rules, windows, span);
        (totals, breakdowns(here), far.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    let cells: BTreeMap<CellKey, CategoryCount> = near?.into_iter().chain(far?).collect();
    Ok(Computed { totals, cells })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_share_and_bands_read_the_histogram_from_the_busiest_child_down() {
        // Children with 1, 1, 2, 7 and 12 episodes.
        let mut histogram = vec![0u64; 13];
        for episodes in [1, 1, 2, 7, 12] {
            histogram[episodes] += 1;
        }
        let (top, bands) = top_and_bands(&histogram, 3);
        assert_eq!(top, 12 + 7 + 2);
        assert_eq!(bands, [2, 1, 0, 0, 0, 1, 1]);
        assert_eq!(top_and_bands(&histogram, 20).0, 23);
    }
}
