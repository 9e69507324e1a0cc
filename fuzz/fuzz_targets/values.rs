//! The date and value parsers: the first line is a date pattern
//! (`input.date_formats`), each further line a cell. Nothing panics, and a
//! date read in any shape reads back the same from its ISO form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use missing_report::ingest::{self, Field};
use missing_report::reasons::ReasonVocabulary;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let mut lines = text.split('\n');
    let pattern = lines.next().unwrap_or_default();
    let formats: Vec<String> = ingest::check_date_format(pattern).is_ok().then(|| pattern.to_string()).into_iter().collect();
    let vocabulary = ReasonVocabulary::default();
    let cells: Vec<&str> = lines.collect();
    for cell in &cells {
        if let Some(read) = ingest::parse_timestamp(cell) {
            let iso = read.format("%Y-%m-%d %H:%M:%S").to_string();
            assert_eq!(ingest::parse_timestamp(&iso), Some(read), "{cell:?} read as {read}, which reads back differently from {iso}");
        }
        let _ = ingest::parse_with_formats(cell, &formats);
        let _ = ingest::parse_yes_no(cell);
        let _ = ingest::ethnicity_group(Some(cell));
        for field in Field::ALL {
            let _ = ingest::mapped_value_problem(field, cell, &vocabulary);
        }
    }
    let _ = ingest::suggest_date_format(&cells);
});
