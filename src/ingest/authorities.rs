//! A regional extract split by its `authority` column (`build --by
//! authority`): every file is opened and walked once, each row goes to its
//! authority's share with its own row number, and each share is then read
//! exactly as a file holding only those rows would be, so an authority's
//! figures and findings are those of its rows alone.

use std::collections::BTreeMap;

use anyhow::{bail, Result};

use super::context::{IngestContext, Layout};
use super::decode::{Cells, Content};
use super::episodes::Episodes;
use super::error::unusable;
use super::field::Field;
use super::file::InputFile;
use super::layout::{self, Locator};
use super::quality::DataQuality;
use super::read::{open_inputs, read_opened, OpenedInputs, SelectedRows};
use super::records::{with_rows, Rows, PARSE_CHUNK};
use super::values::{is_blank, trim_cell};

/// The files of a regional extract, opened once, and each authority's rows.
pub struct RegionalExtract<'a> {
    opened: OpenedInputs<'a>,
    /// By authority name (as the column writes it, trimmed), in name order:
    /// one entry per episode file.
    shares: Vec<(String, Vec<SelectedRows>)>,
}

impl RegionalExtract<'_> {
    /// The authorities, in name order.
    pub fn authorities(&self) -> impl Iterator<Item = &str> {
        self.shares.iter().map(|(name, _)| name.as_str())
    }

    pub fn len(&self) -> usize {
        self.shares.len()
    }

    pub fn is_empty(&self) -> bool {
        self.shares.is_empty()
    }

    /// The episodes and findings of the `index`th authority's rows.
    pub fn read(&self, index: usize, context: &IngestContext) -> Result<(Episodes, DataQuality)> {
        let (_, selection) = &self.shares[index];
        read_opened(&self.opened, context, Some(selection)).map(|(episodes, quality, ..)| (episodes, quality))
    }
}

/// Opens `files` and gives every row to the authority its `authority` cell
/// names. A row with no authority stops the run: it would belong to no pack.
pub fn split_by_authority<'a>(files: &'a [InputFile], context: &IngestContext) -> Result<RegionalExtract<'a>> {
    if context.layout != Layout::Canonical {
        bail!("--by authority reads the canonical layout with an `authority` column (input.layout is {:?})", context.layout);
    }
    let opened = open_inputs(files, context)?;
    let mut shares: BTreeMap<String, Vec<SelectedRows>> = BTreeMap::new();
    for (position, (file, content, _)) in opened.episode_files.iter().enumerate() {
        with_rows(file, content, |header, rows| {
            let mapping = layout::mapping(context.layout, header, &context.options, &file.name, None)?;
            let Some(Locator::Column(column)) = mapping.fields.get(&Field::Authority).cloned() else {
                bail!(unusable(format!(
                    "{}: row 1: no `authority` column; --by authority needs one naming each row's authority (or map a column onto it with input.columns)",
                    file.name
                )));
            };
            let column_name = header[column].trim().to_string();
            // Read as the rows' ids are scoped (`row.rs`): `input.values.authority` applies, and N/A or NULL is blank.
            let values = mapping.values.get(&Field::Authority);
            let authority_of = |row: usize, cells: &dyn Cells| -> Result<Option<String>> {
                if cells.is_blank_row() {
                    return Ok(None);
                }
                let cell = cells.cell(column).map(trim_cell).unwrap_or_default();
                let name = values.and_then(|map| map.get(&cell.to_lowercase())).map_or(cell, |mapped| mapped.trim());
                if is_blank(name) {
                    bail!(unusable(format!(
                        "{}: row {row}: column `{column_name}` is blank; with --by authority every row needs the authority whose pack it belongs to",
                        file.name
                    )));
                }
                Ok(Some(name.to_string()))
            };
            match rows {
                Rows::Csv(records) => {
                    let mut failure = None;
                    records.for_each_chunk(PARSE_CHUNK, |chunk| {
                        for (row, record) in chunk {
                            match authority_of(*row, record) {
                                Ok(Some(name)) => {
                                    if let SelectedRows::Csv(rows) = share_of(&mut shares, name, &opened, position) {
                                        rows.push((*row, record.clone()));
                                    }
                                }
                                Ok(None) => {}
                                Err(error) => {
                                    failure.get_or_insert(error);
                                }
                            }
                        }
                    })?;
                    if let Some(error) = failure {
                        return Err(error);
                    }
                }
                Rows::Workbook(rows) => {
                    for (row, cells) in rows {
                        if let Some(name) = authority_of(*row, cells)? {
                            if let SelectedRows::Workbook(rows) = share_of(&mut shares, name, &opened, position) {
                                rows.push((*row, cells.clone()));
                            }
                        }
                    }
                }
            }
            Ok(())
        })?;
    }
    if shares.is_empty() {
        bail!(unusable(format!("{}: no rows to split by authority", InputFile::names(files))));
    }
    Ok(RegionalExtract { opened, shares: shares.into_iter().collect() })
}

/// The authority's share of the episode file at `position`, made on its first row.
fn share_of<'s>(
    shares: &'s mut BTreeMap<String, Vec<SelectedRows>>,
    name: String,
    opened: &OpenedInputs<'_>,
    position: usize,
) -> &'s mut SelectedRows {
    &mut shares.entry(name).or_insert_with(|| empty_shares(opened))[position]
}

/// No rows yet of any episode file, each file's share of the kind its content is.
fn empty_shares(opened: &OpenedInputs<'_>) -> Vec<SelectedRows> {
    opened
        .episode_files
        .iter()
        .map(|(_, content, _)| match content {
            Content::Text { .. } => SelectedRows::Csv(Vec::new()),
            Content::Workbook { .. } => SelectedRows::Workbook(Vec::new()),
        })
        .collect()
}
