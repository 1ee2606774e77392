//! Tags: the stories' tags grouped by slug (a tag without letters or digits is an error), and
//! the addresses of each tag's list pages.

use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use super::routes::{Owner, Place, claim};
use crate::config::SiteConfig;
use crate::content::{Collection, Doc, Story};
use crate::diagnostics::Diagnostics;

/// A tag and the stories (indices into [`Site::stories`](super::Site::stories)) that carry it.
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    pub stories: Vec<usize>,
}

/// The tags of the stories, by slug, each with its stories in order.
pub(super) fn tag_map(stories: &[Arc<Doc<Story>>]) -> (BTreeMap<String, Tag>, Diagnostics) {
    let mut found = Diagnostics::new();
    let diags = &mut found;
    let mut tag_map: BTreeMap<String, Tag> = BTreeMap::new();
    // Few distinct tags, used many times: slugify each once.
    let mut slugs: HashMap<&str, String> = HashMap::default();
    for s in stories {
        for t in &s.meta.tags {
            slugs.entry(t.as_str()).or_insert_with(|| slug::slugify(t));
        }
    }
    for (i, s) in stories.iter().enumerate() {
        let mut seen: Vec<&str> = Vec::new();
        for t in &s.meta.tags {
            let slug = slugs[t.as_str()].as_str();
            if slug.is_empty() {
                diags.push(
                    s.error_at("tags", t, format!("the tag `{t}` has no letters or digits"))
                        .help("use a short word or two, e.g. `regional` or `crc`"),
                );
                continue;
            }
            if seen.contains(&slug) {
                continue;
            }
            seen.push(slug);
            match tag_map.get_mut(slug) {
                Some(tag) => tag.stories.push(i),
                None => {
                    tag_map.insert(
                        slug.to_string(),
                        Tag {
                            name: t.clone(),
                            slug: slug.to_string(),
                            stories: vec![i],
                        },
                    );
                }
            }
        }
    }
    (tag_map, found)
}

/// Claims the list pages of every tag in `routes`.
pub(super) fn claim_pages<'a>(
    tag_map: &BTreeMap<String, Tag>,
    config: &SiteConfig,
    prefix: &str,
    routes: &mut HashMap<String, Owner>,
    diags: &mut Diagnostics,
    place: &impl Fn(Collection, usize) -> Place<'a>,
) {
    for t in tag_map.values() {
        claim(
            routes,
            crate::routes::page_file(&crate::routes::tag(prefix, &t.slug, 1)),
            Owner::Named(format!("the tag page of `{}`", t.name)),
            diags,
            place,
        );
        for n in 2..=t.stories.len().div_ceil(config.stories_per_page) {
            claim(
                routes,
                crate::routes::page_file(&crate::routes::tag(prefix, &t.slug, n)),
                Owner::Named(format!("page {n} of the tag `{}`", t.name)),
                diags,
                place,
            );
        }
    }
}
