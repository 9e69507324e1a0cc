//! The canonical columns of INPUT.md: the names every layout is mapped onto.

/// The canonical columns of INPUT.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    EpisodeId,
    ChildId,
    DateOfBirth,
    Sex,
    Ethnicity,
    LookedAfter,
    OtherLa,
    PlacementArea,
    Uasc,
    EpisodeType,
    Start,
    End,
    Reason,
    CseRisk,
    CceRisk,
    RhiOffered,
    RhiOutcome,
    RhiCompleted,
    /// The responsible authority, in a regional extract holding several.
    Authority,
}

impl Field {
    pub const ALL: [Field; 19] = [
        Field::EpisodeId,
        Field::ChildId,
        Field::DateOfBirth,
        Field::Sex,
        Field::Ethnicity,
        Field::LookedAfter,
        Field::OtherLa,
        Field::PlacementArea,
        Field::Uasc,
        Field::EpisodeType,
        Field::Start,
        Field::End,
        Field::Reason,
        Field::CseRisk,
        Field::CceRisk,
        Field::RhiOffered,
        Field::RhiOutcome,
        Field::RhiCompleted,
        Field::Authority,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Field::EpisodeId => "episode_id",
            Field::ChildId => "child_id",
            Field::DateOfBirth => "date_of_birth",
            Field::Sex => "sex",
            Field::Ethnicity => "ethnicity",
            Field::LookedAfter => "looked_after",
            Field::OtherLa => "other_la",
            Field::PlacementArea => "placement_area",
            Field::Uasc => "uasc",
            Field::EpisodeType => "episode_type",
            Field::Start => "start",
            Field::End => "end",
            Field::Reason => "reason",
            Field::CseRisk => "cse_risk",
            Field::CceRisk => "cce_risk",
            Field::RhiOffered => "rhi_offered",
            Field::RhiOutcome => "rhi_outcome",
            Field::RhiCompleted => "rhi_completed",
            Field::Authority => "authority",
        }
    }

    pub fn required(self) -> bool {
        matches!(self, Field::EpisodeId | Field::ChildId | Field::LookedAfter | Field::Start)
    }
}
