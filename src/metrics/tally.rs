//! Counting each child once per window: a `Tally` of one key's episodes by
//! month, and for each child's first episode of a month how many months
//! earlier its previous one was, answers any window up to the longest.

use super::windows::Window;

/// One breakdown cell: episodes and distinct children.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CategoryCount {
    pub episodes: u64,
    pub children: u64,
}

/// How one key (a flag counted as children, or a breakdown category) appears
/// in one cohort, fed its episodes in (child, start) order.
pub(super) struct Tally {
    lowest: i32,
    /// The longest window to be asked about, in months.
    span: usize,
    /// Episodes by month (index: month - `lowest`).
    episodes: Vec<u64>,
    /// Children whose first episode of a month (for this key) it is, by month
    /// and by how many months earlier the child's previous one was, up to
    /// `span` (`span`: that many or more, or none): index month * (span + 1) + gap.
    arrivals: Vec<u64>,
    /// The child and month of the episode fed last.
    last: Option<(u32, i32)>,
}

impl Tally {
    pub(super) fn new(lowest: i32, months: usize, span: usize) -> Tally {
        Tally { lowest, span, episodes: vec![0; months], arrivals: vec![0; months * (span + 1)], last: None }
    }

    pub(super) fn add(&mut self, child: u32, month: i32) {
        let gap = match self.last {
            Some((last_child, last_month)) if last_child == child => (month - last_month) as usize,
            _ => self.span,
        };
        self.last = Some((child, month));
        let at = (month - self.lowest) as usize;
        self.episodes[at] += 1;
        // A later episode of the child in the same month adds no child.
        if gap > 0 {
            self.arrivals[at * (self.span + 1) + gap.min(self.span)] += 1;
        }
    }

    /// Turns each month's arrivals into running totals from the longest gap
    /// down, so that one look-up answers "gap of at least g".
    pub(super) fn finish(mut self) -> Appearances {
        for month in self.arrivals.chunks_mut(self.span + 1) {
            for gap in (1..self.span).rev() {
                month[gap] += month[gap + 1];
            }
        }
        Appearances { lowest: self.lowest, span: self.span, episodes: self.episodes, arrivals: self.arrivals }
    }
}

/// A finished `Tally`: episodes by month, and for each month the children
/// arriving in it whose previous appearance was at least a given number of
/// months earlier (or who had none).
pub(super) struct Appearances {
    lowest: i32,
    span: usize,
    episodes: Vec<u64>,
    arrivals: Vec<u64>,
}

impl Appearances {
    /// True when the key has no episode in any month.
    pub(super) fn is_empty(&self) -> bool {
        self.episodes.iter().all(|e| *e == 0)
    }

    /// Episodes and distinct children over `window` (no longer than `span`
    /// months): a child counts once, through its first month in the window,
    /// whose previous appearance lies before the window (or that has none).
    pub(super) fn over(&self, window: Window) -> CategoryCount {
        let mut cell = CategoryCount::default();
        let highest = self.lowest + self.episodes.len() as i32 - 1;
        for month in window.first.0.max(self.lowest)..=window.last.0.min(highest) {
            let at = (month - self.lowest) as usize;
            cell.episodes += self.episodes[at];
            // The previous appearance lies before the window when it is more
            // than `month - first` months earlier.
            let gap = (month - window.first.0 + 1) as usize;
            debug_assert!(gap <= self.span, "window longer than the tally's span");
            cell.children += self.arrivals[at * (self.span + 1) + gap.min(self.span)];
        }
        cell
    }
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
        // Child 1 in months 100 (two episodes), 102 and 113; child 2 in 102
        // only; child 3 in 100 and 114 (more than the 12-month span apart);
        // child 4 in 101 and 113 (exactly the span apart).
        let mut tally = Tally::new(100, 16, 12);
        for (child, month) in [(1, 100), (1, 100), (1, 102), (1, 113), (2, 102), (3, 100), (3, 114), (4, 101), (4, 113)] {
            tally.add(child, month);
        }
        let appearances = tally.finish();
        assert_eq!(appearances.over(window(100, 111)), CategoryCount { episodes: 6, children: 4 });
        assert_eq!(appearances.over(window(101, 112)), CategoryCount { episodes: 3, children: 3 });
        assert_eq!(appearances.over(window(102, 113)), CategoryCount { episodes: 4, children: 3 });
        assert_eq!(appearances.over(window(103, 114)), CategoryCount { episodes: 3, children: 3 });
        assert_eq!(appearances.over(window(103, 112)), CategoryCount::default());
        assert_eq!(appearances.over(window(113, 113)), CategoryCount { episodes: 2, children: 2 });
        // Windows reaching beyond the months tallied count what lies inside.
        assert_eq!(appearances.over(window(95, 106)), CategoryCount { episodes: 6, children: 4 });
        assert_eq!(appearances.over(window(110, 121)), CategoryCount { episodes: 3, children: 3 });
    }
}
