//! One shape for every table of a paper: a name (the sheet of
//! `tables.xlsx` and the file `tables/<name>.csv`), a title, column
//! headings, rows of printed cells and the notes printed under it. The
//! template, the workbook and the CSV files all read this one value, so
//! their cells cannot differ.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// Stable id, the same for every period: `monthly`, `quarterly_all_current`, `age_band` ...
    pub name: String,
    pub title: String,
    /// Headings, the first over the row labels (often blank).
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    /// Printed under the table, in order.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub label: String,
    /// One printed cell per column after the first.
    pub cells: Vec<String>,
    /// Rates are set in italics and rows of counts in roman.
    pub is_rate: bool,
    /// Against a target: `green` (met), `amber` (close) or `red`; else null.
    pub status: Option<&'static str>,
    /// The row of a whole that the rows above are parts of (the region
    /// under its authorities), set in bold; absent from data.json when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub is_total: bool,
}

/// The note under every table with a change column.
pub const CHANGE_NOTE: &str = "Changes are worked out from the unrounded figures, so they may differ by one in the last place from the difference of the figures as printed. Changes in percentages are in percentage points (pts); changes in counts are also given as a percentage of the earlier figure.";

impl Table {
    pub fn new(name: impl Into<String>, title: impl Into<String>, columns: Vec<String>) -> Self {
        Table { name: name.into(), title: title.into(), columns, rows: Vec::new(), notes: Vec::new() }
    }

    pub fn row(&mut self, label: impl Into<String>, cells: Vec<String>, is_rate: bool) {
        self.rows.push(Row { label: label.into(), cells, is_rate, status: None, is_total: false });
    }

    /// A row set in bold under the rows it is the whole of.
    pub fn total_row(&mut self, label: impl Into<String>, cells: Vec<String>) {
        self.rows.push(Row { label: label.into(), cells, is_rate: false, status: None, is_total: true });
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Every line as printed: the headings, the rows, then the notes, each in
    /// the first column (for CSV and for the workbook).
    pub fn lines(&self) -> Vec<Vec<String>> {
        let mut lines = vec![self.columns.clone()];
        for row in &self.rows {
            let mut line = vec![row.label.clone()];
            line.extend(row.cells.iter().cloned());
            lines.push(line);
        }
        lines
    }

    /// The table as CSV: the title, the headings and rows as printed, a blank
    /// line, then the notes.
    pub fn to_csv(&self) -> anyhow::Result<Vec<u8>> {
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        writer.write_record([self.title.as_str()])?;
        for line in self.lines() {
            writer.write_record(&line)?;
        }
        if !self.notes.is_empty() {
            writer.write_record([""])?;
            for note in &self.notes {
                writer.write_record([note.as_str()])?;
            }
        }
        writer.into_inner().map_err(|e| anyhow::anyhow!("writing table {}: {e}", self.name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_holds_the_title_the_cells_as_printed_and_the_notes() {
        let mut table = Table::new("t", "Children, 2024-25", vec!["".into(), "Q1".into(), "Year".into()]);
        table.row("Children who went missing", vec!["1,234".into(), "c".into()], false);
        let table = table.note("Counted once, \"however often\".");
        let text = String::from_utf8(table.to_csv().unwrap()).unwrap();
        assert_eq!(
            text,
            "\"Children, 2024-25\"\n,Q1,Year\nChildren who went missing,\"1,234\",c\n\"\"\n\"Counted once, \"\"however often\"\".\"\n"
        );
    }
}
