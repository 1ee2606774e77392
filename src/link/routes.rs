//! Addresses: every output file claimed by the one entry or list that writes it (a second
//! claimant is an error naming both), and the content keys (`stories/a.md`, `bundle/index.md`)
//! through which content links reach each entry.

use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use super::languages::View;
use super::shape::Docs;
use crate::config::SiteConfig;
use crate::content::{Collection, Doc};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::Asset;
use crate::routes;

/// Content key (`stories/a.md`) → where it lives.
pub(super) struct Target {
    pub(super) collection: Collection,
    pub(super) index: usize,
    pub(super) path: String,
    /// An entry of the default language, linked from another language that has no
    /// translation of it: `index` is its place in the default language's site.
    pub(super) foreign: bool,
    /// Its page is in the default language while the site being linked is another
    /// (`foreign`, or shown in this language's lists in its stead).
    pub(super) other_language: bool,
}

/// Every entry's output file (and the stories list's pages), who writes each, and the
/// content-link keys (`stories/id.md`, `bundle/index.md`) that lead to each entry.
pub(super) fn entry_routes<'a>(
    (stories, resolutions, partners, pages): Docs<'a>,
    config: &SiteConfig,
    place: &impl Fn(Collection, usize) -> Place<'a>,
    view: &View,
    fallback: Option<&HashMap<String, Target>>,
) -> (
    HashMap<String, Owner>,
    HashMap<String, Target>,
    usize,
    Diagnostics,
) {
    let mut found = Diagnostics::new();
    let diags = &mut found;
    // Routes: every output file and who writes it.
    let entries = stories.len() + resolutions.len() + partners.len() + pages.len();
    let mut routes: HashMap<String, Owner> =
        HashMap::with_capacity_and_hasher(entries + entries / 2, Default::default());
    let mut claim = |file: String, owner: Owner, diags: &mut Diagnostics| {
        claim(&mut routes, file, owner, diags, place)
    };

    let story_pages = stories.len().div_ceil(config.stories_per_page).max(1);
    let prefix = view.lang.prefix.as_str();
    let within = |p: &str| routes::page_file(&routes::within(prefix, p));
    for (file, owner) in [
        (within(routes::HOME), "the home page"),
        (
            routes::within(prefix, routes::NOT_FOUND).into_owned(),
            "the not-found page",
        ),
        (
            routes::page_file(&routes::stories(prefix, 1)),
            "the stories list",
        ),
        (within(routes::RESOLUTIONS), "the resolutions list"),
        (within(routes::PARTNERS), "the partners directory"),
        (within(routes::TAGS), "the tags list"),
    ] {
        claim(file, Owner::Named(owner.into()), diags);
    }
    for n in 2..=story_pages {
        claim(
            routes::page_file(&routes::stories(prefix, n)),
            Owner::Named(format!("page {n} of the stories list")),
            diags,
        );
    }

    let mut targets: HashMap<String, Target> =
        HashMap::with_capacity_and_hasher(entries, Default::default());
    macro_rules! register {
        ($docs:expr, $c:expr) => {
            for (i, d) in $docs.iter().enumerate() {
                let path = routes::entry(view.prefix_of(&**d), $c, &d.id);
                if view.owns(&**d) {
                    claim(routes::page_file(&path), Owner::Entry($c, i), diags);
                }
                let folder = match $c {
                    Collection::Pages => String::new(),
                    c => format!("{}/", c.folder()),
                };
                let mut keys = vec![format!("{folder}{}.md", d.id)];
                if let Some(b) = &d.bundle {
                    keys.push(format!("{b}/index.md"));
                }
                if let Some(code) = d.lang() {
                    // The translation's own file, for links that name it.
                    keys.push(format!("{folder}{}.{code}.md", d.id));
                    if let Some(b) = &d.bundle {
                        keys.push(format!("{b}/index.{code}.md"));
                    }
                }
                for key in keys {
                    targets.insert(
                        key,
                        Target {
                            collection: $c,
                            index: i,
                            path: path.clone(),
                            foreign: false,
                            other_language: !view.owns(&**d),
                        },
                    );
                }
            }
        };
    }
    register!(stories, Collection::Stories);
    register!(resolutions, Collection::Resolutions);
    register!(partners, Collection::Partners);
    register!(pages, Collection::Pages);
    // Entries with no translation in this language: their default-language pages.
    if let Some(fallback) = fallback {
        for (key, t) in fallback {
            if !targets.contains_key(key) {
                targets.insert(
                    key.clone(),
                    Target {
                        collection: t.collection,
                        index: t.index,
                        path: t.path.clone(),
                        foreign: true,
                        other_language: true,
                    },
                );
            }
        }
    }

    (routes, targets, story_pages, found)
}

