//! The repeat-missing triggers of METRICS.md (`children_repeat`,
//! `children_repeat_30d`) as one mechanism: the metrics engine counts the
//! children it marks, and the restricted watchlist names them.

use crate::rules::RepeatTrigger;

/// `children_repeat_30d`'s trigger: 3 episodes starting within 30 days.
pub const THREE_IN_30_DAYS: RepeatTrigger = RepeatTrigger { episodes: 3, days: 30 };

const DAY_MS: i64 = 24 * 3_600_000;

/// The counted episodes (`counted[row]`), by child and then start (ties in
/// row order): the order `completing` reads.
pub fn child_and_start_order(child: &[u32], start_ms: &[i64], counted: impl Fn(usize) -> bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..child.len()).filter(|&row| counted(row)).collect();
    order.sort_by_key(|&row| (child[row], start_ms[row]));
    order
}

/// Of episodes in child-and-start order (`child`, `start_ms`: counted
/// episodes only), the places of those that complete a run of `trigger`:
/// the episode `episodes - 1` places earlier is the same child's and started
/// no more than `days` × 24 hours before (earlier episodes may lie before
/// any period asked about).
pub fn completing<'a>(child: &'a [u32], start_ms: &'a [i64], trigger: RepeatTrigger) -> impl Iterator<Item = usize> + 'a {
    let back = trigger.episodes.saturating_sub(1) as usize;
    let within = trigger.days as i64 * DAY_MS;
    (back..child.len().min(start_ms.len())).filter(move |&row| {
        let earlier = row - back;
        child[row] == child[earlier] && start_ms[row] - start_ms[earlier] <= within
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_completes_at_its_third_episode_within_the_days_and_not_across_children() {
        let day = DAY_MS;
        // Child 0: days 0, 10, 30 (a run at 30 days exactly), 61 (10..61 is 51 days: none).
        // Child 1: days 0, 1; child 2: day 2 (a different child: no run).
        let child = [0, 0, 0, 0, 1, 1, 2];
        let start = [0, 10 * day, 30 * day, 61 * day, 0, day, 2 * day];
        let runs: Vec<usize> = completing(&child, &start, THREE_IN_30_DAYS).collect();
        assert_eq!(runs, vec![2]);
        let order = child_and_start_order(&[1, 0, 1, 0], &[5, 9, 1, 9], |row| row != 3);
        assert_eq!(order, vec![1, 2, 0]);
    }
}
