//! Small-number suppression for public papers (METRICS.md "Small numbers"):
//! counts from 1 to threshold - 1 become `c` (and so does a part of a
//! category whose difference from all children is that small), and more cells are hidden
//! until no hidden count can be worked out from what is published. Two kinds
//! of sum are published: a column of a breakdown adds up to its cohort's
//! total, and a category's count for all children is the count for children
//! in care plus the count for children missing from home. Wherever one of
//! those sums has exactly one hidden cell, the smallest other cell in it is
//! hidden too, and again, until every sum has none or at least two.
//! Totals stay exact.

use super::catalogue::Value;

/// One published column of counts, and the total its cells add up to
/// (`None` when they need not add up to anything, like reasons).
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub cells: Vec<u64>,
    pub total: Option<u64>,
}

/// The cells of one breakdown as shown. `total` is the published figure the
/// cells add up to, or `None` when they need not add up to anything.
pub fn suppress(cells: &[u64], total: Option<u64>, threshold: u32) -> Vec<Value> {
    let column = Column { cells: cells.to_vec(), total };
    suppress_linked(std::slice::from_ref(&column), &[], threshold).remove(0)
}

/// Suppresses `columns` (all of the same length, one row per category)
/// together. Each `linked` entry `[whole, part, other]` names three columns
/// where, row by row, `whole` = `part` + `other` (all children = in care +
/// missing from home), so one hidden cell in a row could be worked out from
/// the other two.
pub fn suppress_linked(columns: &[Column], linked: &[[usize; 3]], threshold: u32) -> Vec<Vec<Value>> {
    let threshold = threshold as u64;
    let small = |n: u64| n >= 1 && n < threshold;
    let mut hidden: Vec<Vec<bool>> = columns.iter().map(|c| c.cells.iter().map(|&n| small(n)).collect()).collect();
    // A part whose difference from the whole is small gives that small number
    // away even where the other part is larger (children in both cohorts in
    // the window count in each part), so the part is hidden.
    for &[whole, part, other] in linked {
        for (i, &whole_count) in columns[whole].cells.iter().enumerate() {
            for p in [part, other] {
                if whole_count >= columns[p].cells[i] && small(whole_count - columns[p].cells[i]) {
                    hidden[p][i] = true;
                }
            }
        }
    }
    // The cell to hide beside a lone hidden one: the smallest non-zero
    // count, or a zero when no other cell has a count.
    let pick = |candidates: &mut dyn Iterator<Item = (usize, usize)>, hidden: &[Vec<bool>]| {
        candidates.filter(|&(c, i)| !hidden[c][i]).min_by_key(|&(c, i)| (columns[c].cells[i] == 0, columns[c].cells[i], c, i))
    };
    loop {
        let mut changed = false;
        for (c, column) in columns.iter().enumerate() {
            if column.total.is_none() || hidden[c].iter().filter(|h| **h).count() != 1 {
                continue;
            }
            if let Some((c, i)) = pick(&mut (0..column.cells.len()).map(|i| (c, i)), &hidden) {
                hidden[c][i] = true;
                changed = true;
            }
        }
        for triple in linked {
            for i in 0..columns[triple[0]].cells.len() {
                if triple.iter().filter(|&&c| hidden[c][i]).count() != 1 {
                    continue;
                }
                if let Some((c, i)) = pick(&mut triple.iter().map(|&c| (c, i)), &hidden) {
                    hidden[c][i] = true;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    columns
        .iter()
        .zip(hidden)
        .map(|(column, hidden)| {
            column.cells.iter().zip(hidden).map(|(&n, h)| if h { Value::Suppressed } else { Value::Count(n) }).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(values: &[Value]) -> Vec<String> {
        values.iter().map(|v| v.export_text()).collect()
    }

    #[test]
    fn hides_small_cells_and_one_more_when_a_single_one_could_be_recovered() {
        assert_eq!(shown(&suppress(&[3, 0, 10, 20], Some(33), 5)), ["c", "0", "c", "20"]);
        assert_eq!(shown(&suppress(&[3, 4, 10, 20], Some(37), 5)), ["c", "c", "10", "20"]);
        assert_eq!(shown(&suppress(&[5, 6, 7], Some(18), 5)), ["5", "6", "7"]);
        assert_eq!(shown(&suppress(&[1, 2, 3], Some(6), 0)), ["1", "2", "3"]);
        // A lone count is hidden with a zero, so neither can be told from the total.
        assert_eq!(shown(&suppress(&[2, 0, 0], Some(2), 5)), ["c", "c", "0"]);
        // Cells that need not add up to a total (reasons) get no second cell hidden.
        assert_eq!(shown(&suppress(&[3, 9, 10], None, 5)), ["c", "9", "10"]);
    }

    #[test]
    fn a_small_count_missing_from_home_hides_cells_in_care_and_all_children_until_none_can_be_worked_out() {
        // Three categories; all children = in care + missing from home, row by row.
        let all = Column { cells: vec![12, 30, 9], total: Some(51) };
        let care = Column { cells: vec![10, 20, 9], total: Some(39) };
        let home = Column { cells: vec![2, 10, 0], total: Some(12) };
        let shown: Vec<Vec<String>> =
            suppress_linked(&[all, care, home], &[[0, 1, 2]], 5).iter().map(|column| super::tests::shown(column)).collect();
        // Hidden first: 2 missing from home (small), and 10 in care (12 - 10 = 2
        // gives it away). Each column then has one hidden cell: its smallest
        // other count goes too (9 in care, 10 from home). Rows two and three
        // then have one hidden cell each: the smaller other count goes (20 in
        // care; 9 for all children, before the 0). All children's column then
        // has one: 12 goes. Now no column or row has exactly one hidden cell.
        assert_eq!(shown, [vec!["c", "30", "c"], vec!["c", "c", "c"], vec!["c", "c", "0"]]);
        // Nothing is hidden without a small count, however linked.
        let plain = [
            Column { cells: vec![10, 20], total: Some(30) },
            Column { cells: vec![5, 15], total: Some(20) },
            Column { cells: vec![5, 5], total: Some(10) },
        ];
        assert!(suppress_linked(&plain, &[[0, 1, 2]], 5).iter().flatten().all(|v| matches!(v, Value::Count(_))));
    }

    #[test]
    fn no_sum_is_left_with_exactly_one_hidden_cell() {
        // Pseudo-random breakdowns: after suppression, every column with a
        // total and every linked row holds no hidden cell or at least two.
        let mut seed = 7u64;
        let mut next = |limit: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % limit
        };
        for _ in 0..2000 {
            // Two categories at least, as every breakdown has: a lone category
            // equals its cohort's total, which is published exact.
            let rows = 2 + next(6) as usize;
            let care: Vec<u64> = (0..rows).map(|_| next(12)).collect();
            let home: Vec<u64> = (0..rows).map(|_| next(12)).collect();
            let all: Vec<u64> = care.iter().zip(&home).map(|(a, b)| a + b).collect();
            let column = |cells: Vec<u64>| Column { total: Some(cells.iter().sum()), cells };
            let columns = [column(all), column(care), column(home)];
            let result = suppress_linked(&columns, &[[0, 1, 2]], 5);
            for (c, column) in result.iter().enumerate() {
                let hidden = column.iter().filter(|v| **v == Value::Suppressed).count();
                assert_ne!(hidden, 1, "column {c} of {columns:?}: {result:?}");
                for (i, value) in column.iter().enumerate() {
                    if let Value::Count(n) = value {
                        assert!(*n == 0 || *n >= 5, "a small count shown: {columns:?} {result:?}");
                    }
                    let row = (0..3).filter(|&k| result[k][i] == Value::Suppressed).count();
                    assert_ne!(row, 1, "row {i} of {columns:?}: {result:?}");
                    if let (Value::Count(whole), Value::Count(part)) = (result[0][i], result[c][i]) {
                        assert!(c == 0 || whole - part == 0 || whole - part >= 5, "a small difference shown: {columns:?} {result:?}");
                    }
                }
            }
        }
    }
}
