//! Small-number suppression for public papers (METRICS.md "Small numbers"):
//! counts from 1 to threshold - 1 become `c`, and where one hidden cell could
//! be worked out from the published total (total minus the cells shown), the
//! smallest other non-zero cell is hidden too. Totals stay exact.

use super::catalogue::Value;

/// The cells of one breakdown as shown. `total` is the published figure the
/// cells add up to, or `None` when they need not add up to anything.
pub fn suppress(cells: &[u64], total: Option<u64>, threshold: u32) -> Vec<Value> {
    let threshold = threshold as u64;
    let mut hidden: Vec<bool> = cells.iter().map(|&n| n >= 1 && n < threshold).collect();
    let hidden_count = hidden.iter().filter(|h| **h).count();
    if hidden_count == 1 && total.is_some() {
        // One hidden cell is the total minus the others: hide the smallest
        // other non-zero cell, or a zero when no other cell has a count.
        let second = cells.iter().enumerate().filter(|(i, _)| !hidden[*i]).min_by_key(|(i, n)| (**n == 0, **n, *i)).map(|(i, _)| i);
        if let Some(i) = second {
            hidden[i] = true;
        }
    }
    cells.iter().zip(hidden).map(|(&n, h)| if h { Value::Suppressed } else { Value::Count(n) }).collect()
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
}
