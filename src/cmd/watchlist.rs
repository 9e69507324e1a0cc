//! `missing-report watchlist`: claim the restricted folder, make the list,
//! write it there readable by the owner only, and say how to handle it.

use anyhow::Result;
use missing_report::config::Config;
use missing_report::output::RestrictedFolder;
use missing_report::period::long_date;
use missing_report::watchlist::{AsOf, CSV_NAME, PDF_NAME};

use crate::cli::WatchlistArgs;

pub fn run(args: &WatchlistArgs) -> Result<()> {
    let config = Config::load(args.input.config.as_deref(), args.input.overrides())?;
    // Claimed before any work: a refused folder costs nothing.
    let folder = RestrictedFolder::claim(&args.out, &[PDF_NAME, CSV_NAME], &config.output)?;
    let as_of = match (args.period, args.as_of) {
        (Some(month), _) => AsOf::Month(month),
        (None, Some(date)) => AsOf::Date(date),
        (None, None) => AsOf::Latest,
    };
    let list = missing_report::watchlist(&config, as_of)?;
    folder.write(&list.files)?;
    if config.example_data {
        println!("EXAMPLE DATA: the fictional children of the bundled example");
    }
    let window = list.window;
    let children = |n: usize| if n == 1 { "1 child".to_string() } else { format!("{n} children") };
    println!(
        "watchlist as at {} ({} to {}): {}",
        long_date(window.as_of),
        long_date(window.first_day),
        long_date(window.as_of),
        children(list.children)
    );
    for (trigger, found) in &list.by_trigger {
        match found {
            Ok(met) => println!("  {trigger}: {}", children(*met)),
            Err(why) => println!("  {trigger}: not checked, {why}"),
        }
    }
    for file in &list.files {
        println!("wrote {}", folder.path().join(&file.path).display());
    }
    println!(
        "  OFFICIAL-SENSITIVE: these files name children. They are readable by you only (mode 0600, folder 0700); share them only with those deciding on strategy meetings, never attach them to a committee paper, and delete them when the next list replaces them."
    );
    Ok(())
}
