//! The progress bar of long runs (`build --by authority`), on standard
//! error: shown once a run has taken about a second, and never when
//! standard error is not a terminal (a log file or a pipe gets no bar).

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before its bar appears.
const QUIET_FOR: Duration = Duration::from_secs(1);

pub struct Bar {
    bar: ProgressBar,
    started: Instant,
    /// Whether the bar may be drawn: standard error is a terminal.
    terminal: bool,
    shown: Mutex<bool>,
}

impl Bar {
    /// A bar counting `what` (e.g. "papers"), not yet drawn.
    pub fn new(what: &str) -> Bar {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        let template = format!("{{bar:40}} {{pos}}/{{len}} {what} ({{elapsed}}, about {{eta}} to go)");
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style.progress_chars("=> "));
        }
        Bar { bar, started: Instant::now(), terminal: std::io::stderr().is_terminal(), shown: Mutex::new(false) }
    }

    /// `done` of `all` finished (called from any thread).
    pub fn set(&self, done: usize, all: usize) {
        self.bar.set_length(all as u64);
        self.bar.set_position(done as u64);
        if self.terminal && self.started.elapsed() >= QUIET_FOR {
            let mut shown = self.shown.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if !*shown {
                self.bar.set_draw_target(ProgressDrawTarget::stderr());
                *shown = true;
            }
        }
    }

    /// Takes the bar off the terminal, so the summary that follows starts on a clean line.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
