//! The SSDA903 and SSD readers: the first byte picks the layout, the rest is
//! split at ASCII record separators (0x1E) into the files of a return or an
//! extract (each reader recognises its tables by their headers). They are
//! read into episodes or refused with a message; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use missing_report::ingest::{self, IngestContext, InputFile, Layout};
use missing_report::rules::CountingRules;

fuzz_target!(|bytes: &[u8]| {
    let Some((&choice, rest)) = bytes.split_first() else { return };
    let layout = if choice % 2 == 0 { Layout::Ssda903 } else { Layout::Ssd };
    let files: Vec<InputFile> = rest
        .split(|b| *b == 0x1e)
        .take(4)
        .enumerate()
        .map(|(i, part)| InputFile { name: format!("table{i}.csv"), bytes: part.to_vec() })
        .collect();
    let context = IngestContext { layout, ..IngestContext::new(&CountingRules::default()) };
    if let Ok((episodes, quality)) = ingest::read(&files, &context) {
        assert!(episodes.frame.height() <= quality.rows_read, "more episodes than rows read");
    }
});
