//! What ingest needs to know besides the files: the counting rules that
//! decide exclusions, the layout, and how to map an extract's columns and
//! values. Built by `config`; ingest never reads the configuration itself.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::field::Field;
use crate::reasons::ReasonVocabulary;
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
    /// Extract column name (trimmed, lower case) -> the canonical column it holds.
    pub columns: BTreeMap<String, MappedColumn>,
    /// Canonical column -> (extract value, trimmed and lower case -> canonical value).
    pub values: BTreeMap<Field, BTreeMap<String, String>>,
    /// Date patterns tried before the shapes INPUT.md reads by itself (checked by `check_date_format`).
    pub date_formats: Vec<String>,
    /// The reason codes a `reason` cell is read into: built-in and the authority's own.
    pub reasons: ReasonVocabulary,
    /// SSDA903: the collection year (2024: 1 April 2023 to 31 March 2024);
    /// `None`: each Missing file's, when its start dates fall in one.
    pub collection_year: Option<i32>,
}

/// A source column `input.columns` maps onto a canonical one.
#[derive(Debug, Clone, PartialEq)]
pub struct MappedColumn {
    pub field: Field,
    /// The source column as the configuration writes it.
    pub written: String,
    /// `file: line N: ` of its key in the configuration, for errors found reading a file.
    pub at: String,
}

/// The layouts ingest reads (`input.layout`, `--layout`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// The canonical episode CSV of INPUT.md (or any extract mapped with input.columns).
    #[default]
    Canonical,
    /// The SSDA903 Missing table (CHILD, DOB, MISSING, MIS_START, MIS_END), one file per year.
    Ssda903,
    /// Standard Safeguarding Dataset: ssd_missing with ssd_person and CLA episodes or a list of looked-after ids.
    Ssd,
}

impl Layout {
    pub fn id(self) -> &'static str {
        match self {
            Layout::Canonical => "canonical",
            Layout::Ssda903 => "ssda903",
            Layout::Ssd => "ssd",
        }
    }
}
