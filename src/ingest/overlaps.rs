//! `overlapping_episodes`: the one data-quality rule that needs every row of
//! a child, so it runs once all rows are in the columns.

use std::collections::BTreeMap;

use super::columns::EpisodeColumns;
use super::field::Field;
use super::quality::{Action, Finding, QualityRule};

impl EpisodeColumns {
    /// `overlapping_episodes`: among a child's kept episodes by start, one that
    /// starts before the latest end of the earlier ones (an earlier open
    /// episode is still running; an unknown end is not).
    /// `column_names`: per file, each field's column as its header spells it.
    pub(super) fn flag_overlaps(&self, findings: &mut Vec<Finding>, column_names: &[BTreeMap<Field, String>]) {
        // Counted rows grouped by child (numbers are dense), then each
        // child's few rows put in start order.
        let children = self.child_keys.len();
        let mut first = vec![0usize; children + 1];
        for i in (0..self.len()).filter(|i| self.origin[*i].2) {
            first[self.child[i] as usize + 1] += 1;
        }
        for c in 0..children {
            first[c + 1] += first[c];
        }
        let mut next = first.clone();
        let mut order = vec![0usize; first[children]];
        for i in (0..self.len()).filter(|i| self.origin[*i].2) {
            let slot = &mut next[self.child[i] as usize];
            order[*slot] = i;
            *slot += 1;
        }
        for c in 0..children {
            order[first[c]..first[c + 1]].sort_unstable_by_key(|i| (self.start[*i], *i));
        }
        let mut latest_end: Option<i64> = None;
        for (position, &i) in order.iter().enumerate() {
            let first_of_child = position == 0 || self.child[order[position - 1]] != self.child[i];
            if first_of_child {
                latest_end = None;
            } else if latest_end.is_some_and(|end| self.start[i] < end) {
                let (file, row, _) = self.origin[i];
                findings.push(Finding {
                    file: file as usize,
                    row: row as usize,
                    column: column_names.get(file as usize).and_then(|c| c.get(&Field::Start)).map_or("start", String::as_str).to_string(),
                    rule: QualityRule::OverlappingEpisodes,
                    value: self.start_cell(i).to_string(),
                    action: Action::Kept,
                });
            }
            let this_end = if self.open[i] { Some(i64::MAX) } else { self.end[i] };
            latest_end = latest_end.max(this_end);
        }
    }

    /// Row `i`'s start cell as the file holds it.
    fn start_cell(&self, i: usize) -> &str {
        let from = if i == 0 { 0 } else { self.start_cell_ends[i - 1] };
        &self.start_cells[from..self.start_cell_ends[i]]
    }
}
