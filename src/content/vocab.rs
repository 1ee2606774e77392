//! The fixed vocabularies of front matter: kinds of documents, their stance on detaining
//! children, types of partner organisations and regions. Each value has its key (as written
//! in front matter) and the labels the site shows in English. Pages in every language take
//! their labels from the interface strings, whose key is the type's `STRINGS` prefix and the
//! value's key (`kind-general-comment`, `partner-type-un-agency`, with `-one` for the
//! singular); these English labels are what a theme without those strings shows.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ResolutionKind {
    Resolution,
    Declaration,
    GeneralComment,
    AdvisoryOpinion,
    Report,
    DayOfGeneralDiscussion,
    Compact,
    Guidelines,
    Other,
}

impl ResolutionKind {
    /// The interface strings' key of a value is this and its key.
    pub const STRINGS: &str = "kind-";
    pub const ALL: [ResolutionKind; 9] = [
        ResolutionKind::Resolution,
        ResolutionKind::Declaration,
        ResolutionKind::GeneralComment,
        ResolutionKind::AdvisoryOpinion,
        ResolutionKind::Report,
        ResolutionKind::DayOfGeneralDiscussion,
        ResolutionKind::Compact,
        ResolutionKind::Guidelines,
        ResolutionKind::Other,
    ];
    pub fn key(self) -> &'static str {
        match self {
            ResolutionKind::Resolution => "resolution",
            ResolutionKind::Declaration => "declaration",
            ResolutionKind::GeneralComment => "general-comment",
            ResolutionKind::AdvisoryOpinion => "advisory-opinion",
            ResolutionKind::Report => "report",
            ResolutionKind::DayOfGeneralDiscussion => "day-of-general-discussion",
            ResolutionKind::Compact => "compact",
            ResolutionKind::Guidelines => "guidelines",
            ResolutionKind::Other => "other",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ResolutionKind::Resolution => "Resolution",
            ResolutionKind::Declaration => "Declaration",
            ResolutionKind::GeneralComment => "General comment",
            ResolutionKind::AdvisoryOpinion => "Advisory opinion",
            ResolutionKind::Report => "Report",
            ResolutionKind::DayOfGeneralDiscussion => "Day of General Discussion",
            ResolutionKind::Compact => "Global compact",
            ResolutionKind::Guidelines => "Guidelines",
            ResolutionKind::Other => "Other",
        }
    }
}

/// Where a standard stands on detaining children for migration reasons. Set only where the
/// text supports it: a badge and a filter on the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Stance {
    /// Detaining children for migration reasons is prohibited, or never in their interests.
    Prohibits,
    /// Detention only as a measure of last resort.
    LastResort,
    /// Promotes alternatives to detention, without ruling it out.
    Alternatives,
}

impl Stance {
    /// The interface strings' key of a value is this and its key.
    pub const STRINGS: &str = "stance-";
    pub const ALL: [Stance; 3] = [Stance::Prohibits, Stance::LastResort, Stance::Alternatives];
    pub fn key(self) -> &'static str {
        match self {
            Stance::Prohibits => "prohibits",
            Stance::LastResort => "last-resort",
            Stance::Alternatives => "alternatives",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Stance::Prohibits => "Rules out detaining children",
            Stance::LastResort => "Allows it as a last resort",
            Stance::Alternatives => "Promotes alternatives",
        }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum PartnerType {
    Ngo,
    UnAgency,
    UnMechanism,
    Igo,
    RegionalBody,
    Network,
    Other,
}

impl PartnerType {
    /// The interface strings' key of a value is this and its key.
    pub const STRINGS: &str = "partner-type-";
    pub const ALL: [PartnerType; 7] = [
        PartnerType::Ngo,
        PartnerType::Network,
        PartnerType::UnAgency,
        PartnerType::UnMechanism,
        PartnerType::Igo,
        PartnerType::RegionalBody,
        PartnerType::Other,
    ];
    pub fn key(self) -> &'static str {
        match self {
            PartnerType::Ngo => "ngo",
            PartnerType::UnAgency => "un-agency",
            PartnerType::UnMechanism => "un-mechanism",
            PartnerType::Igo => "igo",
            PartnerType::RegionalBody => "regional-body",
            PartnerType::Network => "network",
            PartnerType::Other => "other",
        }
    }
    /// "A network", for sentences about one partner.
    pub fn singular(self) -> &'static str {
        match self {
            PartnerType::Ngo => "Non-governmental organisation",
            PartnerType::UnAgency => "UN agency",
            PartnerType::UnMechanism => "UN human rights mechanism",
            PartnerType::Igo => "Intergovernmental organisation",
            PartnerType::RegionalBody => "Regional body",
            PartnerType::Network => "Network or coalition",
            PartnerType::Other => "Organisation",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            PartnerType::Ngo => "Non-governmental organisations",
            PartnerType::UnAgency => "UN agencies",
            PartnerType::UnMechanism => "UN human rights mechanisms",
            PartnerType::Igo => "Intergovernmental organisations",
            PartnerType::RegionalBody => "Regional bodies",
            PartnerType::Network => "Networks and coalitions",
            PartnerType::Other => "Other organisations",
        }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Region {
    Global,
    Africa,
    Americas,
    AsiaPacific,
    Europe,
    MiddleEastNorthAfrica,
}

impl Region {
    /// The interface strings' key of a value is this and its key.
    pub const STRINGS: &str = "region-";
    pub const ALL: [Region; 6] = [
        Region::Global,
        Region::Africa,
        Region::Americas,
        Region::AsiaPacific,
        Region::Europe,
        Region::MiddleEastNorthAfrica,
    ];
    pub fn key(self) -> &'static str {
        match self {
            Region::Global => "global",
            Region::Africa => "africa",
            Region::Americas => "americas",
            Region::AsiaPacific => "asia-pacific",
            Region::Europe => "europe",
            Region::MiddleEastNorthAfrica => "middle-east-north-africa",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Region::Global => "Global",
            Region::Africa => "Africa",
            Region::Americas => "Americas",
            Region::AsiaPacific => "Asia and the Pacific",
            Region::Europe => "Europe",
            Region::MiddleEastNorthAfrica => "Middle East and North Africa",
        }
    }
}
