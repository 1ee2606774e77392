//! The four collections of content (stories, resolutions, partners, pages) and their names:
//! a leaf that configuration, parsing and every later stage name without depending on each
//! other.

use serde::Serialize;

/// The collections, by their folder under `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Collection {
    Stories,
    Resolutions,
    Partners,
    Pages,
}

impl Collection {
    pub const ALL: [Collection; 4] = [
        Collection::Stories,
        Collection::Resolutions,
        Collection::Partners,
        Collection::Pages,
    ];

    pub fn folder(self) -> &'static str {
        match self {
            Collection::Stories => "stories",
            Collection::Resolutions => "resolutions",
            Collection::Partners => "partners",
            Collection::Pages => "",
        }
    }
    pub fn singular(self) -> &'static str {
        match self {
            Collection::Stories => "story",
            Collection::Resolutions => "resolution",
            Collection::Partners => "partner",
            Collection::Pages => "page",
        }
    }
    pub fn from_name(name: &str) -> Option<Collection> {
        match name {
            "stories" | "story" => Some(Collection::Stories),
            "resolutions" | "resolution" => Some(Collection::Resolutions),
            "partners" | "partner" => Some(Collection::Partners),
            "pages" | "page" => Some(Collection::Pages),
            _ => None,
        }
    }
}
