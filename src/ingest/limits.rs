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

/// Watches an input file as it is read, so that a row longer than
/// `MAX_ROW_BYTES` or a workbook larger than `MAX_WORKBOOK_BYTES` stops the
/// read at once, before the rest of the file is held in memory.
pub struct Watch<'a> {
    name: &'a str,
    /// Decided by the first bytes: CSV text is read by rows, a workbook by size.
    kind: Option<Kind>,
    /// The row being read (header = 1), its bytes so far, and whether the
    /// last piece ended in `\r` (a `\n` opening the next one ends no new row).
    row: usize,
    run: usize,
    cr_ended: bool,
    read: usize,
    refusal: Option<anyhow::Error>,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Workbook,
}

impl<'a> Watch<'a> {
    pub fn new(name: &'a str) -> Self {
        Watch { name, kind: None, row: 1, run: 0, cr_ended: false, read: 0, refusal: None }
    }

    /// Takes the next piece of the file: false when reading must stop.
    pub fn piece(&mut self, bytes: &[u8]) -> bool {
        let kind = *self.kind.get_or_insert(if bytes.starts_with(b"PK\x03\x04") { Kind::Workbook } else { Kind::Text });
        self.read += bytes.len();
        if kind == Kind::Workbook {
            if self.read > MAX_WORKBOOK_BYTES {
                self.refusal = Some(workbook_too_large(self.name));
            }
            return self.refusal.is_none();
        }
        // Rows end with \n, \r\n or a lone \r (old Mac files).
        let mut start = 0;
        for end in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            // The \n of a \r\n ends the row; its \r (in this piece or the last) does not.
            let crlf_tail = end == 0 && self.cr_ended && bytes[0] == b'\n';
            let crlf_head = bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n');
            self.run += end - start;
            if self.run > MAX_ROW_BYTES {
                self.refusal = Some(too_long(self.name, self.row));
                return false;
            }
            if !(crlf_tail || crlf_head) {
                self.row += 1;
            }
            self.run = 0;
            start = end + 1;
        }
        self.run += bytes.len() - start;
        self.cr_ended = bytes.last() == Some(&b'\r');
        if self.run > MAX_ROW_BYTES {
            self.refusal = Some(too_long(self.name, self.row));
        }
        self.refusal.is_none()
    }

    /// Why reading stopped, if it did.
    pub fn refusal(self) -> Option<anyhow::Error> {
        self.refusal
    }
}

/// Refuses a record (of any number of lines) longer than `MAX_ROW_BYTES`.
pub fn check_record(name: &str, row: usize, record: &csv::StringRecord) -> anyhow::Result<()> {
    if record.as_slice().len() > MAX_ROW_BYTES {
        return Err(too_long(name, row));
    }
    Ok(())
}

fn too_long(name: &str, row: usize) -> anyhow::Error {
    unusable(format!(
        "{name}: row {row} is longer than {} bytes, the most a row is read up to (is a free-text column holding a whole document?)",
        thousands(MAX_ROW_BYTES as u64)
    ))
}

fn workbook_too_large(name: &str) -> anyhow::Error {
    unusable(format!(
        "{name}: the workbook is larger than {} bytes, the most a workbook is read up to: save the sheet as CSV UTF-8 and give that instead",
        thousands(MAX_WORKBOOK_BYTES as u64)
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
        return Err(workbook_too_large(name));
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
    fn a_row_over_the_limit_stops_the_read_at_its_number_whatever_the_pieces() {
        let long = "x".repeat(MAX_ROW_BYTES + 1);
        let text = format!("a,b\r\n1,2\r\n{long}\r\n3,4\r\n");
        for piece in [7, 1 << 20, text.len()] {
            let mut watch = Watch::new("e.csv");
            let read_on = text.as_bytes().chunks(piece).all(|p| watch.piece(p));
            assert!(!read_on, "pieces of {piece}");
            let error = watch.refusal().unwrap().to_string();
            assert!(error.starts_with("e.csv: row 3 is longer than 16,777,216 bytes"), "pieces of {piece}: {error}");
        }
        // \r\n split between pieces ends one row, and a row of exactly the limit is read.
        let text = format!("a\r\nb\r{}\n", "x".repeat(MAX_ROW_BYTES));
        let mut watch = Watch::new("e.csv");
        assert!(text.as_bytes().chunks(2).all(|p| watch.piece(p)));
        assert_eq!(watch.row, 4);
        let mut watch = Watch::new("w.xlsx");
        assert!(watch.piece(b"PK\x03\x04"));
        assert!(!watch.piece(&vec![0; MAX_WORKBOOK_BYTES]));
        assert!(watch.refusal().unwrap().to_string().contains("w.xlsx: the workbook is larger than 67,108,864 bytes"));
        assert!(check_columns("e.csv", MAX_COLUMNS).is_ok());
        assert!(check_columns("e.csv", MAX_COLUMNS + 1).unwrap_err().to_string().contains("10,001 columns"));
        assert!(too_large("e.csv").to_string().contains("more than 4,294,967,296 bytes"));
    }
}
