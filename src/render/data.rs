//! Open data, an output family: the published stories, resolutions and partners as JSON (and
//! the resolutions and partners as CSV) under `data/`, from the theme's `data/*` templates,
//! for partners and researchers to reuse (docs/open-data.md). The default language's only:
//! the keys are the same in every language, and the texts are the originals.

use tera::Tera;

use super::jobs::{Job, one_file};
use crate::link::Site;
use crate::routes;

pub(super) fn family(site: &Site, tera: &Tera, jobs: &mut Vec<Job>) {
    if !site.prefix().is_empty() {
        return;
    }
    for (template, out) in routes::OPEN_DATA {
        one_file(tera, template, out, jobs);
    }
}
