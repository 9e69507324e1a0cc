//! The arithmetic of an XmR (individuals) chart as NHS England's "Making
//! Data Count" and NHSRplotthedots define it: centre line and process limits
//! from a baseline with screened moving ranges, then one signal per value by
//! the four rules in their order. Pure numbers: which months and metrics
//! make a series is `spc.rs`'s business.

/// Moving ranges of this many times their mean or more are screened out.
const SCREEN: f64 = 3.267;
/// Process limits: mean +/- this many mean moving ranges (three sigma).
const LIMIT: f64 = 2.66;
/// Near limits: two thirds of the way to the process limits (two sigma).
const NEAR: f64 = 2.0 * 2.66 / 3.0;
/// Values in a row that make a shift or a trend.
pub const RUN: usize = 7;

/// The centre line and limits of one group, from its baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub mean: f64,
    pub lower: f64,
    pub upper: f64,
    pub near_lower: f64,
    pub near_upper: f64,
}

/// A special-cause rule, in the order the first that applies is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Signal {
    /// Strictly beyond a process limit.
    Outside,
    /// Part of 7 values each strictly above (or below) the one before.
    Trend,
    /// Beyond a near limit, with another within 3 values on the same side.
    TwoInThree,
    /// Part of 7 values on the same side of the mean.
    Shift,
}

impl Signal {
    /// The id `spc.csv` writes.
    pub fn id(self) -> &'static str {
        match self {
            Signal::Outside => "outside",
            Signal::Trend => "trend",
            Signal::TwoInThree => "two_in_three",
            Signal::Shift => "shift",
        }
    }
}

/// Which way a signal points: above the mean or rising, below or falling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Up,
    Down,
}

/// How the limits of a group are worked out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XmrOptions {
    /// Limits from the first this many values of each group; `None`: all of them.
    pub baseline: Option<usize>,
    /// Drop moving ranges of 3.267 x their mean or more, once (NHSRplotthedots'
    /// default; the MDC Excel tools do not screen).
    pub screen: bool,
}

impl Default for XmrOptions {
    fn default() -> Self {
        XmrOptions { baseline: None, screen: true }
    }
}

/// One value's place on the chart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct XmrPoint {
    /// How many values the value's group holds (its rebase group, or the whole series).
    pub group_len: usize,
    pub limits: Limits,
    /// -1, 0 or +1: below, on or above the mean.
    pub side: i8,
    pub outside: bool,
    /// Beyond a near limit but not outside.
    pub near: bool,
    pub signal: Option<(Signal, Direction)>,
}

/// The limits of `values` from the first `baseline` of them (all when `None`).
pub fn limits(values: &[f64], options: XmrOptions) -> Limits {
    let n = options.baseline.map_or(values.len(), |b| b.min(values.len()));
    let baseline = &values[..n];
    let mean = baseline.iter().sum::<f64>() / n as f64;
    let ranges: Vec<f64> = baseline.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
    let mut mean_range = average(&ranges);
    if options.screen {
        let kept: Vec<f64> = ranges.iter().copied().filter(|r| *r < SCREEN * mean_range).collect();
        mean_range = average(&kept);
    }
    Limits {
        mean,
        lower: mean - LIMIT * mean_range,
        upper: mean + LIMIT * mean_range,
        near_lower: mean - NEAR * mean_range,
        near_upper: mean + NEAR * mean_range,
    }
}

