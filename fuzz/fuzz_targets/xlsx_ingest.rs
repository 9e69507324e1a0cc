//! XLSX ingest: any bytes given as a workbook (a zip, a renamed CSV, a zip
//! bomb) are read into episodes or refused with a message; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use missing_report::ingest::{self, IngestContext, InputFile};
use missing_report::rules::CountingRules;

fuzz_target!(|bytes: &[u8]| {
    let files = [InputFile { name: "episodes.xlsx".into(), bytes: bytes.to_vec() }];
    let context = IngestContext::new(&CountingRules::default());
    if let Ok((episodes, quality)) = ingest::read(&files, &context) {
        assert!(episodes.frame.height() <= quality.rows_read, "more episodes than rows read");
    }
});
