//! The one error kind a caller branches on: input that cannot be used at all
//! (exit code 2), as opposed to a usage or configuration error (exit code 1).

/// Input that cannot be used at all; the message names file, row and column.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UnusableInput(pub String);

pub(super) fn unusable(message: String) -> anyhow::Error {
    UnusableInput(message).into()
}
