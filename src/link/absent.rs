//! Entries that files name but this build does not have, and why: a file or list row that
//! could not be read, a draft, a story scheduled for a later day. A link or reference to one
//! names that cause ("is a draft, left out of this build") instead of "does not exist".

use rustc_hash::FxHashMap as HashMap;

use crate::content::{Collection, Unreadable};
use crate::date::Date;
use crate::routes;

/// Why an entry is not on the site.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Why {
    /// Its file or row has an error, reported at this place (`content/partners.yaml:12`).
    Unreadable(String),
    Draft,
    /// A story dated after today.
    Scheduled(Date),
}

/// One entry left out.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Gone {
    pub(super) collection: Collection,
    pub(super) id: String,
    /// The file to edit to publish it.
    pub(super) file: String,
    pub(super) why: Why,
    /// On the site after all, because drafts are shown (`rally serve`, `--drafts`): links
    /// to it work here, and will fail a published build.
    pub(super) shown: bool,
}

impl Gone {
    /// The cause, as a sentence: "story `x` is a draft, left out of this build".
    pub(super) fn sentence(&self) -> String {
        let what = format!("{} `{}`", self.collection.singular(), self.id);
        match &self.why {
            Why::Unreadable(at) => format!("{what} could not be read: see {at}"),
            Why::Draft => format!("{what} is a draft, left out of this build"),
            Why::Scheduled(d) => format!(
                "{what} is scheduled for {}, left out of this build",
                d.display()
            ),
        }
    }

    /// The warning for a link that works only while drafts are shown.
    pub(super) fn preview_only(&self) -> String {
        let what = format!("{} `{}`", self.collection.singular(), self.id);
        match &self.why {
            Why::Scheduled(d) => format!(
                "this links to {what}, scheduled for {}: the link works in the preview, and \
                 a published build fails until that day",
                d.display()
            ),
            _ => format!(
                "this links to {what}, a draft: the link works in the preview, and a \
                 published build fails until the draft is published"
            ),
        }
    }

    /// Under the caret.
    pub(super) fn label(&self) -> &'static str {
        match self.why {
            Why::Unreadable(_) => "could not be read",
            Why::Draft => "a draft",
            Why::Scheduled(_) => "not published yet",
        }
    }

    /// What the writer can do about it.
    pub(super) fn help(&self) -> String {
        match &self.why {
            Why::Unreadable(_) => {
                "fix the error reported there first; this works again once it is fixed".into()
            }
            Why::Draft => format!(
                "to publish it, change `draft: true` to `draft: false` in {}; or remove this link \
                 (`rally serve` and `rally build --drafts` show drafts)",
                self.file
            ),
            Why::Scheduled(_) => "it is published by the first build on or after that day; \
                 until then remove this link, or preview both with `rally serve`"
                .into(),
        }
    }
}

/// The entries left out, found by the three ways files name them.
#[derive(Debug, Default)]
pub(super) struct Absent {
    gone: Vec<Gone>,
    /// Content keys: `stories/a.md`, `stories/a/index.md`.
    by_key: HashMap<String, usize>,
    /// Output folders: `stories/a/`.
    by_folder: HashMap<String, usize>,
    by_id: HashMap<(Collection, String), usize>,
}

impl Absent {
    /// Adds an entry, unless one of its names is taken: an entry that exists in another
    /// form (a partner both in a file and a list) is not absent.
    pub(super) fn add(&mut self, gone: Gone, bundle: Option<&str>) {
        let i = self.gone.len();
        let (c, id) = (gone.collection, gone.id.clone());
        let key = match c {
            Collection::Pages => format!("{id}.md"),
            c => format!("{}/{id}.md", c.folder()),
        };
        self.by_key.entry(key).or_insert(i);
        if let Some(b) = bundle {
            self.by_key.entry(format!("{b}/index.md")).or_insert(i);
        }
        self.by_folder.entry(routes::entry("", c, &id)).or_insert(i);
        self.by_id.entry((c, id)).or_insert(i);
        self.gone.push(gone);
    }

    pub(super) fn unreadable(&mut self, u: &Unreadable) {
        let file = match &u.bundle {
            Some(b) => format!("content/{b}/index.md"),
            None => u.at.split(':').next().unwrap_or(&u.at).to_string(),
        };
        let gone = Gone {
            collection: u.collection,
            id: u.id.clone(),
            file,
            why: Why::Unreadable(u.at.clone()),
            shown: false,
        };
        self.add(gone, u.bundle.as_deref());
    }

    /// How many were left out as drafts and as scheduled stories.
    pub(super) fn left_out(&self) -> super::memo::LeftOut {
        let count = |f: fn(&Gone) -> bool| self.gone.iter().filter(|g| f(g)).count();
        super::memo::LeftOut {
            drafts: count(|g| !g.shown && g.why == Why::Draft),
            scheduled: count(|g| !g.shown && matches!(g.why, Why::Scheduled(_))),
        }
    }

    /// Whether no entry was left out or is shown only as a draft: most builds.
    pub(super) fn is_empty(&self) -> bool {
        self.gone.is_empty()
    }

    pub(super) fn by_key(&self, key: &str) -> Option<&Gone> {
        self.by_key.get(key).map(|&i| &self.gone[i])
    }
    pub(super) fn by_folder(&self, folder: &str) -> Option<&Gone> {
        self.by_folder.get(folder).map(|&i| &self.gone[i])
    }
    pub(super) fn by_id(&self, c: Collection, id: &str) -> Option<&Gone> {
        self.by_id.get(&(c, id.to_string())).map(|&i| &self.gone[i])
    }

    /// A hash of the contents, independent of order, for memo keys.
    pub(super) fn hash(&self) -> u64 {
        let mut keys: Vec<(&String, &Gone)> = self
            .by_key
            .iter()
            .map(|(k, &i)| (k, &self.gone[i]))
            .collect();
        keys.sort_by(|a, b| a.0.cmp(b.0));
        super::hash_one(&keys)
    }
}
