//! The largest input ingest reads, so a hostile or mistaken file (a
//! gigabyte in one cell, a million columns, a huge workbook or a zip bomb
//! named .xlsx) is refused with a message before it can take the machine's
//! memory, instead of being read. The README ("Limits") lists them.

use std::io::Read;

use super::error::unusable;
use crate::format::thousands;

/// An input file: 4 GiB holds about thirty million episodes of CSV.
pub const MAX_FILE_BYTES: u64 = 4 << 30;
/// One row of CSV (a line, or a record whose quoted cells run over lines).
pub const MAX_ROW_BYTES: usize = 16 << 20;
/// Columns of a header row.
pub const MAX_COLUMNS: usize = 10_000;
/// A workbook file: larger extracts read faster, in far less memory, as CSV.
pub const MAX_WORKBOOK_BYTES: usize = 64 << 20;
/// What a workbook's parts unpack to.
pub const MAX_WORKBOOK_UNPACKED: u64 = 512 << 20;

/// A file larger than `MAX_FILE_BYTES`, refused without reading it.
pub fn too_large(name: &str) -> anyhow::Error {
    unusable(format!(
        "{name}: the file holds more than {} bytes, more than an input file is read up to (split the extract by year)",
        thousands(MAX_FILE_BYTES)
    ))
}

/// Refuses text with a line longer than `MAX_ROW_BYTES`, naming the line,
/// before the CSV reader would hold it.
pub fn check_lines(name: &str, text: &str) -> anyhow::Result<()> {
    let bytes = text.as_bytes();
    let (mut start, mut line) = (0, 1);
    // Rows end with \n, \r\n or a lone \r (old Mac files).
    for end in memchr::memchr2_iter(b'\n', b'\r', bytes).chain(std::iter::once(bytes.len())) {
        if end - start > MAX_ROW_BYTES {
            return Err(too_long(name, line, (end - start) as u64));
        }
        start = end + 1;
        if !(bytes.get(end) == Some(&b'\r') && bytes.get(end + 1) == Some(&b'\n')) {
            line += 1;
        }
    }
    Ok(())
}

/// Refuses a record (of any number of lines) longer than `MAX_ROW_BYTES`.
pub fn check_record(name: &str, row: usize, record: &csv::StringRecord) -> anyhow::Result<()> {
    let length = record.as_slice().len();
    if length > MAX_ROW_BYTES {
        return Err(too_long(name, row, length as u64));
    }
    Ok(())
}

fn too_long(name: &str, row: usize, bytes: u64) -> anyhow::Error {
    unusable(format!(
        "{name}: row {row} holds {} bytes; a row is read only up to {} bytes (is a free-text column holding a whole document?)",
        thousands(bytes),
        thousands(MAX_ROW_BYTES as u64)
    ))
}

/// Refuses a header of more than `MAX_COLUMNS` columns.
pub fn check_columns(name: &str, columns: usize) -> anyhow::Result<()> {
    if columns > MAX_COLUMNS {
        return Err(unusable(format!(
            "{name}: the header has {} columns; a file is read only up to {} columns (is it the episode extract?)",
            thousands(columns as u64),
            thousands(MAX_COLUMNS as u64)
        )));
    }
    Ok(())
}

/// Refuses a workbook file larger than `MAX_WORKBOOK_BYTES`, or whose parts
/// unpack to more than `MAX_WORKBOOK_UNPACKED` (counted by unpacking them,
/// not from the sizes the archive declares, which a zip bomb can fake).
pub fn check_workbook(name: &str, bytes: &[u8]) -> anyhow::Result<()> {
    if bytes.len() > MAX_WORKBOOK_BYTES {
        return Err(unusable(format!(
            "{name}: the workbook holds {} bytes; workbooks are read only up to {} bytes: save the sheet as CSV UTF-8 and give that instead",
            thousands(bytes.len() as u64),
            thousands(MAX_WORKBOOK_BYTES as u64)
        )));
    }
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        // Not a readable archive: the workbook reader says what is wrong with it.
        return Ok(());
    };
    let mut unpacked = 0u64;
    for index in 0..archive.len() {
        let Ok(part) = archive.by_index(index) else { return Ok(()) };
        let left = MAX_WORKBOOK_UNPACKED - unpacked;
        unpacked += std::io::copy(&mut part.take(left + 1), &mut std::io::sink()).unwrap_or(0);
        if unpacked > MAX_WORKBOOK_UNPACKED {
            return Err(unusable(format!(
                "{name}: the workbook unpacks to more than {} bytes (a zip bomb, or a sheet far larger than an extract): save the sheet as CSV UTF-8 and give that instead",
                thousands(MAX_WORKBOOK_UNPACKED)
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_over_the_limit_is_refused_with_its_number() {
        let long = "x".repeat(MAX_ROW_BYTES + 1);
        let text = format!("a,b\r\n1,2\r\n{long}\r\n3,4\r\n");
        let error = check_lines("e.csv", &text).unwrap_err().to_string();
        assert!(error.starts_with("e.csv: row 3 holds 16,777,217 bytes"), "{error}");
        assert!(check_lines("e.csv", &format!("a,b\n{}\n", "x".repeat(MAX_ROW_BYTES))).is_ok());
        assert!(check_columns("e.csv", MAX_COLUMNS).is_ok());
        assert!(check_columns("e.csv", MAX_COLUMNS + 1).unwrap_err().to_string().contains("10,001 columns"));
        assert!(too_large("e.csv").to_string().contains("more than 4,294,967,296 bytes"));
    }
}
