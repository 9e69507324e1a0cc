//! CSV ingest: any bytes given as an episode file are read into episodes
//! (every row counted or accounted for) or refused with a message; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use missing_report::ingest::{self, IngestContext, InputFile};
use missing_report::rules::CountingRules;

fuzz_target!(|bytes: &[u8]| {
    let files = [InputFile { name: "episodes.csv".into(), bytes: bytes.to_vec() }];
    let context = IngestContext::new(&CountingRules::default());
    if let Ok((episodes, quality)) = ingest::read(&files, &context) {
        // Every row read is either kept or counted among the findings.
        assert!(episodes.frame.height() <= quality.rows_read, "more episodes than rows read");
        let _ = ingest::check_countable(episodes.counted(&context.rules), &quality, &files);
    }
});
