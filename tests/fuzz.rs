//! Fuzzing the commentary converter with proptest: Markdown built from the
//! pieces managers type (and the ones that break parsers: unclosed marks,
//! HTML, Typst syntax, live-figure braces, stray bytes) must give commentary
//! data or an error naming a line, never a panic. Every case runs in CI;
//! `FUZZ_SECONDS=600 cargo test --test fuzz -- --ignored --nocapture` runs
//! for ten minutes and prints how many inputs it tried.

use std::time::{Duration, Instant};

use missing_report::report::commentary::{self, FigureBook, LiveFigure};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("## summary\n".to_string()),
        Just("## all_children\n".to_string()),
        Just("## \n".to_string()),
        Just("# ".to_string()),
        Just("### ".to_string()),
        Just("#### ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("  \n".to_string()),
        Just("- ".to_string()),
        Just("1. ".to_string()),
        Just("   ".to_string()),
        Just("> ".to_string()),
        Just("| a | b |\n|:--|--:|\n| 1 | 2 |\n".to_string()),
        Just("|".to_string()),
        Just("**".to_string()),
        Just("*".to_string()),
        Just("_".to_string()),
        Just("~~".to_string()),
        Just("`".to_string()),
        Just("```\n".to_string()),
        Just("    code\n".to_string()),
        Just("[".to_string()),
        Just("](https://example.org)".to_string()),
        Just("![".to_string()),
        Just("<https://example.org>".to_string()),
        Just("<div>".to_string()),
        Just("<b>".to_string()),
        Just("<label>".to_string()),
        Just("<!-- note -->".to_string()),
        Just("[^1]".to_string()),
        Just("\n[^1]: A note.\n".to_string()),
        Just("{{".to_string()),
        Just("}}".to_string()),
        Just("{{children.year}}".to_string()),
        Just("73%".to_string()),
        Just("1,234".to_string()),
        Just("2024-25".to_string()),
        Just("#set page(width: 1cm)".to_string()),
        Just("$x^2$".to_string()),
        Just("@ref".to_string()),
        Just("\\".to_string()),
        Just("---\n".to_string()),
        Just("Fewer children went missing. ".to_string()),
        Just("é–€\u{200b}".to_string()),
        Just("\r\n".to_string()),
        Just("\t".to_string()),
        "\\PC{0,8}".prop_map(|s| s),
        any::<char>().prop_map(String::from),
    ]
}

fn markdown() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..80).prop_map(|pieces| pieces.concat())
}

/// The converter end to end: parse, fill live figures, check numbers, find
/// starter text, serialise for the template. Errors are fine; they must name a line.
fn convert(text: &str) -> Result<(), TestCaseError> {
    let mut book = FigureBook::default();
    book.figures.insert("children.year".into(), LiveFigure { text: "353".into(), description: "children".into() });
    let candidates = commentary::candidates(&Default::default(), &book);
    match commentary::parse(text, "fuzz.md") {
        Ok(mut file) => {
            if let Err(error) = book.fill(&mut file) {
                prop_assert!(error.to_string().starts_with("fuzz.md:"), "{error}");
                return Ok(());
            }
            let _ = commentary::check(&mut file, &candidates);
            let _ = commentary::starter_slots(&file);
            prop_assert!(serde_json::to_string(&file.commentary()).is_ok());
        }
        Err(error) => prop_assert!(error.to_string().starts_with("fuzz.md"), "{error}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_converter_never_panics(text in markdown()) {
        convert(&text)?;
    }

    /// Plain sentences with emphasis lose no word.
    #[test]
    fn every_word_of_plain_paragraphs_reaches_the_data(words in prop::collection::vec("[a-z]{1,8}", 1..40), marks in prop::collection::vec(0u8..4, 1..40)) {
        let mut text = String::from("## summary\n\n");
        for (word, mark) in words.iter().zip(marks.iter().cycle()) {
            text.push_str(&match mark { 0 => format!("**{word}** "), 1 => format!("*{word}* "), 2 => format!("~~{word}~~ "), _ => format!("{word} ") });
        }
        let file = commentary::parse(&text, "c.md").unwrap();
        let commentary::Block::Paragraph { content } = &file.slots[0].blocks[0] else { panic!("a paragraph") };
        let printed = commentary::plain_text(content);
        prop_assert_eq!(printed.split_whitespace().collect::<Vec<_>>(), words.iter().map(String::as_str).collect::<Vec<_>>());
    }
}

#[test]
#[ignore = "long run: FUZZ_SECONDS=600 cargo test --test fuzz -- --ignored --nocapture"]
fn fuzz_for_a_while() {
    let seconds: u64 = std::env::var("FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    let started = Instant::now();
    let executions = std::cell::Cell::new(0u64);
    let mut round = 0u64;
    while started.elapsed() < Duration::from_secs(seconds) {
        // A fresh runner per round, each from its own seed, so rounds try different inputs.
        let mut seed = [0u8; 32];
        seed[..8].copy_from_slice(&round.to_le_bytes());
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed);
        let mut runner = TestRunner::new_with_rng(Config { cases: 1_000, failure_persistence: None, ..Config::default() }, rng);
        runner
            .run(&markdown(), |text| {
                executions.set(executions.get() + 1);
                convert(&text)
            })
            .unwrap();
        round += 1;
    }
    println!("fuzz: {} inputs in {:.0} s ({round} rounds), no panic", executions.get(), started.elapsed().as_secs_f64());
}