/// The mean, or 0 for no values: a group of one value, or a constant
/// baseline whose every moving range is screened out, has limits on its mean.
fn average(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

/// Every value's limits and signal; each group (starting at index 0 and at
/// each of `group_starts`) has its own baseline, limits and runs.
pub fn chart(values: &[f64], group_starts: &[usize], options: XmrOptions) -> Vec<XmrPoint> {
    let mut bounds: Vec<usize> = group_starts.iter().copied().filter(|s| *s > 0 && *s < values.len()).collect();
    bounds.sort_unstable();
    bounds.dedup();
    bounds.insert(0, 0);
    bounds.push(values.len());
    let mut points = Vec::with_capacity(values.len());
    for group in bounds.windows(2).filter(|g| g[0] < g[1]) {
        points.extend(chart_group(&values[group[0]..group[1]], options));
    }
    points
}

/// One group: its limits, then the four rules.
fn chart_group(values: &[f64], options: XmrOptions) -> Vec<XmrPoint> {
    let limits = limits(values, options);
    let side: Vec<i8> = values
        .iter()
        .map(|v| {
            if *v > limits.mean {
                1
            } else if *v < limits.mean {
                -1
            } else {
                0
            }
        })
        .collect();
    let outside: Vec<bool> = values.iter().map(|v| *v > limits.upper || *v < limits.lower).collect();
    let near: Vec<bool> = values.iter().zip(&outside).map(|(v, out)| !out && (*v > limits.near_upper || *v < limits.near_lower)).collect();
    let n = values.len();

    // Trend: 6 consecutive differences of one sign mark their 7 values.
    let mut in_trend = vec![false; n];
    for end in RUN - 1..n {
        let steps = &values[end + 1 - RUN..=end];
        let rising = steps.windows(2).all(|w| w[1] > w[0]);
        let falling = steps.windows(2).all(|w| w[1] < w[0]);
        if rising || falling {
            in_trend[end + 1 - RUN..=end].iter_mut().for_each(|t| *t = true);
        }
    }
    // Two in three: a window of 3 on one side holding 2 or more near values marks those near values.
    let mut in_two_in_three = vec![false; n];
    for start in 0..n.saturating_sub(2) {
        let window = start..start + 3;
        let one_side = side[window.clone()].iter().all(|s| *s != 0 && *s == side[start]);
        if one_side && near[window.clone()].iter().filter(|x| **x).count() >= 2 {
            window.filter(|i| near[*i]).for_each(|i| in_two_in_three[i] = true);
        }
    }
    // Shift: 7 in a row on one side (a value on the mean breaks the run).
    let mut in_shift = vec![false; n];
    for end in RUN - 1..n {
        let run = &side[end + 1 - RUN..=end];
        if run.iter().all(|s| *s != 0 && *s == run[0]) {
            in_shift[end + 1 - RUN..=end].iter_mut().for_each(|t| *t = true);
        }
    }

    let by_side = |i: usize| if side[i] > 0 { Direction::Up } else { Direction::Down };
    (0..n)
        .map(|i| {
            let signal = if outside[i] {
                Some((Signal::Outside, by_side(i)))
            } else if in_trend[i] {
                // A value shared by two trends back to back (a peak or a
                // trough) takes the direction of the trend to its right.
                let step = if i + 1 < n && in_trend[i + 1] {
                    values[i + 1] - values[i]
                } else if i > 0 {
                    values[i] - values[i - 1]
                } else {
                    0.0
                };
                Some((Signal::Trend, if step > 0.0 { Direction::Up } else { Direction::Down }))
            } else if in_two_in_three[i] {
                Some((Signal::TwoInThree, by_side(i)))
            } else if in_shift[i] {
                Some((Signal::Shift, by_side(i)))
            } else {
                None
            };
            XmrPoint { group_len: n, limits, side: side[i], outside: outside[i], near: near[i], signal }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signals(values: &[f64]) -> Vec<Option<Signal>> {
        chart(values, &[], XmrOptions::default()).iter().map(|p| p.signal.map(|s| s.0)).collect()
    }

    #[test]
    fn limits_of_a_small_series_worked_by_hand() {
        // 2, 4, 6, 4: mean 4; moving ranges 2, 2, 2 (none screened), mean 2;
        // limits 4 +/- 5.32, near limits 4 +/- 3.5467.
        let l = limits(&[2.0, 4.0, 6.0, 4.0], XmrOptions::default());
        assert_eq!(l.mean, 4.0);
        assert!((l.upper - 9.32).abs() < 1e-12 && (l.lower + 1.32).abs() < 1e-12, "{l:?}");
        assert!((l.near_upper - (4.0 + 2.0 * 2.66 * 2.0 / 3.0)).abs() < 1e-12);
        // A jump of 30 among ranges of 1: 30 >= 3.267 x 31/4, so it is dropped and the mean range is 1.
        let l = limits(&[1.0, 2.0, 32.0, 31.0, 32.0], XmrOptions::default());
        assert!((l.upper - (19.6 + 2.66 * 1.0)).abs() < 1e-12, "{l:?}");
        let unscreened = limits(&[1.0, 2.0, 32.0, 31.0, 32.0], XmrOptions { screen: false, baseline: None });
        assert!((unscreened.upper - (19.6 + 2.66 * 33.0 / 4.0)).abs() < 1e-12);
        // A constant baseline has its limits on the mean.
        let flat = limits(&[5.0; 12], XmrOptions::default());
        assert_eq!((flat.lower, flat.mean, flat.upper), (5.0, 5.0, 5.0));
    }

    #[test]
    fn each_rule_on_a_series_worked_by_hand() {
        // Alternating 10, 12 then a rise of 7: the rise is a trend, not a shift.
        let mut values = vec![10.0, 12.0, 10.0, 12.0, 10.0, 12.0];
        values.extend([9.0, 9.5, 10.0, 10.5, 11.0, 11.5, 12.0]);
        let found = signals(&values);
        assert_eq!(found[..6], [None; 6]);
        assert_eq!(found[6..], [Some(Signal::Trend); 7]);
        // A tie breaks the trend.
        values[9] = 10.0;
        assert!(signals(&values).iter().all(Option::is_none), "{:?}", signals(&values));
        // 0, 4 alternating, then 3s with 2.5 in the middle: the mean is exactly
        // 2.5, so the 3s are above it, but the value on the mean breaks the run.
        let mut on_mean = vec![0.0, 4.0, 0.0, 4.0, 0.0, 4.0, 3.0, 3.0, 3.0, 2.5, 3.0, 3.0, 3.0];
        assert_eq!(limits(&on_mean, XmrOptions::default()).mean, 2.5);
        assert!(signals(&on_mean).iter().all(Option::is_none), "{:?}", signals(&on_mean));
        // With 3 in its place the last 4 and the 3s are 8 in a row above the mean: all 8 a shift.
        on_mean[9] = 3.0;
        let found = signals(&on_mean);
        assert_eq!(found[..5], [None; 5]);
        assert_eq!(found[5..], [Some(Signal::Shift); 8]);
    }
}
