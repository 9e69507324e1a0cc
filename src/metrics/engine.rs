//! The polars queries behind `metrics::compute`.
//!
//! Episodes get 0/1 flags and category labels and are stacked once per
//! cohort; no row is ever repeated per window. Additive counts are summed per
//! month (a window adds up its months). Children are counted once per window
//! through their first appearance in it: for each (cohort, key, child) the
//! rows in start order carry the month of the previous row, and grouping by
//! (month, previous month) leaves a small table that answers every window.
//! Breakdown categories are stacked as one filtered block each, which keeps
//! that order without a sort. Episodes per child (top-N share, children by
//! number of episodes) come from one pass over the counted episodes. The
//! repeat trigger compares each counted episode's start with the start
//! `n - 1` episodes earlier for the same child.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use polars::prelude::*;

use super::catalogue::{Cohort, Totals};
use super::dimension::{age_band_labels, Dimension, EPISODES_PER_CHILD_BANDS};
use super::windows::Window;
use crate::rules::CountingRules;

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// Flag columns that add up: a window's value is the sum of its months'.
const SUMMED: [&str; 9] = ["ep", "abs", "open", "over24", "offered", "accepted", "declined", "completed", "within"];

/// Flags counted as distinct children: those with at least one such episode.
const DISTINCT_FLAGS: [&str; 5] = ["ep", "offered", "completed", "repeat", "repeat30"];

