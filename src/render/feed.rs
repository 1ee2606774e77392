//! The feeds, an output family, each from a theme template of its own (a theme without the
//! template has no such feed): the stories' (`stories/atom.xml` from `atom.xml`,
//! `stories/feed.json`, JSON Feed 1.1, from `feed.json`; they list the `feed_stories`
//! global, see `globals.rs`), each tag's (`tags/<slug>/atom.xml` from `tag-atom.xml`,
//! `tags/<slug>/feed.json` from `tag-feed.json`) and the resolutions'
//! (`resolutions/atom.xml`, `resolutions/feed.json` from `resolutions-atom.xml` and
//! `resolutions-feed.json`), in every language.
//!
//! A feed lists at most [`FEED_ENTRIES`] entries, newest first, and never a draft or a
//! story dated after the build day (`--drafts` previews show them on pages, never in feeds).
//! A tag's feed is a job of its own, rendered in parallel with the other pages and reused
//! while its entries are unchanged; its entries are the first published ones of the tag's
//! list (already newest first), so making them costs a few steps per tag, not a pass over
//! the stories.

use tera::{Context, Value};

use super::jobs::{Job, has_template, one_file};
use super::obj::list;
use super::values::{ValueHashes, Values};
use crate::content::Story;
use crate::link::{Entry, Site, hash_one};
use crate::routes;

/// Entries in a feed: the newest. Readers poll feeds often; older entries are on the site.
pub(super) const FEED_ENTRIES: usize = 20;

/// Which list a feed follows (the stories' own feeds are [`Job::File`]s).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum FeedOf {
    /// The stories of the tag at this index of `site.tags`.
    Tag(usize),
    Resolutions,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Format {
    Atom,
    Json,
}

pub(super) fn family(site: &Site, tera: &tera::Tera, jobs: &mut Vec<Job>) {
    one_file(tera, "atom.xml", routes::FEED, jobs);
    one_file(tera, "feed.json", routes::JSON_FEED, jobs);
    for format in [Format::Atom, Format::Json] {
        if has_template(tera, template(FeedOf::Resolutions, format)) {
            jobs.push(Job::Feed(FeedOf::Resolutions, format));
        }
    }
    for format in [Format::Atom, Format::Json] {
        if has_template(tera, template(FeedOf::Tag(0), format)) {
            jobs.extend((0..site.tags.len()).map(|i| Job::Feed(FeedOf::Tag(i), format)));
        }
    }
}

/// The template of a feed.
pub(super) fn template(of: FeedOf, format: Format) -> &'static str {
    match (of, format) {
        (FeedOf::Tag(_), Format::Atom) => "tag-atom.xml",
        (FeedOf::Tag(_), Format::Json) => "tag-feed.json",
        (FeedOf::Resolutions, Format::Atom) => "resolutions-atom.xml",
        (FeedOf::Resolutions, Format::Json) => "resolutions-feed.json",
    }
}

/// The output path of a feed.
pub(super) fn out(site: &Site, of: FeedOf, format: Format) -> String {
    let p = site.prefix();
    match (of, format) {
        (FeedOf::Tag(i), f) => routes::tag_feed(p, &site.tags[i].slug, file(f)),
        (FeedOf::Resolutions, Format::Atom) => format!("{p}{}", routes::RESOLUTIONS_FEED),
        (FeedOf::Resolutions, Format::Json) => format!("{p}{}", routes::RESOLUTIONS_JSON_FEED),
    }
}

fn file(format: Format) -> &'static str {
    match format {
        Format::Atom => routes::ATOM_FILE,
        Format::Json => routes::JSON_FEED_FILE,
    }
}

/// Whether a story may be in a feed: not a draft, not dated after the build day.
pub(super) fn published(site: &Site, s: &Entry<Story>) -> bool {
    let m = &s.doc.meta;
    !(m.draft || m.date > site.options.today)
}

/// The newest published stories of tag `i` (indices into `site.stories`).
fn tag_entries(site: &Site, i: usize) -> Vec<usize> {
    (site.tags[i].stories.iter().copied())
        .filter(|&s| published(site, &site.stories[s]))
        .take(FEED_ENTRIES)
        .collect()
}

/// The newest adopted resolutions that are not drafts: `site.resolutions` is oldest first.
fn resolution_entries(site: &Site) -> Vec<usize> {
    (0..site.resolutions.len())
        .rev()
        .filter(|&r| !site.resolutions[r].doc.meta.draft)
        .take(FEED_ENTRIES)
        .collect()
}

/// What the feed's page is made of besides the globals its template reads.
pub(super) fn inputs(site: &Site, of: FeedOf, h: &ValueHashes) -> u64 {
    match of {
        FeedOf::Tag(i) => {
            let items: Vec<u64> = (tag_entries(site, i).iter())
                .map(|&s| h.stories[s])
                .collect();
            hash_one(&(h.tags[i], items))
        }
        FeedOf::Resolutions => {
            let items: Vec<u64> = (resolution_entries(site).iter())
                .map(|&r| h.resolutions[r])
                .collect();
            hash_one(&items)
        }
    }
}

/// The feed's own values: a tag's feed gets `tag` and its stories as `tag_stories` (not
/// named as the `feed_stories` global, which would make every tag's feed depend on the
/// newest stories of all); the resolutions' feed gets `feed_resolutions`. Returns the
/// feed's title, for `page`.
pub(super) fn context(ctx: &mut Context, site: &Site, v: &Values, of: FeedOf) -> String {
    match of {
        FeedOf::Tag(i) => {
            let items = tag_entries(site, i);
            ctx.insert_value("tag", v.tags[i].clone());
            ctx.insert_value(
                "tag_stories",
                list(items.iter().map(|&s| v.stories[s].clone())),
            );
            let t = &site.tags[i];
            let label = crate::render::ui::tag_label(&v.tag_labels, &site.config, &t.slug, &t.name);
            format!("{} {label}", v.labels.titles.stories_on)
        }
        FeedOf::Resolutions => {
            let items = resolution_entries(site);
            ctx.insert_value(
                "feed_resolutions",
                list(items.iter().map(|&r| v.resolutions[r].clone())),
            );
            v.labels.titles.resolutions.to_string()
        }
    }
}

/// For error messages: which feed.
pub(super) fn describe(site: &Site, of: FeedOf, format: Format) -> String {
    let kind = match format {
        Format::Atom => "Atom feed",
        Format::Json => "JSON Feed",
    };
    match of {
        FeedOf::Tag(i) => format!("the {kind} of the tag `{}`", site.tags[i].name),
        FeedOf::Resolutions => format!("the {kind} of the resolutions"),
    }
}

/// The `feed_stories` global: the newest published stories, and the hash of their values.
pub(super) fn feed_stories(site: &Site, v: &Values) -> (u64, Value) {
    let picked: Vec<usize> = (0..site.stories.len())
        .filter(|&i| published(site, &site.stories[i]))
        .take(FEED_ENTRIES)
        .collect();
    (
        hash_one(
            &picked
                .iter()
                .map(|&i| v.hashes.stories[i])
                .collect::<Vec<_>>(),
        ),
        list(picked.iter().map(|&i| v.stories[i].clone())),
    )
}
