//! The polars queries behind `metrics::compute`.
//!
//! Episodes get 0/1 flags and category labels, are stacked once per cohort,
//! and reduced to one row per (cohort, [dimension, category,] child, month).
//! A small table maps each month to every window containing it; joining it and
//! grouping per child, then per window, gives sums and children counted once
//! over the whole window. The repeat trigger compares each counted episode's
//! start with the start `n - 1` episodes earlier for the same child.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use polars::prelude::*;

use super::{Cohort, Dimension, Totals, Window, EPISODES_PER_CHILD_BANDS};
use crate::config::Rules;

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// Flag columns summed per child and window.
const FLAGS: [&str; 11] =
    ["ep", "abs", "open", "over24", "offered", "accepted", "declined", "completed", "within", "repeat", "repeat30"];

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
fn category_expr(dimension: Dimension, rules: &Rules) -> Expr {
    match dimension {
        Dimension::AgeBand => {
            let labels = super::age_band_labels(&rules.age_bands);
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
        Dimension::EpisodesPerChild => lit("all"),
    }
}

/// One row per episode: child, care status, month, flags and category labels.
fn episode_rows(frame: &DataFrame, rules: &Rules, dimensions: &[Dimension]) -> LazyFrame {
    let counted = if rules.include_absent { lit(true) } else { col("absent").not() };
    let within = rules.rhi_timescale_hours as i64 * HOUR_MS;
    let offered = col("rhi_offered").eq(lit(true)).fill_null(lit(false));
    let mut columns = vec![
        col("child_id"),
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
    // episode completes a run when the episode `n - 1` places earlier started
    // no more than `days` before it.
    let run = |episodes: u32, days: u32| -> Expr {
        let earlier = col("start_ms").shift(lit(episodes as i64 - 1)).over([col("child_id")]).expect("a valid window expression");
        as_count((col("start_ms") - earlier).lt_eq(lit(days as i64 * DAY_MS)))
    };
    let counted_rows = rows
        .clone()
        .filter(col("counted"))
        .sort_by_exprs([col("child_id"), col("start_ms")], SortMultipleOptions::default())
        .with_columns([run(rules.repeat.episodes, rules.repeat.days).alias("repeat"), run(3, 30).alias("repeat30")]);
    let other_rows = rows
        .filter(col("counted").not())
        .with_columns([lit(0u32).cast(DataType::UInt32).alias("repeat"), lit(0u32).cast(DataType::UInt32).alias("repeat30")]);
    concat([counted_rows, other_rows], UnionArgs::default()).expect("frames of one schema")
}

/// The rows once per cohort they belong to, with a `cohort` column.
fn by_cohort(rows: LazyFrame) -> LazyFrame {
    let cohort = |cohort: Cohort, filter: Option<bool>| {
        let lf = match filter {
            None => rows.clone(),
            Some(value) => rows.clone().filter(col("looked_after").eq(lit(value)).fill_null(lit(false))),
        };
        lf.with_column(lit(cohort.id()).alias("cohort"))
    };
    concat(
        [cohort(Cohort::All, None), cohort(Cohort::LookedAfter, Some(true)), cohort(Cohort::NotLookedAfter, Some(false))],
        UnionArgs::default(),
    )
    .expect("frames of one schema")
}

/// month → window index, one row per (month, window containing it).
fn membership(windows: &[Window]) -> Result<LazyFrame> {
    let mut months = Vec::new();
    let mut ids = Vec::new();
    for (id, window) in windows.iter().enumerate() {
        for month in window.months() {
            months.push(month.0);
            ids.push(id as u32);
        }
    }
    let frame = DataFrame::new(months.len(), vec![Column::new("month".into(), months), Column::new("window".into(), ids)])?;
    Ok(frame.lazy())
}

fn sums(names: &[&str]) -> Vec<Expr> {
    names.iter().map(|n| col(*n).sum().alias(*n)).collect()
}

fn any_count(condition: Expr) -> Expr {
    condition.cast(DataType::UInt32).sum()
}

/// One breakdown cell: episodes and distinct children.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cell {
    pub episodes: u64,
    pub children: u64,
}

pub struct Computed {
    pub totals: BTreeMap<(Cohort, Window), Totals>,
    /// (cohort, window, dimension, category) → cell; only categories with episodes.
    pub cells: BTreeMap<(Cohort, Window, Dimension, String), Cell>,
}

/// Totals and breakdown cells for every cohort and window.
pub fn compute(frame: &DataFrame, rules: &Rules, windows: &[Window], dimensions: &[Dimension]) -> Result<Computed> {
    let categorical: Vec<Dimension> = dimensions.iter().copied().filter(|d| *d != Dimension::EpisodesPerChild).collect();
    let stacked = by_cohort(episode_rows(frame, rules, &categorical));
    let membership = membership(windows)?;

    // Headline totals.
    let per_child = stacked
        .clone()
        .group_by([col("cohort"), col("child_id"), col("month")])
        .agg(sums(&FLAGS))
        .join(membership.clone(), [col("month")], [col("month")], JoinArgs::new(JoinType::Inner))
        .group_by([col("cohort"), col("window"), col("child_id")])
        .agg(sums(&FLAGS));
    let mut aggregates = sums(&FLAGS);
    let missing = col("ep").gt(lit(0));
    aggregates.push(any_count(missing.clone()).alias("children"));
    aggregates.push(any_count(missing.clone().and(col("offered").gt(lit(0)))).alias("children_offered"));
    aggregates.push(any_count(missing.clone().and(col("completed").gt(lit(0)))).alias("children_completed"));
    aggregates.push(any_count(col("repeat").gt(lit(0))).alias("children_repeat"));
    aggregates.push(any_count(col("repeat30").gt(lit(0))).alias("children_repeat30"));
    aggregates.push(
        col("ep")
            .sort(SortOptions::default().with_order_descending(true))
            .head(Some(rules.top_n as usize))
            .sum()
            .alias("top"),
    );
    for (i, (low, high, _)) in EPISODES_PER_CHILD_BANDS.iter().enumerate() {
        aggregates.push(any_count(col("ep").gt_eq(lit(*low)).and(col("ep").lt_eq(lit(*high)))).alias(format!("band{i}")));
    }
    let totals_frame = per_child.group_by([col("cohort"), col("window")]).agg(aggregates).collect();
    let totals_frame = Context::context(totals_frame, "aggregating episodes into periods")?;

    // Breakdowns: every dimension stacked into (dimension, category) pairs.
    let counted = stacked.filter(col("ep").gt(lit(0)));
    let mut parts = Vec::new();
    for dimension in &categorical {
        let mut part = counted.clone();
        if *dimension == Dimension::PlacementArea {
            part = part.filter(col("cohort").eq(lit(Cohort::LookedAfter.id())));
        }
        let mut part = part.select([
            col("cohort"),
            col("child_id"),
            col("month"),
            col("ep"),
            lit(dimension.id()).alias("dimension"),
            col(dimension.id()).alias("category"),
        ]);
        if dimension.multi_valued() {
            part = part
                .with_column(col("category").str().split(lit(";")))
                .explode(by_name(["category"], true, false), ExplodeOptions { empty_as_null: false, keep_nulls: false });
        }
        parts.push(part);
    }
    let mut cells = BTreeMap::new();
    if !parts.is_empty() {
        let breakdown = concat(parts, UnionArgs::default())?
            .group_by([col("cohort"), col("dimension"), col("category"), col("child_id"), col("month")])
            .agg([col("ep").sum()])
            .join(membership, [col("month")], [col("month")], JoinArgs::new(JoinType::Inner))
            .group_by([col("cohort"), col("window"), col("dimension"), col("category"), col("child_id")])
            .agg([col("ep").sum()])
            .group_by([col("cohort"), col("window"), col("dimension"), col("category")])
            .agg([col("ep").sum().alias("episodes"), len().alias("children")])
            .collect();
        let breakdown = Context::context(breakdown, "aggregating the breakdowns")?;
        let cohort = breakdown.column("cohort")?.str()?.clone();
        let window = breakdown.column("window")?.u32()?.clone();
        let dimension = breakdown.column("dimension")?.str()?.clone();
        let category = breakdown.column("category")?.str()?.clone();
        let episodes = numbers(&breakdown, "episodes")?;
        let children = numbers(&breakdown, "children")?;
        for i in 0..breakdown.height() {
            let (Some(c), Some(w), Some(d), Some(cat)) = (cohort.get(i), window.get(i), dimension.get(i), category.get(i)) else {
                continue;
            };
            let (Some(c), Some(d)) = (Cohort::from_id(c), Dimension::from_id(d)) else { continue };
            cells.insert((c, windows[w as usize], d, cat.to_string()), Cell { episodes: episodes[i], children: children[i] });
        }
    }

    let cohort = totals_frame.column("cohort")?.str()?.clone();
    let window = totals_frame.column("window")?.u32()?.clone();
    let column = |name: &str| numbers(&totals_frame, name);
    let [ep, abs, open, over24, offered, accepted, declined, completed, within] =
        ["ep", "abs", "open", "over24", "offered", "accepted", "declined", "completed", "within"].map(column);
    let (ep, abs, open, over24, offered, accepted, declined, completed, within) =
        (ep?, abs?, open?, over24?, offered?, accepted?, declined?, completed?, within?);
    let [children, children_offered, children_completed, children_repeat, children_repeat30, top] =
        ["children", "children_offered", "children_completed", "children_repeat", "children_repeat30", "top"].map(column);
    let (children, children_offered, children_completed, children_repeat, children_repeat30, top) =
        (children?, children_offered?, children_completed?, children_repeat?, children_repeat30?, top?);
    let bands: Vec<Vec<u64>> = (0..EPISODES_PER_CHILD_BANDS.len()).map(|i| column(&format!("band{i}"))).collect::<Result<_>>()?;
    let mut totals = BTreeMap::new();
    for i in 0..totals_frame.height() {
        let (Some(c), Some(w)) = (cohort.get(i), window.get(i)) else { continue };
        let Some(c) = Cohort::from_id(c) else { continue };
        totals.insert(
            (c, windows[w as usize]),
            Totals {
                episodes: ep[i],
                children: children[i],
                absences: abs[i],
                episodes_open: open[i],
                episodes_over_24h: over24[i],
                episodes_rhi_offered: offered[i],
                episodes_rhi_accepted: accepted[i],
                episodes_rhi_declined: declined[i],
                episodes_rhi_completed: completed[i],
                episodes_rhi_within_72h: within[i],
                children_rhi_offered: children_offered[i],
                children_rhi_completed: children_completed[i],
                children_repeat: children_repeat[i],
                children_repeat_30d: children_repeat30[i],
                episodes_top_children: top[i],
                children_by_episodes: std::array::from_fn(|b| bands[b][i]),
            },
        );
    }
    Ok(Computed { totals, cells })
}

fn numbers(frame: &DataFrame, name: &str) -> Result<Vec<u64>> {
    let column = frame.column(name)?.cast(&DataType::UInt64)?;
    Ok(column.u64()?.iter().map(|v| v.unwrap_or(0)).collect())
}