/// Claims `file` for `owner` in `routes`, or reports that an earlier owner has it.
pub(super) fn claim<'a>(
    routes: &mut HashMap<String, Owner>,
    file: String,
    owner: Owner,
    diags: &mut Diagnostics,
    place: &impl Fn(Collection, usize) -> Place<'a>,
) {
    match routes.entry(file) {
        std::collections::hash_map::Entry::Occupied(first) => {
            diags.push(owner.collision(first.get(), first.key(), place));
        }
        std::collections::hash_map::Entry::Vacant(slot) => {
            slot.insert(owner);
        }
    }
}

/// Reports the files (site, content or theme) that would overwrite a page.
pub(super) fn check_assets<'a>(
    routes: &HashMap<String, Owner>,
    assets: &BTreeMap<String, Asset>,
    diags: &mut Diagnostics,
    place: &impl Fn(Collection, usize) -> Place<'a>,
) {
    for a in assets.values() {
        if let Some(first) = routes.get(&a.out) {
            diags.push(
                Diagnostic::error(format!("the file `{}` would overwrite a page", a.source))
                    .in_file(&a.source)
                    .help(format!(
                        "{} is written to the same place; rename or move the file",
                        first.describe(place)
                    )),
            );
        }
    }
}

/// Who writes an output file, for the message when two want the same one.
pub(super) enum Owner {
    Named(String),
    /// An entry, by collection and position among the entries being linked (kept small:
    /// there is one per page, and copying each file's name and text handle here cost more
    /// than the rest of the table).
    Entry(Collection, usize),
}

/// Where an entry comes from, for messages.
pub(super) struct Place<'a> {
    path: &'a str,
    text: &'a Arc<str>,
    /// Start of the front matter (or of the row).
    offset: usize,
    /// A row of a list file: named with its line.
    row: bool,
}

impl Place<'_> {
    pub(super) fn of<M>(d: &Doc<M>) -> Place<'_> {
        Place {
            path: &d.file.path,
            text: &d.file.text,
            offset: d.meta_span.start,
            row: d.body.is_empty() && d.file.path.contains("partners."),
        }
    }
}

impl Owner {
    pub(super) fn describe<'a>(&self, place: &impl Fn(Collection, usize) -> Place<'a>) -> String {
        match self {
            Owner::Named(n) => n.clone(),
            Owner::Entry(c, i) => {
                let p = place(*c, *i);
                if p.row {
                    format!(
                        "{} (line {})",
                        p.path,
                        crate::diagnostics::line_col(p.text, p.offset).0
                    )
                } else {
                    p.path.to_string()
                }
            }
        }
    }

    fn collision<'a>(
        &self,
        first: &Owner,
        file: &str,
        place: &impl Fn(Collection, usize) -> Place<'a>,
    ) -> Diagnostic {
        let d = Diagnostic::error(format!(
            "two entries would write the same page `/{}`",
            routes::folder_of(file).unwrap_or(file)
        ))
        .label("this one")
        .help(format!(
            "{} and {} both want this address; rename one of them",
            first.describe(place),
            self.describe(place)
        ));
        match self {
            Owner::Entry(c, i) => {
                let p = place(*c, *i);
                d.at(p.path, p.text, p.offset..p.offset)
            }
            Owner::Named(_) => d,
        }
    }
}
