//! Turns a file's bytes into rows of text cells, whatever it is: CSV (comma,
//! semicolon or tab; UTF-8 with or without a byte-order mark, or
//! Windows-1252; CRLF; quoted fields with delimiters and newlines) or an XLSX
//! workbook (first sheet or a named one; date cells as ISO text). Files that
//! are neither are refused with a message saying what they look like.

use std::borrow::Cow;
use std::io::Cursor;

use anyhow::Result;
use calamine::{Data, Reader};

use super::error::unusable;
use super::file::InputFile;
use super::limits;

/// A file's content, ready to be walked row by row. UTF-8 text borrows the
/// file's bytes; only transcoded or cleaned text is a copy.
pub enum Content<'a> {
    Text {
        text: Cow<'a, str>,
        delimiter: u8,
    },
    /// (spreadsheet row number, cells) from the header row on.
    Workbook {
        rows: Vec<(usize, Vec<String>)>,
    },
}

/// What reading the file noticed that the user should hear about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadNotes {
    /// The file was not UTF-8 and was decoded as Windows-1252.
    pub transcoded: bool,
    /// NUL bytes removed.
    pub nul_bytes: usize,
}

/// Row cells by position.
pub trait Cells {
    fn cell(&self, index: usize) -> Option<&str>;
    /// A row with nothing in it, skipped rather than read (workbooks often
    /// have blank rows below or within a table).
    fn is_blank_row(&self) -> bool;
}

impl Cells for csv::StringRecord {
    fn cell(&self, index: usize) -> Option<&str> {
        self.get(index)
    }
    /// A CSV record is a row even when its fields are empty.
    fn is_blank_row(&self) -> bool {
        false
    }
}

impl Cells for Vec<String> {
    fn cell(&self, index: usize) -> Option<&str> {
        self.get(index).map(String::as_str)
    }
    fn is_blank_row(&self) -> bool {
        self.iter().all(|c| c.trim().is_empty())
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0";

fn is_workbook_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".xlsx") || lower.ends_with(".xlsm")
}

/// Reads a file's bytes into `Content`; `sheet` names the worksheet of a workbook.
pub fn open<'a>(file: &'a InputFile, sheet: Option<&str>) -> Result<(Content<'a>, ReadNotes)> {
    let bytes = &file.bytes;
    if bytes.starts_with(OLE_MAGIC) {
        return Err(unusable(format!("{}: this looks like an old Excel .xls workbook; save it as .xlsx or as CSV UTF-8", file.name)));
    }
    if bytes.starts_with(ZIP_MAGIC) {
        if !is_workbook_name(&file.name) {
            return Err(unusable(format!(
                "{}: this looks like an XLSX workbook, not CSV text; give it an .xlsx name (or save it as CSV UTF-8)",
                file.name
            )));
        }
        limits::check_workbook(&file.name, bytes)?;
        return Ok((open_workbook(file, sheet)?, ReadNotes::default()));
    }
    if is_workbook_name(&file.name) {
        return Err(unusable(format!("{}: the file is named as a workbook but is not an XLSX file", file.name)));
    }
    open_text(file)
}

fn open_text(file: &InputFile) -> Result<(Content<'_>, ReadNotes)> {
    let mut notes = ReadNotes::default();
    let bytes = file.bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&file.bytes);
    let sample = &bytes[..bytes.len().min(4096)];
    let control = sample.iter().filter(|b| **b < 0x20 && !matches!(**b, b'\t' | b'\r' | b'\n')).count();
    if control * 10 > sample.len().max(1) {
        return Err(unusable(format!("{}: this does not look like a CSV text file (it holds binary data)", file.name)));
    }
    let mut text = match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            notes.transcoded = true;
            encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0
        }
    };
    if text.contains('\0') {
        notes.nul_bytes = text.matches('\0').count();
        text.to_mut().retain(|c| c != '\0');
    }
    if text.trim().is_empty() {
        return Err(unusable(format!("{}: the file is empty (no header row)", file.name)));
    }
    let delimiter = detect_delimiter(&text);
    Ok((Content::Text { text, delimiter }, notes))
}

/// Comma, semicolon or tab: whichever the header line holds most of.
fn detect_delimiter(text: &str) -> u8 {
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    [b',', b';', b'\t'].into_iter().max_by_key(|d| (first_line.bytes().filter(|b| b == d).count(), *d == b',')).unwrap_or(b',')
}

/// Opens a workbook with calamine. The reader is a dependency's parser given
/// bytes from outside: a panic inside it (an overflow on a damaged sheet
/// dimension, found by fuzzing) means a file that cannot be read, not a crash.
fn open_workbook(file: &InputFile, sheet: Option<&str>) -> Result<Content<'static>> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_workbook(file, sheet)));
    std::panic::set_hook(hook);
    read.unwrap_or_else(|_| {
        Err(unusable(format!(
            "{}: the workbook is damaged and cannot be read; open it in Excel and save it again, or save the sheet as CSV UTF-8",
            file.name
        )))
    })
}

fn read_workbook(file: &InputFile, sheet: Option<&str>) -> Result<Content<'static>> {
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(file.bytes.clone()))
        .map_err(|e| unusable(format!("{}: cannot open the workbook: {e}", file.name)))?;
    let names = workbook.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(wanted))
            .cloned()
            .ok_or_else(|| unusable(format!("{}: no sheet named `{wanted}` (sheets: {})", file.name, names.join(", "))))?,
        None => names.first().cloned().ok_or_else(|| unusable(format!("{}: the workbook has no sheets", file.name)))?,
    };
    let range = workbook.worksheet_range(&name).map_err(|e| unusable(format!("{}: cannot read sheet `{name}`: {e}", file.name)))?;
    let first_row = range.start().map(|(row, _)| row as usize).unwrap_or(0);
    let first_column = range.start().map(|(_, column)| column as usize).unwrap_or(0);
    limits::check_columns(&file.name, first_column + range.width())?;
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        // Cells to the left of the used range are empty in the sheet too.
        let mut cells = vec![String::new(); first_column];
        cells.extend(row.iter().map(cell_text));
        rows.push((first_row + i + 1, cells));
    }
    // The header is the first row with at least two non-blank cells (titles above a table are skipped).
    let header_at = rows.iter().position(|(_, cells)| cells.iter().filter(|c| !c.trim().is_empty()).count() >= 2);
    match header_at {
        Some(at) => {
            rows.drain(..at);
            // Trailing blank rows are not records.
            while rows.last().is_some_and(|(_, cells)| cells.iter().all(|c| c.trim().is_empty())) {
                rows.pop();
            }
            Ok(Content::Workbook { rows })
        }
        None => Err(unusable(format!("{}: sheet `{name}` has no header row", file.name))),
    }
}

/// A workbook cell as the text a CSV export would hold; dates and times as ISO.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) => {
                // Excel stores times as fractions of a day: round to the second.
                let rounded = t + chrono::Duration::milliseconds(500);
                rounded.format("%Y-%m-%d %H:%M:%S").to_string()
            }
            None => dt.as_f64().to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_delimiter_from_the_header_line() {
        assert_eq!(detect_delimiter("a;b;c\n1,2;3;4\n"), b';');
        assert_eq!(detect_delimiter("\n\na\tb\tc\n"), b'\t');
        assert_eq!(detect_delimiter("a,b,c\n"), b',');
        assert_eq!(detect_delimiter("single\n"), b',');
    }
}
