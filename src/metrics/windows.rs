//! Windows of whole months: the export's periods (every month, quarter,
//! year and rolling twelve months in the data) and the windows a report
//! shows (the reporting year to date, its quarters, the rolling year).

use super::catalogue::PeriodKind;
use crate::period::{ReportingYear, YearMonth};

/// A run of whole months, first to last inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Window {
    pub first: YearMonth,
    pub last: YearMonth,
}

impl Window {
    pub fn new(first: YearMonth, last: YearMonth) -> Self {
        Window { first, last }
    }
    pub fn months(self) -> impl Iterator<Item = YearMonth> {
        (self.first.0..=self.last.0).map(YearMonth)
    }
    /// The same months a year earlier.
    pub fn year_earlier(self) -> Self {
        Window { first: self.first.plus(-12), last: self.last.plus(-12) }
    }
    /// `Apr 2024 to Mar 2025`, or `Mar 2025` for one month.
    pub fn name(self) -> String {
        if self.first == self.last {
            self.first.short_name()
        } else {
            format!("{} to {}", self.first.short_name(), self.last.short_name())
        }
    }
}

/// A period of the export: its kind, label and months.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub kind: PeriodKind,
    pub label: String,
    pub window: Window,
}

/// The windows a report built for `period_end` shows: the reporting year to
/// date, its quarters, and the rolling twelve months, each with the same
/// months a year earlier.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportWindows {
    pub period_end: YearMonth,
    /// Reporting year to `period_end`.
    pub year_to_date: Window,
    /// True when `period_end` is not the last month of its reporting year.
    pub partial_year: bool,
    /// Quarters of the reporting year up to `period_end` (the last may be partial).
    pub quarters: Vec<Window>,
    pub rolling12: Window,
}

impl ReportWindows {
    pub fn new(period_end: YearMonth, year: ReportingYear) -> Self {
        let start = year.year_start(period_end);
        let quarters = (0..4)
            .map(|q| start.plus(3 * q))
            .take_while(|first| *first <= period_end)
            .map(|first| Window::new(first, first.plus(2).min(period_end)))
            .collect();
        ReportWindows {
            period_end,
            year_to_date: Window::new(start, period_end),
            partial_year: period_end != start.plus(11),
            quarters,
            rolling12: Window::new(period_end.plus(-11), period_end),
        }
    }

    pub(super) fn all(&self) -> Vec<Window> {
        let mut windows = vec![self.year_to_date, self.rolling12];
        windows.extend(self.quarters.iter().copied());
        let earlier: Vec<Window> = windows.iter().map(|w| w.year_earlier()).collect();
        windows.extend(earlier);
        windows
    }
}

/// The periods of the export: every month, quarter and year from the first to
/// the last month with data, and a rolling window for each month from the twelfth on.
pub(super) fn export_windows(first: YearMonth, last: YearMonth, year: ReportingYear) -> Vec<(PeriodKind, String, Window)> {
    let mut windows = Vec::new();
    for month in Window::new(first, last).months() {
        windows.push((PeriodKind::Month, month.label(), Window::new(month, month)));
        if month == first || month == year.quarter_start(month) {
            let start = year.quarter_start(month);
            windows.push((PeriodKind::Quarter, year.quarter_label(month), Window::new(start, start.plus(2))));
        }
        if month == first || month == year.year_start(month) {
            let start = year.year_start(month);
            windows.push((PeriodKind::Year, year.year_label(month), Window::new(start, start.plus(11))));
        }
        if month.0 - first.0 >= 11 {
            windows.push((PeriodKind::Rolling12, month.label(), Window::new(month.plus(-11), month)));
        }
    }
    windows
}

/// The last complete month: the month before the one holding the latest
/// recorded time (start, return or interview), since an extract taken on
/// 14 November holds half of November; never before the first month.
pub(super) fn last_complete_month(latest: YearMonth, first: YearMonth) -> YearMonth {
    latest.plus(-1).max(first)
}
