//! What ingest needs to know besides the files: the counting rules that
//! decide exclusions, the layout, and how to map an extract's columns and
//! values. Built by `config`; ingest never reads the configuration itself.

use std::collections::BTreeMap;

use super::layout::Layout;
use crate::rules::CountingRules;

/// How to read the input beyond the files themselves.
#[derive(Debug, Clone, Default)]
pub struct IngestContext {
    pub rules: CountingRules,
    pub layout: Layout,
    pub options: InputOptions,
}

impl IngestContext {
    pub fn new(rules: &CountingRules) -> Self {
        IngestContext { rules: rules.clone(), layout: Layout::Canonical, options: InputOptions::default() }
    }
}

/// How to read input files beyond their layout.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InputOptions {
    /// Worksheet to read from XLSX files (default: the first).
    pub sheet: Option<String>,
    /// Source column name (lower case) -> canonical column name.
    pub columns: BTreeMap<String, String>,
    /// Canonical column -> (source value -> canonical value).
    pub values: BTreeMap<String, BTreeMap<String, String>>,
}
