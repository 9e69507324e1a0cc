//! Alt text written from the data: what a chart shows and its key numbers
//! (highest and lowest, the latest value, the change on a year earlier), in
//! sentences a screen reader can read. No identifiers, and no number a
//! chart hides.

use super::axes::value_text;
use super::chart::Point;
use crate::period::YearMonth;

/// "Missing episodes were highest in Jul 2023 (152) and lowest in Feb 2024
/// (98). In Mar 2024: 112, 12 more than in Mar 2023." for one series over
/// months.
pub fn month_series(subject: &str, months: &[YearMonth], points: &[Point], percent: bool) -> String {
    let known: Vec<(YearMonth, f64)> = months.iter().zip(points).filter_map(|(m, p)| p.value().map(|v| (*m, v))).collect();
    let Some(&(latest_month, latest)) = known.last() else {
        return format!("{subject}: no month has a value that can be shown.");
    };
    let show = |v: f64| value_text(v, percent);
    // The first of equal values: the earliest month with the highest or lowest value.
    let (mut high, mut low) = (known[0], known[0]);
    for &(m, v) in &known {
        if v > high.1 {
            high = (m, v);
        }
        if v < low.1 {
            low = (m, v);
        }
    }
    let mut text = if known.len() == 1 {
        String::new()
    } else {
        format!(
            "{subject} were highest in {} ({}) and lowest in {} ({}). ",
            high.0.short_name(),
            show(high.1),
            low.0.short_name(),
            show(low.1)
        )
    };
    text.push_str(&format!("In {}: {}", latest_month.short_name(), show(latest)));
    let year_before = latest_month.plus(-12);
    match known.iter().find(|(m, _)| *m == year_before) {
        // Equal as printed is the same, whatever the unrounded values (as the narrative says it).
        Some(&(_, earlier)) if show(latest) == show(earlier) => text.push_str(&format!(", the same as in {}.", year_before.short_name())),
        Some(&(_, earlier)) => text.push_str(&format!(", {} {}.", change_words(latest - earlier, percent), year_before.short_name())),
        None => text.push('.'),
    }
    text
}

/// `8 more than in`, `3.5 percentage points lower than in`, `the same as in`.
pub fn change_words(difference: f64, percent: bool) -> String {
    let size = if percent { format!("{:.1} percentage points", difference.abs()) } else { value_text(difference.abs(), false) };
    if difference.abs() < 0.05 {
        "the same as in".into()
    } else if percent {
        format!("{size} {} than in", if difference > 0.0 { "higher" } else { "lower" })
    } else {
        format!("{size} {} than in", if difference > 0.0 { "more" } else { "fewer" })
    }
}

/// "most in Running away (120), then With friends (64); fewest in Other (3)",
/// to follow a cohort's name.
pub fn categories(categories: &[String], points: &[Point]) -> String {
    let mut known: Vec<(&str, f64)> = categories.iter().zip(points).filter_map(|(c, p)| p.value().map(|v| (c.as_str(), v))).collect();
    let hidden = points.iter().filter(|p| **p == Point::Hidden).count();
    if known.is_empty() {
        return "no group has a number that can be shown".into();
    }
    known.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut text = format!("most in {} ({})", known[0].0, value_text(known[0].1, false));
    if let Some(second) = known.get(1) {
        text.push_str(&format!(", then {} ({})", second.0, value_text(second.1, false)));
    }
    if known.len() > 2 {
        let last = known[known.len() - 1];
        text.push_str(&format!("; fewest in {} ({})", last.0, value_text(last.1, false)));
    }
    if hidden > 0 {
        text.push_str(&format!("; {hidden} small {} hidden", if hidden == 1 { "number" } else { "numbers" }));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_series_says_its_extremes_latest_value_and_year_change() {
        let months: Vec<YearMonth> = (0..13).map(|i| YearMonth::new(2023, 3).plus(i)).collect();
        let mut points: Vec<Point> = (0..13).map(|i| Point::Value(100.0 + i as f64)).collect();
        points[4] = Point::Value(152.0);
        points[11] = Point::Value(98.0);
        points[2] = Point::Missing;
        let text = month_series("Missing episodes", &months, &points, false);
        assert_eq!(
            text,
            "Missing episodes were highest in Jul 2023 (152) and lowest in Feb 2024 (98). In Mar 2024: 112, 12 more than in Mar 2023."
        );
        let rates = month_series("Offers accepted", &months[..2], &[Point::Value(60.0), Point::Value(55.5)], true);
        assert!(rates.ends_with("In Apr 2023: 56%."), "{rates}");
        assert_eq!(change_words(-3.5, true), "3.5 percentage points lower than in");
        let year: Vec<YearMonth> = vec![YearMonth::new(2023, 3), YearMonth::new(2024, 3)];
        let same = month_series("Offers accepted", &year, &[Point::Value(56.2), Point::Value(55.9)], true);
        assert!(same.ends_with("In Mar 2024: 56%, the same as in Mar 2023."), "{same}");
    }

    #[test]
    fn categories_say_the_largest_and_smallest_and_count_what_is_hidden() {
        let names: Vec<String> = ["Running away", "With friends", "Other", "Unknown"].iter().map(|s| s.to_string()).collect();
        let points = [Point::Value(120.0), Point::Value(64.0), Point::Value(3.0), Point::Hidden];
        assert_eq!(
            categories(&names, &points),
            "most in Running away (120), then With friends (64); fewest in Other (3); 1 small number hidden"
        );
    }
}
