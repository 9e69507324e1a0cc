//! The child identifiers as the source system holds them, kept only for the
//! restricted watchlist: every other reader of the episodes sees the numbers
//! that stand for the children (`Episodes`' `child` column), never these.

use rustc_hash::FxHashMap;

/// Each child's identifier by the number standing for it in `Episodes`.
/// Deliberately neither `Debug`, `Clone` nor serialisable: it is read
/// through `identifier` by the watchlist alone, and dropped with it.
pub struct ChildIdentifiers {
    /// Index: the child's number; the key as ingest held it.
    by_number: Vec<String>,
    /// The extract had an `authority` column: each key is authority and identifier.
    regional: bool,
}

/// What separates a regional extract's authority from the child identifier
/// in ingest's key (each authority's children are its own).
pub(super) const AUTHORITY_SEPARATOR: char = '\u{1f}';

/// A child as the source system names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildIdentifier<'a> {
    /// The `authority` cell of a regional extract; `None` for one authority's extract.
    pub authority: Option<&'a str>,
    pub id: &'a str,
}

impl ChildIdentifiers {
    /// Turns ingest's identifier → number map round.
    pub(super) fn from_numbers(numbers: FxHashMap<String, u32>, regional: bool) -> Self {
        let mut by_number = vec![String::new(); numbers.len()];
        for (key, number) in numbers {
            by_number[number as usize] = key;
        }
        ChildIdentifiers { by_number, regional }
    }

    /// The identifier of the child numbered `child`.
    pub fn identifier(&self, child: u32) -> Option<ChildIdentifier<'_>> {
        let key = self.by_number.get(child as usize)?;
        // Only a regional extract's keys are split: an identifier may hold any character.
        Some(match key.split_once(AUTHORITY_SEPARATOR).filter(|_| self.regional) {
            Some((authority, id)) => ChildIdentifier { authority: Some(authority), id },
            None => ChildIdentifier { authority: None, id: key },
        })
    }

    /// Whether the children came from a regional extract (an `authority` column).
    pub fn regional(&self) -> bool {
        self.regional
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_turn_back_into_identifiers_with_the_authority_split_off() {
        let mut numbers = FxHashMap::default();
        numbers.insert("C-104".to_string(), 1);
        numbers.insert(format!("Northmoor{AUTHORITY_SEPARATOR}C-9"), 0);
        let identifiers = ChildIdentifiers::from_numbers(numbers.clone(), true);
        assert_eq!(identifiers.identifier(0), Some(ChildIdentifier { authority: Some("Northmoor"), id: "C-9" }));
        assert_eq!(identifiers.identifier(1), Some(ChildIdentifier { authority: None, id: "C-104" }));
        assert_eq!(identifiers.identifier(2), None);
        assert!(identifiers.regional());
        // Not a regional extract: an identifier holding the separator stays whole.
        let one = ChildIdentifiers::from_numbers(numbers, false);
        assert_eq!(one.identifier(0), Some(ChildIdentifier { authority: None, id: "Northmoor\u{1f}C-9" }));
    }
}