pub fn month_expr(column: &str) -> Expr {
    col(column).dt().year().cast(DataType::Int32) * lit(12) + col(column).dt().month().cast(DataType::Int32) - lit(1)
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

/// One row per episode: child, care status, month, flags and category labels.
/// Counted episodes come first, sorted by child and start: the repeat trigger
/// and `appearances` rely on that order (filters and stable sorts keep it).
fn episode_rows(frame: &DataFrame, rules: &CountingRules, dimensions: &[Dimension]) -> LazyFrame {
    let counted = if rules.include_absent { lit(true) } else { col("absent").not() };
    let within = rules.rhi_timescale_hours as i64 * HOUR_MS;
    let offered = col("rhi_offered").eq(lit(true)).fill_null(lit(false));
    let mut columns = vec![
        col("child"),
        col("looked_after"),
        col("start").cast(DataType::Int64).alias("start_ms"),
        month_expr("start").alias("month"),
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
    let rows = frame.clone().lazy().select(columns);

    // Repeat trigger: among a child's counted episodes in start order, an
    // episode completes a run when the episode `n - 1` places earlier (on
    // rows sorted by child and start, the row `n - 1` above, when it is the
    // same child's) started no more than `days` before it.
    let run = |episodes: u32, days: u32| -> Expr {
        let back = lit(episodes as i64 - 1);
        let same_child = col("child").eq(col("child").shift(back.clone())).fill_null(lit(false));
        let close = (col("start_ms") - col("start_ms").shift(back)).lt_eq(lit(days as i64 * DAY_MS));
        as_count(same_child.and(close))
    };
    let counted_rows = rows
        .clone()
        .filter(col("counted"))
        .sort_by_exprs([col("child"), col("start_ms")], SortMultipleOptions::default())
        .with_columns([run(rules.repeat.episodes, rules.repeat.days).alias("repeat"), run(3, 30).alias("repeat30")]);
    let other_rows = rows
        .filter(col("counted").not())
        .with_columns([lit(0u32).cast(DataType::UInt32).alias("repeat"), lit(0u32).cast(DataType::UInt32).alias("repeat30")]);
    concat([counted_rows, other_rows], UnionArgs::default()).expect("frames of one schema")
}

/// The position of `cohort` in `Cohort::ALL`: the `cohort` column's value.
fn cohort_index(cohort: Cohort) -> u32 {
    Cohort::ALL.iter().position(|c| *c == cohort).unwrap_or(0) as u32
}

fn sums(names: &[&str]) -> Vec<Expr> {
    names.iter().map(|n| col(*n).sum().alias(*n)).collect()
}

/// The rows once per cohort they belong to, with a `cohort` column; each
/// cohort's rows keep their order.
fn by_cohort(rows: LazyFrame) -> LazyFrame {
    let cohort = |cohort: Cohort, filter: Option<bool>| {
        let lf = match filter {
            None => rows.clone(),
            Some(value) => rows.clone().filter(col("looked_after").eq(lit(value)).fill_null(lit(false))),
        };
        lf.with_column(lit(cohort_index(cohort)).cast(DataType::UInt32).alias("cohort"))
    };
    concat(
        [cohort(Cohort::All, None), cohort(Cohort::LookedAfter, Some(true)), cohort(Cohort::NotLookedAfter, Some(false))],
        UnionArgs::default(),
    )
    .expect("frames of one schema")
}

/// One breakdown cell: episodes and distinct children.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CategoryCount {
    pub episodes: u64,
    pub children: u64,
}

pub struct Computed {
    pub totals: BTreeMap<(Cohort, Window), Totals>,
    /// (cohort, window, dimension, category) → cell; only categories with episodes.
    pub cells: BTreeMap<(Cohort, Window, Dimension, String), CategoryCount>,
}

/// A group of a child's rows for one key that start in `month`, and the month
/// of the same child's row before them for that key (`NO_PREVIOUS`: its
/// first). Rows whose previous row is in the same month add episodes but no
/// child.
#[derive(Debug, Clone, Copy)]
struct Appearance {
    month: i32,
    previous: i32,
    rows: u64,
    episodes: u64,
}

/// `previous` of a child's first row for a key: before every window.
const NO_PREVIOUS: i32 = i32::MIN;

/// Episodes and distinct children of one key over `window`: a child counts
/// once, through its first month in the window, which is the month whose
/// previous appearance lies before the window (or that has none).
fn cell_over(appearances: &[Appearance], window: Window) -> CategoryCount {
    let (first, last) = (window.first.0, window.last.0);
    let mut cell = CategoryCount::default();
    for a in appearances.iter().filter(|a| a.month >= first && a.month <= last) {
        cell.episodes += a.episodes;
        if a.previous < first {
            cell.children += a.rows;
        }
    }
    cell
}

/// For rows ordered by (cohort, key, child, start): one row per (cohort,
/// key, month, previous month of the same child and key) with the number of
/// rows and their episodes. The order makes the previous row of the same
/// child and key the row just above, so no grouping is needed to find it.
fn appearances(rows: LazyFrame) -> Result<DataFrame> {
    let same_as_above = |name: &str| col(name).eq(col(name).shift(lit(1))).fill_null(lit(false));
    let continues = same_as_above("cohort").and(same_as_above("key")).and(same_as_above("child"));
    let previous = when(continues).then(col("month").shift(lit(1))).otherwise(lit(NO_PREVIOUS));
    let frame = rows
        .with_column(previous.alias("previous"))
        .group_by([col("cohort"), col("key"), col("month"), col("previous")])
        .agg([len().alias("rows"), col("ep").sum().alias("ep")])
        .collect();
    Context::context(frame, "counting children once per period")
}

/// (cohort index, key) → appearances, from a frame made by `appearances`.
fn read_appearances(frame: &DataFrame) -> Result<BTreeMap<(usize, String), Vec<Appearance>>> {
    let cohort = frame.column("cohort")?.u32()?.clone();
    let key = frame.column("key")?.cast(&DataType::String)?;
    let key = key.str()?;
    let month = frame.column("month")?.i32()?.clone();
    let previous = frame.column("previous")?.i32()?.clone();
    let (rows, episodes) = (numbers(frame, "rows")?, numbers(frame, "ep")?);
    let mut out: BTreeMap<(usize, String), Vec<Appearance>> = BTreeMap::new();
    for i in 0..frame.height() {
        let (Some(c), Some(k), Some(m), Some(p)) = (cohort.get(i), key.get(i), month.get(i), previous.get(i)) else { continue };
        // Later rows of a child in a month it already appeared in add no child.
        let rows = if p == m { 0 } else { rows[i] };
        out.entry((c as usize, k.to_string())).or_default().push(Appearance { month: m, previous: p, rows, episodes: episodes[i] });
    }
    Ok(out)
}

/// The labels found in a `category` column, sorted.
fn distinct_labels(part: &DataFrame) -> Result<Vec<String>> {
    let unique = part.column("category")?.as_materialized_series().unique()?;
    let mut labels: Vec<String> = unique.str()?.iter().flatten().map(str::to_string).collect();
    labels.sort();
    Ok(labels)
}

/// Per cohort and window, how many children had each number of episodes
/// (index = episodes), from one pass over the counted episodes, which come
/// in (cohort, child, start) order.
fn episodes_per_child_histograms(stacked: &LazyFrame, windows: &[Window]) -> Result<Vec<Vec<Vec<u64>>>> {
    let counted = stacked.clone().filter(col("ep").gt(lit(0))).select([col("cohort"), col("child"), col("month"), col("ep")]).collect();
    let counted = Context::context(counted, "counting episodes per child")?;
    let cohort = counted.column("cohort")?.u32()?.clone();
    let child = counted.column("child")?.u32()?.clone();
    let month = counted.column("month")?.i32()?.clone();
    let episodes = numbers(&counted, "ep")?;

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
    let mut in_window = vec![0u64; windows.len()];
    let mut touched: Vec<usize> = Vec::new();
    let mut flush = |cohort: usize, in_window: &mut [u64], touched: &mut Vec<usize>| {
        for &w in touched.iter() {
            let histogram = &mut histograms[cohort][w];
            let n = in_window[w] as usize;
            if histogram.len() <= n {
                histogram.resize(n + 1, 0);
            }
            histogram[n] += 1;
            in_window[w] = 0;
        }
        touched.clear();
    };
    for (i, &count) in episodes.iter().enumerate() {
        let (Some(c), Some(ch), Some(m)) = (cohort.get(i), child.get(i), month.get(i)) else { continue };
        if i > 0 && (cohort.get(i - 1), child.get(i - 1)) != (Some(c), Some(ch)) {
            flush(cohort.get(i - 1).unwrap_or(0) as usize, &mut in_window, &mut touched);
        }
        if let Some(list) = usize::try_from(m - lowest).ok().and_then(|offset| containing.get(offset)) {
            for &w in list {
                if in_window[w] == 0 {
                    touched.push(w);
                }
                in_window[w] += count;
            }
        }
    }
    if let Some(c) = cohort.get(counted.height().saturating_sub(1)) {
        flush(c as usize, &mut in_window, &mut touched);
    }
    Ok(histograms)
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

/// Totals and breakdown cells for every cohort and window.
///
/// No row is repeated per window: additive counts are summed per month and
/// windows add up their months; children are counted once per window through
/// their first appearance in it (`cell_over`); episodes per child come from
/// one pass over the counted episodes.
pub fn compute(frame: &DataFrame, rules: &CountingRules, windows: &[Window], dimensions: &[Dimension]) -> Result<Computed> {
    let categorical: Vec<Dimension> = dimensions.iter().copied().filter(|d| *d != Dimension::EpisodesPerChild).collect();
    let rows = episode_rows(frame, rules, &categorical).collect();
    let rows = Context::context(rows, "preparing the episodes for counting")?;
    let stacked = by_cohort(rows.lazy());

    // Additive counts per cohort and month.
    let monthly = stacked.clone().group_by([col("cohort"), col("month")]).agg(sums(&SUMMED)).collect();
    let monthly = Context::context(monthly, "adding up episodes per month")?;
    let mut by_month: BTreeMap<(usize, i32), [u64; SUMMED.len()]> = BTreeMap::new();
    {
        let cohort = monthly.column("cohort")?.u32()?.clone();
        let month = monthly.column("month")?.i32()?.clone();
        let columns = SUMMED.iter().map(|name| numbers(&monthly, name)).collect::<Result<Vec<_>>>()?;
        for (i, (c, m)) in cohort.iter().zip(month.iter()).enumerate() {
            let (Some(c), Some(m)) = (c, m) else { continue };
            by_month.insert((c as usize, m), std::array::from_fn(|j| columns[j][i]));
        }
    }

    // Children with at least one episode carrying each flag.
    let mut distinct = BTreeMap::new();
    for flag in DISTINCT_FLAGS {
        // Filtering keeps the (cohort, child, start) order of `stacked`.
        let flagged = stacked.clone().filter(col(flag).gt(lit(0))).with_column(lit(flag).alias("key"));
        distinct.extend(read_appearances(&appearances(flagged)?)?);
    }

    let histograms = episodes_per_child_histograms(&stacked, windows)?;
    let mut totals = BTreeMap::new();
    for (c, cohort) in Cohort::ALL.into_iter().enumerate() {
        let children_with =
            |flag: &str, window: Window| distinct.get(&(c, flag.to_string())).map(|a| cell_over(a, window).children).unwrap_or(0);
        for (w, window) in windows.iter().enumerate() {
            let mut sum = [0u64; SUMMED.len()];
            for month in window.months() {
                if let Some(values) = by_month.get(&(c, month.0)) {
                    sum.iter_mut().zip(values).for_each(|(s, v)| *s += v);
                }
            }
            let [episodes, absences, open, over24, offered, accepted, declined, completed, within] = sum;
            let (top, bands) = top_and_bands(&histograms[c][w], rules.top_n as u64);
            totals.insert(
                (cohort, *window),
                Totals {
                    episodes,
                    children: children_with("ep", *window),
                    absences,
                    episodes_open: open,
                    episodes_over_24h: over24,
                    episodes_rhi_offered: offered,
                    episodes_rhi_accepted: accepted,
                    episodes_rhi_declined: declined,
                    episodes_rhi_completed: completed,
                    episodes_rhi_within_72h: within,
                    children_rhi_offered: children_with("offered", *window),
                    children_rhi_completed: children_with("completed", *window),
                    children_repeat: children_with("repeat", *window),
                    children_repeat_30d: children_with("repeat30", *window),
                    episodes_top_children: top,
                    children_by_episodes: bands,
                },
            );
        }
    }

    // Breakdowns, one dimension at a time over the counted episodes.
    let counted = stacked.filter(col("ep").gt(lit(0)));
    let mut cells = BTreeMap::new();
    for dimension in &categorical {
        let mut part = counted.clone();
        if dimension.cohorts() == [Cohort::LookedAfter] {
            part = part.filter(col("cohort").eq(lit(cohort_index(Cohort::LookedAfter)).cast(DataType::UInt32)));
        }
        let mut part = part.select([col("cohort"), col("child"), col("month"), col("ep"), col(dimension.id()).alias("category")]);
        if dimension.multi_valued() {
            part = part
                .with_column(col("category").str().split(lit(";")))
                .explode(by_name(["category"], true, false), ExplodeOptions { empty_as_null: false, keep_nulls: false });
        }
        let part = Context::context(part.collect(), "labelling episodes by category")?;
        let categories = match dimension.categories(rules) {
            Some(fixed) => fixed,
            None => distinct_labels(&part)?,
        };
        if categories.is_empty() {
            continue;
        }
        // One filter per category keeps each block in (cohort, child, start)
        // order, so the stacked blocks are in the order `appearances` needs.
        let blocks: Vec<LazyFrame> = categories
            .iter()
            .map(|c| part.clone().lazy().filter(col("category").eq(lit(c.as_str()))).with_column(lit(c.as_str()).alias("key")))
            .collect();
        let keyed = concat(blocks, UnionArgs::default())?;
        for ((c, category), list) in read_appearances(&appearances(keyed)?)? {
            for window in windows {
                let cell = cell_over(&list, *window);
                if cell.episodes > 0 {
                    cells.insert((Cohort::ALL[c], *window, *dimension, category.clone()), cell);
                }
            }
        }
    }
    Ok(Computed { totals, cells })
}

fn numbers(frame: &DataFrame, name: &str) -> Result<Vec<u64>> {
    let column = frame.column(name)?.cast(&DataType::UInt64)?;
    Ok(column.u64()?.iter().map(|v| v.unwrap_or(0)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::YearMonth;

    fn window(first: i32, last: i32) -> Window {
        Window::new(YearMonth(first), YearMonth(last))
    }

    #[test]
    fn a_child_counts_once_through_its_first_month_in_the_window() {
        // One child in months 100 (two episodes), 102 and 113; another in 102 only.
        let appearances = [
            Appearance { month: 100, previous: NO_PREVIOUS, rows: 1, episodes: 1 },
            Appearance { month: 100, previous: 100, rows: 0, episodes: 1 },
            Appearance { month: 102, previous: 100, rows: 1, episodes: 1 },
            Appearance { month: 113, previous: 102, rows: 1, episodes: 1 },
            Appearance { month: 102, previous: NO_PREVIOUS, rows: 1, episodes: 1 },
        ];
        assert_eq!(cell_over(&appearances, window(100, 111)), CategoryCount { episodes: 4, children: 2 });
        assert_eq!(cell_over(&appearances, window(101, 112)), CategoryCount { episodes: 2, children: 2 });
        assert_eq!(cell_over(&appearances, window(102, 113)), CategoryCount { episodes: 3, children: 2 });
        assert_eq!(cell_over(&appearances, window(103, 114)), CategoryCount { episodes: 1, children: 1 });
        assert_eq!(cell_over(&appearances, window(103, 112)), CategoryCount::default());
    }

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
