//! The feeds of the stories, an output family: `stories/atom.xml` from the theme's
//! `atom.xml`, and `stories/feed.json` (JSON Feed 1.1) from its `feed.json` (the stories
//! they list are the `feed_stories` global, see `globals.rs`).

use tera::Tera;

use super::jobs::{Job, one_file};
use crate::link::Site;
use crate::routes;

pub(super) fn family(_: &Site, tera: &Tera, jobs: &mut Vec<Job>) {
    one_file(tera, "atom.xml", routes::FEED, jobs);
    one_file(tera, "feed.json", routes::JSON_FEED, jobs);
}
