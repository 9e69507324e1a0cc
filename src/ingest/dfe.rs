//! The DfE's validation rules for the SSDA903 Missing table, as INPUT.md
//! lists them: their codes, the messages the DfE's validator prints, and
//! which tables each needs.

/// A DfE rule for the Missing table (finding rule id `ssda903_<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DfeRule {
    R564,
    R565,
    R566,
    R567,
    R570,
    R571,
    R574,
    R575,
    R577,
    R578,
    R581,
    R586,
    R1004,
    R1005,
    R1006,
    R1012,
    Int04,
    Int13,
}

/// What a rule needs besides the Missing table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    CollectionYear,
    Episodes,
    Header,
}

impl DfeRule {
    pub const ALL: [DfeRule; 18] = [
        DfeRule::R564,
        DfeRule::R565,
        DfeRule::R566,
        DfeRule::R567,
        DfeRule::R570,
        DfeRule::R571,
        DfeRule::R574,
        DfeRule::R575,
        DfeRule::R577,
        DfeRule::R578,
        DfeRule::R581,
        DfeRule::R586,
        DfeRule::R1004,
        DfeRule::R1005,
        DfeRule::R1006,
        DfeRule::R1012,
        DfeRule::Int04,
        DfeRule::Int13,
    ];

    /// The finding's rule id.
    pub fn id(self) -> &'static str {
        match self {
            DfeRule::R564 => "ssda903_564",
            DfeRule::R565 => "ssda903_565",
            DfeRule::R566 => "ssda903_566",
            DfeRule::R567 => "ssda903_567",
            DfeRule::R570 => "ssda903_570",
            DfeRule::R571 => "ssda903_571",
            DfeRule::R574 => "ssda903_574",
            DfeRule::R575 => "ssda903_575",
            DfeRule::R577 => "ssda903_577",
            DfeRule::R578 => "ssda903_578",
            DfeRule::R581 => "ssda903_581",
            DfeRule::R586 => "ssda903_586",
            DfeRule::R1004 => "ssda903_1004",
            DfeRule::R1005 => "ssda903_1005",
            DfeRule::R1006 => "ssda903_1006",
            DfeRule::R1012 => "ssda903_1012",
            DfeRule::Int04 => "ssda903_INT04",
            DfeRule::Int13 => "ssda903_INT13",
        }
    }

    /// The DfE's code, as its validator prints it.
    pub fn code(self) -> &'static str {
        &self.id()["ssda903_".len()..]
    }

    /// The message the DfE's validator prints for the code.
    pub fn message(self) -> &'static str {
        match self {
            DfeRule::R564 => "Child was missing or away from placement without authorisation and the date started is blank.",
            DfeRule::R565 => "The date that the child started to be missing or away from placement without authorisation has been completed but whether the child was missing or away from placement without authorisation has not been completed.",
            DfeRule::R566 => "The date that the child's episode of being missing or away from placement without authorisation ended has been completed but whether the child was missing or away without authorisation has not been completed.",
            DfeRule::R567 => "The date that the missing episode or episode that the child was away from placement without authorisation ended is before the date that it started.",
            DfeRule::R570 => "The date that the child started to be missing or away from placement without authorisation is after the end of the collection year.",
            DfeRule::R571 => "The date that the child ceased to be missing or away from placement without authorisation is before the start or after the end of the collection year.",
            DfeRule::R574 => "A new missing/away from placement without authorisation period cannot start when the previous missing/away from placement without authorisation period is still open. Missing/away from placement without authorisation periods should also not overlap.",
            DfeRule::R575 => "If the placement from which the child goes missing/away from placement without authorisation ends, the missing/away from placement without authorisation period in the missing module must also have an end date.",
            DfeRule::R577 => "Child ceased to be looked after but there is a missing/away from placement without authorisation period without an end date.",
            DfeRule::R578 => "The date that the child started to be missing is after the child ceased to be looked after.",
            DfeRule::R581 => "Child is missing but has not yet started to be looked after.",
            DfeRule::R586 => "Dates of missing periods are before child's date of birth.",
            DfeRule::R1004 => "The start date of the missing episode or episode that the child was away from placement without authorisation is not a valid date.",
            DfeRule::R1005 => "The end date of the missing episode or episode that the child was away from placement without authorisation is not a valid date.",
            DfeRule::R1006 => "Missing type invalid.",
            DfeRule::R1012 => "No other data should be returned for OC3 children who had no episodes in the current year",
            DfeRule::Int04 => "Internal Check: Child in Missing does not exist in Header.",
            DfeRule::Int13 => "Internal Check: DOB in Missing is different to DOB in Header.",
        }
    }

    pub fn needs(self) -> Needs {
        match self {
            DfeRule::R570 | DfeRule::R571 => Needs::CollectionYear,
            DfeRule::R575 | DfeRule::R577 | DfeRule::R578 | DfeRule::R581 | DfeRule::R1012 => Needs::Episodes,
            DfeRule::Int04 | DfeRule::Int13 => Needs::Header,
            _ => Needs::Nothing,
        }
    }

    /// The Missing table's columns the rule is about.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            DfeRule::R564 | DfeRule::R565 => &["MISSING", "MIS_START"],
            DfeRule::R566 => &["MISSING", "MIS_END"],
            DfeRule::R567 | DfeRule::R574 => &["MIS_START", "MIS_END"],
            DfeRule::R570 | DfeRule::R578 | DfeRule::R581 | DfeRule::R586 | DfeRule::R1004 => &["MIS_START"],
            DfeRule::R571 | DfeRule::R575 | DfeRule::R577 | DfeRule::R1005 => &["MIS_END"],
            DfeRule::R1006 => &["MISSING"],
            DfeRule::R1012 | DfeRule::Int04 => &["CHILD"],
            DfeRule::Int13 => &["DOB"],
        }
    }
}
