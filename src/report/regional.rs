//! The regional summary paper's own table (`build --by authority`): every
//! authority's headline figures in a row, the region's last.

use super::figures::Numbers;
use super::table::Table;
use super::ReportData;
use crate::metrics::{RegionalFigures, COMPARED};

/// The table's headings after the authority's name, one per `COMPARED` figure.
const HEADINGS: [&str; COMPARED.len()] = [
    "Children who went missing",
    "Missing episodes",
    "Episodes per child",
    "Episodes with an interview offered",
    "Offers accepted",
    "Interviews within 72 hours",
    "Children meeting the repeat trigger",
];

/// The authorities side by side, then the region.
pub fn authorities_table(figures: &RegionalFigures, numbers: Numbers) -> Table {
    let mut columns = vec!["Authority".to_string()];
    columns.extend(HEADINGS.iter().map(|h| h.to_string()));
    let title = format!("Authorities side by side, {}", figures.window.name());
    let mut table = Table::new("authorities", title, columns);
    let cells = |values: &crate::metrics::ComparedFigures| -> Vec<String> {
        COMPARED.iter().zip(values).map(|(metric, value)| numbers.value(*metric, *value)).collect()
    };
    for (name, values) in &figures.authorities {
        table.row(name.clone(), cells(values), false);
    }
    table.total_row("Region", cells(&figures.region));
    table
        .note("Each authority's figures are from its own episodes, as its own paper prints them. The region's are from every authority's episodes together, each child counted under its own authority, so the region's children and episodes are the sums of the authorities'.")
        .note("Interviews offered are a share of episodes; offers accepted a share of interviews offered; interviews within 72 hours a share of interviews completed.")
}

impl ReportData {
    /// Adds the authorities' table to a regional summary paper's data.
    pub fn add_authorities(&mut self, figures: &RegionalFigures, decimals: usize) {
        let table = authorities_table(figures, Numbers { decimals });
        self.tables.insert(table.name.clone(), table);
    }
}
