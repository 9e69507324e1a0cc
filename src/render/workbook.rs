//! `tables.xlsx`: every table the paper prints, one sheet each in the
//! paper's order, with the title, readable headings, the values as printed
//! and the notes under it, for a data appendix or for pasting. Written with
//! rust_xlsxwriter; the document date is the paper's, so the bytes repeat.

use anyhow::{anyhow, Result};
use chrono::Datelike;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

use crate::report::Table;

/// Characters Excel refuses in a sheet name.
const NOT_IN_SHEET_NAMES: [char; 7] = ['[', ']', ':', '*', '?', '/', '\\'];

/// The workbook of `tables`, in order.
pub fn tables_workbook(tables: &[&Table], title: &str, date: chrono::NaiveDate) -> Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let created =
        ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8).map_err(|e| anyhow!("workbook date: {e}"))?;
    workbook.set_properties(&DocProperties::new().set_title(title).set_creation_datetime(&created));
    let bold = Format::new().set_bold();
    let heading = Format::new().set_bold().set_text_wrap();
    let note = Format::new().set_italic();
    let mut names: Vec<String> = Vec::new();
    for table in tables {
        let sheet = workbook.add_worksheet();
        let name = sheet_name(&table.title, &names);
        sheet.set_name(&name).map_err(|e| anyhow!("sheet {name}: {e}"))?;
        names.push(name);
        sheet.write_string_with_format(0, 0, &table.title, &bold).map_err(|e| anyhow!("{e}"))?;
        for (r, line) in table.lines().iter().enumerate() {
            let row = r as u32 + 1;
            for (c, cell) in line.iter().enumerate() {
                let written = if r == 0 {
                    sheet.write_string_with_format(row, c as u16, cell, &heading)
                } else {
                    sheet.write_string(row, c as u16, cell)
                };
                written.map_err(|e| anyhow!("{e}"))?;
            }
        }
        for (row, text) in (table.rows.len() as u32 + 3..).zip(&table.notes) {
            sheet.write_string_with_format(row, 0, text, &note).map_err(|e| anyhow!("{e}"))?;
        }
        sheet.set_column_width(0, 48).map_err(|e| anyhow!("{e}"))?;
        for c in 1..table.columns.len() {
            sheet.set_column_width(c as u16, 14).map_err(|e| anyhow!("{e}"))?;
        }
    }
    workbook.save_to_buffer().map_err(|e| anyhow!("writing tables.xlsx: {e}"))
}

/// The title as a sheet name: Excel's forbidden characters dropped, at most
/// 31 characters, a number added where two would be the same.
fn sheet_name(title: &str, taken: &[String]) -> String {
    let clean: String = title.chars().map(|c| if NOT_IN_SHEET_NAMES.contains(&c) { ' ' } else { c }).collect();
    let clean = clean.split_whitespace().collect::<Vec<_>>().join(" ");
    let base: String = clean.chars().take(31).collect::<String>().trim_end_matches([' ', ',', '\'']).to_string();
    let mut name = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        let suffix = format!(" ({n})");
        name = format!("{}{suffix}", base.chars().take(31 - suffix.len()).collect::<String>().trim_end());
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_short_legal_and_unique() {
        let first = sheet_name("Children in our care: where placed", &[]);
        assert_eq!(first, "Children in our care where plac");
        assert_eq!(sheet_name("Children in our care: where placed", std::slice::from_ref(&first)), "Children in our care where (2)");
        assert_eq!(sheet_name("Sex", &[]), "Sex");
    }
}
