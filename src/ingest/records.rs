//! A file's rows after its header, whatever the format: CSV records read in
//! chunks into reused records (a million-row extract is never held as a
//! million records), or the rows of a workbook.

use anyhow::Result;

use super::decode::{Cells, Content};
use super::error::unusable;
use super::file::InputFile;
use super::limits;

/// A file's records after the header: CSV records read one at a time, or workbook rows.
pub(super) enum Rows<'a> {
    Csv(CsvRecords<'a>),
    Workbook(&'a [(usize, Vec<String>)]),
}

impl Rows<'_> {
    /// Calls `f` with every row at once, whatever the format: for the
    /// companion files of a layout and the DfE's checks, which look across
    /// rows. A CSV file's records are read into memory first.
    pub(super) fn with_all<T>(self, f: impl FnOnce(&mut dyn Iterator<Item = (usize, &dyn Cells)>) -> T) -> Result<T> {
        Ok(match self {
            Rows::Csv(records) => {
                let records = records.collect()?;
                f(&mut records.iter().map(|(n, r)| (*n, r as &dyn Cells)))
            }
            Rows::Workbook(rows) => f(&mut rows.iter().map(|(n, r)| (*n, r as &dyn Cells))),
        })
    }
}

/// The CSV records after the header, read into one reused record, so a
/// million-row extract is never held as a million records.
pub(super) struct CsvRecords<'a> {
    reader: csv::Reader<&'a [u8]>,
    file: &'a str,
}

impl CsvRecords<'_> {
    /// Calls `f` with up to `size` records at a time, each with its
    /// spreadsheet row (header = 1); the records' memory is reused from chunk
    /// to chunk. A record that cannot be read stops the run with an error
    /// naming its row; nothing is written before every stage has succeeded.
    pub(super) fn for_each_chunk(mut self, size: usize, mut f: impl FnMut(&[(usize, csv::StringRecord)])) -> Result<()> {
        let mut chunk: Vec<(usize, csv::StringRecord)> = Vec::new();
        let mut row = 1;
        let mut more = true;
        while more {
            let mut filled = 0;
            while filled < size {
                if filled == chunk.len() {
                    chunk.push((0, csv::StringRecord::new()));
                }
                row += 1;
                let (number, record) = &mut chunk[filled];
                match self.reader.read_record(record) {
                    Ok(true) => {
                        limits::check_record(self.file, row, record)?;
                        *number = row;
                        filled += 1;
                    }
                    Ok(false) => {
                        more = false;
                        break;
                    }
                    Err(e) => return Err(record_error(self.file, row, e)),
                }
            }
            f(&chunk[..filled]);
        }
        Ok(())
    }

    /// Every record with its row.
    fn collect(self) -> Result<Vec<(usize, csv::StringRecord)>> {
        let mut records = Vec::new();
        self.for_each_chunk(PARSE_CHUNK, |chunk| records.extend(chunk.iter().cloned()))?;
        Ok(records)
    }
}

pub(super) fn record_error(file: &str, row: usize, error: csv::Error) -> anyhow::Error {
    match error.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            unusable(format!("{file}: row {row}: {len} fields where the header has {expected_len}; fix or remove this row"))
        }
        _ => unusable(format!("{file}: row {row}: cannot read the row: {error}")),
    }
}

/// Calls `f` with the header and the records of `content`.
pub(super) fn with_rows<T>(file: &InputFile, content: &Content, f: impl FnOnce(&[String], Rows<'_>) -> Result<T>) -> Result<T> {
    match content {
        Content::Text { text, delimiter } => {
            let mut reader =
                csv::ReaderBuilder::new().has_headers(false).delimiter(*delimiter).flexible(false).from_reader(text.as_bytes());
            let mut header = csv::StringRecord::new();
            match reader.read_record(&mut header) {
                Ok(true) => {}
                Ok(false) => return Err(unusable(format!("{}: the file is empty (no header row)", file.name))),
                Err(e) => return Err(unusable(format!("{}: row 1: cannot read the header: {e}", file.name))),
            }
            limits::check_columns(&file.name, header.len())?;
            let header: Vec<String> = header.iter().map(str::to_string).collect();
            f(&header, Rows::Csv(CsvRecords { reader, file: &file.name }))
        }
        Content::Workbook { rows } => {
            let Some(((_, header), records)) = rows.split_first() else {
                return Err(unusable(format!("{}: the sheet is empty (no header row)", file.name)));
            };
            limits::check_columns(&file.name, header.len())?;
            f(header, Rows::Workbook(records))
        }
    }
}

/// Rows parsed together before they are applied: large enough to keep both
/// cores busy, small enough that a chunk's records stay in cache.
pub(super) const PARSE_CHUNK: usize = 32_768;

/// Whether `rows` rows are enough to be worth splitting over threads (and
/// there is more than one core to split them over).
pub(super) fn worth_threads(rows: usize) -> bool {
    rows >= 4096 && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
}
