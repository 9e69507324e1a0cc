//! Calendar arithmetic shared by every stage: months as one integer, reporting
//! years that start in any month, and the period labels of METRICS.md.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer};

/// A calendar month as `year * 12 + (month - 1)`, so months subtract and compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth(pub i32);

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Self {
        YearMonth(year * 12 + month as i32 - 1)
    }
    pub fn of(date: NaiveDate) -> Self {
        YearMonth::new(date.year(), date.month())
    }
    /// The month of a time held as milliseconds since 1970-01-01 00:00 (the
    /// episode table's datetimes carry no time zone). The civil calendar from
    /// a day count (Howard Hinnant's days-to-civil), without building a date:
    /// it runs once per episode on millions of rows.
    pub fn of_millis(millis: i64) -> Self {
        let days = millis.div_euclid(86_400_000);
        let shifted = days + 719_468; // days since 0000-03-01
        let era = shifted.div_euclid(146_097);
        let day_of_era = shifted - era * 146_097;
        let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let from_march = (5 * day_of_year + 2) / 153;
        let month = if from_march < 10 { from_march + 3 } else { from_march - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        YearMonth((year * 12 + month - 1) as i32)
    }
    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }
    /// 1 = January.
    pub fn month(self) -> u32 {
        self.0.rem_euclid(12) as u32 + 1
    }
    pub fn plus(self, months: i32) -> Self {
        YearMonth(self.0 + months)
    }
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), self.month(), 1).expect("month in range")
    }
    pub fn last_day(self) -> NaiveDate {
        self.plus(1).first_day().pred_opt().expect("day in range")
    }
    /// `2024-03`, the label of METRICS.md for months and rolling windows.
    pub fn label(self) -> String {
        format!("{:04}-{:02}", self.year(), self.month())
    }
    /// `Mar 2024`, for tables and axes.
    pub fn short_name(self) -> String {
        format!("{} {}", MONTH_ABBREVIATIONS[self.month() as usize - 1], self.year())
    }
    /// `March 2024`, for running text.
    pub fn long_name(self) -> String {
        format!("{} {}", MONTH_NAMES[self.month() as usize - 1], self.year())
    }
    /// Parses `YYYY-MM`.
    pub fn parse(text: &str) -> Option<Self> {
        let (year, month) = text.trim().split_once('-')?;
        if year.len() != 4 || month.is_empty() || month.len() > 2 {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let month: u32 = month.parse().ok()?;
        ((1900..=2100).contains(&year) && (1..=12).contains(&month)).then(|| YearMonth::new(year, month))
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::checked::text(deserializer, "a month as YYYY-MM", |text| {
            YearMonth::parse(text).ok_or_else(|| format!("`{text}` is not a month: write it as YYYY-MM, e.g. 2024-03"))
        })
    }
}

/// A month number 1-12, checked while the YAML is read so the error has a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthOfYear(pub u32);

impl<'de> Deserialize<'de> for MonthOfYear {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::checked::number(deserializer, "a month number (1-12)", |value| match u32::try_from(value) {
            Ok(month) if (1..=12).contains(&month) => Ok(MonthOfYear(month)),
            _ => Err(format!("{value} is not a month number (1-12)")),
        })
    }
}

/// A `YYYY-MM-DD` date, checked while the YAML is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IsoDate(pub NaiveDate);

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::checked::text(deserializer, "a date as YYYY-MM-DD", |text| {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                .map(IsoDate)
                .map_err(|_| format!("`{text}` is not a date: write it as YYYY-MM-DD"))
        })
    }
}

/// For `#[serde(deserialize_with)]`: an optional `YYYY-MM-DD` date (`null` or absent: none).
pub fn optional_iso_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
    Ok(Option::<IsoDate>::deserialize(deserializer)?.map(|date| date.0))
}

/// `1 May 2025`, for running text.
pub fn long_date(date: NaiveDate) -> String {
    format!("{} {} {}", date.day(), MONTH_NAMES[date.month0() as usize], date.year())
}

pub const MONTH_ABBREVIATIONS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
pub const MONTH_NAMES: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/// Reporting years and quarters for a year that starts in `start_month`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportingYear {
    pub start_month: u32,
}

impl ReportingYear {
    /// The first month of the reporting year containing `month`.
    pub fn year_start(self, month: YearMonth) -> YearMonth {
        let offset = (month.month() as i32 - self.start_month as i32).rem_euclid(12);
        month.plus(-offset)
    }
    /// 1..=4.
    pub fn quarter(self, month: YearMonth) -> u32 {
        ((month.0 - self.year_start(month).0) / 3) as u32 + 1
    }
    pub fn quarter_start(self, month: YearMonth) -> YearMonth {
        self.year_start(month).plus(3 * (self.quarter(month) as i32 - 1))
    }
    /// `2023-24`, or `2023` when the year starts in January.
    pub fn year_label(self, month: YearMonth) -> String {
        let start = self.year_start(month);
        if self.start_month == 1 {
            format!("{:04}", start.year())
        } else {
            format!("{:04}-{:02}", start.year(), (start.year() + 1).rem_euclid(100))
        }
    }
    /// `2023-24 Q1`.
    pub fn quarter_label(self, month: YearMonth) -> String {
        format!("{} Q{}", self.year_label(month), self.quarter(month))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_month_of_milliseconds_is_the_calendar_month() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
        // Every day from 1600 to 2400 at its first and last millisecond, and
        // times across the year 0 and far dates.
        let mut day = NaiveDate::from_ymd_opt(1600, 1, 1).unwrap();
        while day < NaiveDate::from_ymd_opt(2400, 1, 1).unwrap() {
            let start = day.and_hms_opt(0, 0, 0).unwrap();
            for t in [start, start + chrono::Duration::milliseconds(86_399_999)] {
                let millis = (t - epoch).num_milliseconds();
                assert_eq!(YearMonth::of_millis(millis), YearMonth::of(t.date()), "{t}");
            }
            day = day.succ_opt().unwrap();
        }
        for (y, m, d) in [(0, 1, 1), (0, 2, 29), (-1, 12, 31), (-4713, 11, 24), (9999, 12, 31), (1969, 12, 31)] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let millis = (date.and_hms_opt(12, 0, 0).unwrap() - epoch).num_milliseconds();
            assert_eq!(YearMonth::of_millis(millis), YearMonth::of(date), "{date}");
        }
    }

    #[test]
    fn april_years_label_quarters_like_the_seeds() {
        let year = ReportingYear { start_month: 4 };
        assert_eq!(year.quarter_label(YearMonth::new(2023, 4)), "2023-24 Q1");
        assert_eq!(year.quarter_label(YearMonth::new(2024, 3)), "2023-24 Q4");
        assert_eq!(year.quarter_label(YearMonth::new(2023, 12)), "2023-24 Q3");
        assert_eq!(year.year_label(YearMonth::new(2099, 5)), "2099-00");
        assert_eq!(year.year_start(YearMonth::new(2024, 2)), YearMonth::new(2023, 4));
    }

    #[test]
    fn calendar_years_use_plain_labels() {
        let year = ReportingYear { start_month: 1 };
        assert_eq!(year.quarter_label(YearMonth::new(2023, 5)), "2023 Q2");
        assert_eq!(year.year_label(YearMonth::new(2023, 12)), "2023");
    }

    #[test]
    fn parses_only_real_months() {
        assert_eq!(YearMonth::parse("2024-03"), Some(YearMonth::new(2024, 3)));
        assert_eq!(YearMonth::parse("2024-13"), None);
        assert_eq!(YearMonth::parse("03/2024"), None);
        assert_eq!(YearMonth::new(2024, 2).last_day().to_string(), "2024-02-29");
    }

    #[test]
    fn long_dates_have_no_leading_zero() {
        assert_eq!(long_date(NaiveDate::from_ymd_opt(2025, 5, 1).unwrap()), "1 May 2025");
        assert_eq!(long_date(NaiveDate::from_ymd_opt(2024, 12, 31).unwrap()), "31 December 2024");
    }
}
