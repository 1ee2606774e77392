//! Stage 2, parse: turns content files into typed entries of the four collections.
//!
//! Each file is parsed on its own (in parallel): split the front matter, deserialize it into the
//! collection's struct (unknown keys are errors), check values that serde cannot (ids, URLs).
//! Nothing here looks at other entries; cross-references are checked in [`crate::link`].

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Deserializer, Serialize};

use crate::date::{Date, PartialDate};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::frontmatter;

pub mod countries;
pub mod csv_rows;
mod forbidden;
mod lists;
pub mod translations;
mod vocab;
pub use crate::collection::Collection;
use crate::source::SourceText;
use forbidden::forbidden_char_error;
pub use lists::find_list_row;
use lists::{parse_partner_list, read_list};
use translations::Pending;
pub use translations::Translation;
pub use vocab::{PartnerType, Region, ResolutionKind, Stance};

/// One entry: where it came from and its typed front matter.
#[derive(Debug, Clone)]
pub struct Doc<M> {
    /// The slug: file stem (or bundle folder name, or `id` of a list row; pages: their path).
    pub id: String,
    pub file: SourceText,
    /// The front matter (or list row) inside `file.text`.
    pub meta_span: Range<usize>,
    /// The Markdown body inside `file.text` (empty for list rows).
    pub body: Range<usize>,
    /// For bundles: the folder of `index.md`, relative to `content/` (e.g. `stories/launch`).
    pub bundle: Option<String>,
    pub meta: M,
    /// Kept for the link stage: a hash of the fields that decide the site's shape, computed
    /// once per parsed file.
    pub shape: std::sync::OnceLock<u64>,
    /// Set for a translation (`about.es.md`); None for an entry in the default language.
    pub translation: Option<Arc<Translation>>,
}

impl<M> Doc<M> {
    /// Drops this entry's hold on its file's text (see [`crate::link::Site::release_texts`]);
    /// the body and front matter read as empty from then on.
    pub fn release_text(&mut self) {
        static EMPTY: std::sync::LazyLock<Arc<str>> = std::sync::LazyLock::new(|| Arc::from(""));
        self.file.text = EMPTY.clone();
        self.meta_span = 0..0;
        self.body = 0..0;
    }

    pub fn body_text(&self) -> &str {
        &self.file.text[self.body.clone()]
    }

    /// The code of the language a translation is in; None in the default language.
    pub fn lang(&self) -> Option<&str> {
        self.translation.as_deref().map(|t| &*t.code)
    }
    /// A diagnostic pointing at the first occurrence of `needle` in the front matter, or at
    /// the `key:` line, or at the start of the front matter.
    pub fn locate(&self, key: &str, needle: &str) -> Range<usize> {
        let meta = &self.file.text[self.meta_span.clone()];
        let base = self.meta_span.start;
        let key_at = meta.find(&format!("{key}:"));
        // The needle after the key (`r` in `resolutions: [r]` is not the key's first letter),
        // as a whole word where it is one.
        let from = key_at.map_or(0, |k| k + key.len() + 1);
        let word = |i: &usize| {
            let before = meta[..*i].chars().next_back();
            let after = meta[i + needle.len()..].chars().next();
            let id_char =
                |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_');
            !id_char(before) && !id_char(after)
        };
        let found = meta[from..]
            .match_indices(needle)
            .map(|(i, _)| from + i)
            .find(word)
            .or_else(|| meta[from..].find(needle).map(|i| from + i));
        if !needle.is_empty()
            && let Some(s) = found
        {
            let s = base + s;
            return s..s + needle.len();
        }
        match key_at {
            Some(i) => base + i..base + i + key.len(),
            None => base..base + meta.find('\n').unwrap_or(meta.len()).min(1),
        }
    }
    pub fn error_at(&self, key: &str, needle: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(message).at(&self.file.path, &self.file.text, self.locate(key, needle))
    }
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Story {
    #[serde(deserialize_with = "non_empty")]
    pub title: String,
    pub date: Date,
    #[serde(deserialize_with = "non_empty")]
    pub summary: String,
    pub author: Option<String>,
    pub image: Option<Image>,
    /// Topics, by their ids (`alternatives-to-detention`).
    #[serde(default)]
    #[schemars(extend("x-rally-ref" = "tags"))]
    pub tags: Vec<String>,
    /// The resolutions and standards the story cites, by their ids.
    #[serde(default)]
    #[schemars(extend("x-rally-ref" = "resolutions"))]
    pub resolutions: Vec<String>,
    /// The partners the story is about, by their ids.
    #[serde(default)]
    #[schemars(extend("x-rally-ref" = "partners"))]
    pub partners: Vec<String>,
    #[serde(default)]
    pub featured: bool,
    /// Earlier addresses of this entry (`old/path/`): each is published as a page that
    /// sends visitors here, and listed in `_redirects`.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub draft: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Image {
    /// The picture's file, beside the entry (`photo.jpg`).
    #[serde(deserialize_with = "non_empty")]
    #[schemars(extend("x-rally-image" = true))]
    pub src: String,
    /// What the picture shows, for readers who cannot see it. Required: a picture that only
    /// decorates says so with `alt: ""`.
    pub alt: String,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    /// The name readers see everywhere: short ("Joint general comment No. 4/23").
    #[serde(deserialize_with = "non_empty")]
    pub title: String,
    /// The official title, when it is longer: shown on the document's own page.
    pub full_title: Option<String>,
    pub symbol: Option<String>,
    /// The adopting organ, e.g. "UN General Assembly".
    #[serde(deserialize_with = "non_empty")]
    pub body: String,
    pub adopted: PartialDate,
    pub kind: ResolutionKind,
    /// The official text.
    pub url: Option<String>,
    #[serde(default)]
    pub paragraphs: Vec<Paragraph>,
    /// What it says about detaining children, where its text says it.
    pub stance: Option<Stance>,
    /// Earlier addresses of this entry (`old/path/`): each is published as a page that
    /// sends visitors here, and listed in `_redirects`.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub draft: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Paragraph {
    #[serde(deserialize_with = "string_or_number")]
    pub number: String,
    pub summary: String,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    /// Only in list files (`partners.yaml`, `partners.csv`); files take their id from the name.
    pub id: Option<String>,
    #[serde(deserialize_with = "non_empty")]
    pub name: String,
    pub acronym: Option<String>,
    #[serde(rename = "type")]
    pub kind: PartnerType,
    pub region: Region,
    /// An ISO 3166-1 alpha-2 code (`CH`), checked against [`countries::COUNTRIES`].
    #[serde(default, deserialize_with = "country_code")]
    #[schemars(extend("x-rally-ref" = "countries"))]
    pub country: Option<String>,
    pub website: Option<String>,
    pub logo: Option<String>,
    pub joined: Option<u16>,
    #[serde(default)]
    pub roles: Vec<String>,
    pub description: Option<String>,
    /// The name, acronym and description in other languages, by language code (in a
    /// spreadsheet: columns such as `description.es`).
    #[serde(default)]
    pub translations: std::collections::BTreeMap<String, PartnerText>,
    /// Earlier addresses of this entry (`old/path/`): each is published as a page that
    /// sends visitors here, and listed in `_redirects`.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub draft: bool,
}

/// A partner's fields in one other language (see [`Partner::translations`]).
#[derive(
    Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq, Hash, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct PartnerText {
    pub name: Option<String>,
    pub acronym: Option<String>,
    pub description: Option<String>,
}

impl Partner {
    /// This partner in the language `code`, when it has translated fields in it.
    pub fn translated(&self, code: &str) -> Option<Partner> {
        let t = self.translations.get(code)?;
        let mut p = self.clone();
        if let Some(n) = &t.name {
            p.name = n.clone();
        }
        if t.acronym.is_some() {
            p.acronym = t.acronym.clone();
        }
        if t.description.is_some() {
            p.description = t.description.clone();
        }
        Some(p)
    }
    /// Roles that make an organisation part of the campaign (not only a body it cites).
    pub const CAMPAIGN_ROLES: [&'static str; 4] = [
        "campaign-coordinator",
        "campaign-supporter",
        "working-group-chair",
        "working-group-member",
    ];

    /// A body whose standards the campaign cites (an independent UN mechanism, a regional
    /// standard-setter) and which has no role in the campaign itself: it is not a member.
    pub fn is_cited_body(&self) -> bool {
        let sets_standards = self.kind == PartnerType::UnMechanism
            || self.roles.iter().any(|r| r.ends_with("standard-setter"));
        let in_campaign = self
            .roles
            .iter()
            .any(|r| Self::CAMPAIGN_ROLES.contains(&r.as_str()));
        sets_standards && !in_campaign
    }
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Page {
    #[serde(deserialize_with = "non_empty")]
    pub title: String,
    pub description: Option<String>,
    /// A template to use instead of `page.html`.
    pub template: Option<String>,
    /// Puts the page in the default menu; lower weights come first.
    pub menu_weight: Option<i32>,
    /// Earlier addresses of this entry (`old/path/`): each is published as a page that
    /// sends visitors here, and listed in `_redirects`.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub draft: bool,
}

fn non_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if s.trim().is_empty() {
        Err(serde::de::Error::custom("must not be empty"))
    } else {
        Ok(s)
    }
}

/// An ISO 3166-1 alpha-2 code. Checked in a visitor, within serde_yaml's reading of the
/// value, so that the error carries the value's line and column.
fn country_code<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct Code;
    impl<'de> serde::de::Visitor<'de> for Code {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a two-letter ISO 3166 country code")
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_str(self)
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
            match countries::problem(s) {
                Some(msg) => Err(E::custom(msg)),
                None => Ok(Some(s.to_string())),
            }
        }
    }
    d.deserialize_option(Code)
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Scalar {
        Text(String),
        Int(i64),
        Float(f64),
    }
    Ok(match Scalar::deserialize(d)? {
        Scalar::Text(s) => s,
        Scalar::Int(i) => i.to_string(),
        Scalar::Float(f) => f.to_string(),
    })
}

/// All entries, per collection, sorted by id, each original before its translations (which
/// are sorted by language code).
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub stories: Vec<Arc<Doc<Story>>>,
    pub resolutions: Vec<Arc<Doc<Resolution>>>,
    pub partners: Vec<Arc<Doc<Partner>>>,
    pub pages: Vec<Arc<Doc<Page>>>,
    /// Entries whose file or list row failed to parse: links to them name that error.
    pub broken: Vec<Unreadable>,
}

impl Content {
    /// Whether an entry with this id was read (lists are sorted by id).
    pub fn has(&self, c: Collection, id: &str) -> bool {
        fn find<M>(docs: &[Arc<Doc<M>>], id: &str) -> bool {
            docs.binary_search_by(|d| d.id.as_str().cmp(id)).is_ok()
        }
        match c {
            Collection::Stories => find(&self.stories, id),
            Collection::Resolutions => find(&self.resolutions, id),
            Collection::Partners => find(&self.partners, id),
            Collection::Pages => find(&self.pages, id),
        }
    }
}

/// An entry that files name but that could not be read (its file or its list row failed):
/// a link or reference to it says so and where, instead of "does not exist".
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Unreadable {
    pub collection: Collection,
    pub id: String,
    /// The bundle folder, for `index.md` files (as in [`Doc::bundle`]).
    pub bundle: Option<String>,
    /// Where the error is, for messages: `content/partners.yaml:12`.
    pub at: String,
}

impl Unreadable {
    /// The entry a content file would have held, when the file itself failed (`at` says
    /// where); None for a file in no collection's place.
    pub fn file(path: &str, at: String) -> Option<Unreadable> {
        if is_list_file(path) || translations::split_code(path).is_some() {
            return None;
        }
        let (collection, id, bundle) = classify(path).ok()?;
        Some(Unreadable {
            collection,
            id,
            bundle,
            at,
        })
    }
}

/// `content/partners.yaml` and its spreadsheet twin: many partners in one file.
pub fn is_list_file(path: &str) -> bool {
    path.strip_prefix("content/")
        .unwrap_or(path)
        .starts_with("partners.")
}

#[derive(Clone)]
enum Parsed {
    Story(Arc<Doc<Story>>),
    Resolution(Arc<Doc<Resolution>>),
    Partner(Arc<Doc<Partner>>),
    Page(Arc<Doc<Page>>),
    /// A translation, read once its original is known.
    Pending(Arc<Pending>),
}

/// One file's entries, its problems, and the entries (list rows) it failed to give.
type FileResult = Arc<(Vec<Parsed>, Vec<Diagnostic>, Vec<Unreadable>)>;

/// What the parse stage computed for each file version, for incremental rebuilds.
#[derive(Default)]
pub struct ParseMemo {
    files: HashMap<String, (u64, FileResult)>,
    /// Translations merged with their originals, by the translation's path: valid while
    /// both versions are unchanged.
    merged: HashMap<String, (u64, u64, Merged)>,
    /// The site's language codes, the default first (see [`ParseMemo::set_languages`]).
    languages: Vec<String>,
    /// Keep nothing: the build is not followed by another.
    one_shot: bool,
}

/// A translation merged with its original: the entry, if it could be read, and its problems.
type Merged = (Option<Parsed>, Vec<Diagnostic>);

impl ParseMemo {
    /// Tells the parse stage the site's languages (from site.yaml), the default first: a
    /// translation in another language is an error, reported instead of its other problems.
    /// Without it, that check is left to the link stage.
    pub fn set_languages(&mut self, codes: Vec<String>) {
        if codes != self.languages {
            self.merged.clear();
            self.languages = codes;
        }
    }

    pub fn one_shot() -> ParseMemo {
        ParseMemo {
            one_shot: true,
            ..ParseMemo::default()
        }
    }
}

/// Parses every content file in parallel; problems are collected, good entries kept. Files
/// whose version is in `memo` are not parsed again.
pub fn parse_all(files: &[SourceText], memo: &mut ParseMemo) -> (Content, Diagnostics) {
    // (result, whether it is new): the memo is then updated in place, so an edit costs a
    // lookup per file, not a new map.
    let results: Vec<(FileResult, bool)> = files
        .par_iter()
        .map(|f| match memo.files.get(f.path.as_str()) {
            Some((version, r)) if *version == f.version => (r.clone(), false),
            _ => (Arc::new(parse_file(f)), true),
        })
        .collect();
    for (f, (r, fresh)) in files.iter().zip(&results) {
        if *fresh && !memo.one_shot {
            memo.files.insert(f.path.clone(), (f.version, r.clone()));
        }
    }
    if memo.files.len() > files.len() {
        let current: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        memo.files.retain(|path, _| current.contains(path.as_str()));
    }
    let results = results.into_iter().map(|(r, _)| r);
    let mut content = Content::default();
    let mut diags = Diagnostics::new();
    let mut pending = Vec::new();
    for (file, result) in files.iter().zip(results) {
        let (parsed, errs) = (&result.0, &result.1);
        content.broken.extend(result.2.iter().cloned());
        if parsed.is_empty()
            && let Some(first) = errs.iter().find(|d| d.is_error())
            && let Some(u) = Unreadable::file(&file.path, first.place())
        {
            content.broken.push(u);
        }
        diags.extend(errs.iter().cloned());
        if file.text.len() > crate::source::LARGE_FILE {
            diags.push(crate::source::large_file_warning(
                &file.path,
                file.text.len(),
            ));
        }
        for p in parsed.iter().cloned() {
            match p {
                Parsed::Story(d) => content.stories.push(d),
                Parsed::Resolution(d) => content.resolutions.push(d),
                Parsed::Partner(d) => content.partners.push(d),
                Parsed::Page(d) => content.pages.push(d),
                Parsed::Pending(p) => pending.push(p),
            }
        }
    }
    content.stories.sort_by(|a, b| a.id.cmp(&b.id));
    content.resolutions.sort_by(|a, b| a.id.cmp(&b.id));
    content.partners.sort_by(|a, b| a.id.cmp(&b.id));
    content.pages.sort_by(|a, b| a.id.cmp(&b.id));
    if !pending.is_empty() || !memo.merged.is_empty() {
        translations::merge_translations(&mut content, pending, memo, &mut diags);
    }
    (content, diags)
}

/// Where a file belongs: its collection, id and bundle folder.
pub fn classify(path: &str) -> Result<(Collection, String, Option<String>), String> {
    let inner = path.strip_prefix("content/").unwrap_or(path);
    let segments: Vec<&str> = inner.split('/').collect();
    let collection = segments
        .first()
        .and_then(|s| Collection::from_name(s))
        .filter(|c| c.folder() == segments[0]);
    match (collection, segments.as_slice()) {
        (Some(c), [_, file]) => Ok((c, stem(file).to_string(), None)),
        (Some(c), [folder, bundle, "index.md"]) => {
            Ok((c, bundle.to_string(), Some(format!("{folder}/{bundle}"))))
        }
        (Some(c), [folder, bundle, _]) => Err(format!(
            "a bundle folder holds one `index.md`; other Markdown files are not allowed in \
             {folder}/{bundle}/ (make this a {} of its own in content/{folder}/)",
            c.singular()
        )),
        (Some(_), [folder, ..]) => Err(format!(
            "files in content/{folder}/ must be directly inside it, or be `index.md` of a bundle \
             folder (content/{folder}/<name>/index.md)"
        )),
        _ => {
            let id = inner.strip_suffix(".md").unwrap_or(inner);
            let id = id.strip_suffix("/index").unwrap_or(id).to_string();
            let bundle = inner.strip_suffix("/index.md").map(str::to_string);
            Ok((Collection::Pages, id, bundle))
        }
    }
}

fn stem(file: &str) -> &str {
    file.strip_suffix(".md").unwrap_or(file)
}

/// An id is safe as a URL segment and a file name on every system.
pub fn check_id(id: &str) -> Result<(), String> {
    let ok_segment = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
            && !s.starts_with('-')
    };
    // Names Windows cannot use for files or folders, whatever the extension.
    const RESERVED: [&str; 22] = [
        "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
        "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
    ];
    if let Some(r) = id.split('/').find(|s| RESERVED.contains(s)) {
        return Err(format!("{r}-page"));
    }
    if id.split('/').all(ok_segment) {
        Ok(())
    } else {
        let suggestion = id
            .split('/')
            .map(slug::slugify)
            .collect::<Vec<_>>()
            .join("/");
        Err(suggestion)
    }
}

fn parse_file(file: &SourceText) -> (Vec<Parsed>, Vec<Diagnostic>, Vec<Unreadable>) {
    // Checked before anything reads the text, front matter included: such a character would
    // reach pages and the feed, and YAML's own message for it names no column.
    if let Some(d) = forbidden_char_error(file) {
        let mut gone = Vec::new();
        if is_list_file(&file.path) {
            let ids = read_list(file).rows.into_iter().filter_map(|r| r.id);
            gone = ids
                .map(|id| Unreadable {
                    collection: Collection::Partners,
                    id,
                    bundle: None,
                    at: d.place(),
                })
                .collect();
        }
        return (vec![], vec![d], gone);
    }
    if is_list_file(&file.path) {
        return parse_partner_list(file);
    }
    let (parsed, errs) = parse_entry_file(file);
    (parsed, errs, Vec::new())
}

/// A file holding one entry: a story, resolution, partner or page.
fn parse_entry_file(file: &SourceText) -> (Vec<Parsed>, Vec<Diagnostic>) {
    // A translation (`about.es.md`) is classified as its original (`about.md`).
    let code = translations::split_code(&file.path);
    let place = code
        .as_ref()
        .map_or(file.path.as_str(), |(p, _)| p.as_str());
    let (collection, id, bundle) = match classify(place) {
        Ok(c) => c,
        Err(msg) => {
            return (
                vec![],
                vec![
                    Diagnostic::error("this file is in a place rally does not know")
                        .in_file(&file.path)
                        .help(msg),
                ],
            );
        }
    };
    if let Err(suggestion) = check_id(&id) {
        let what = if bundle.is_some() { "folder" } else { "file" };
        if suggestion.ends_with("-page")
            && !id.contains(|c: char| !c.is_ascii_alphanumeric() && c != '/')
        {
            return (
                vec![],
                vec![Diagnostic::error(format!("`{id}` is a name Windows reserves for devices"))
                    .in_file(&file.path)
                    .help(format!("the site could not be copied to a Windows computer; rename the {what} to `{suggestion}`"))],
            );
        }
        return (
            vec![],
            vec![Diagnostic::error(format!(
                "`{id}` cannot be used in a web address"
            ))
            .in_file(&file.path)
            .help(format!(
                "names of content files may use only lowercase letters, digits, `-` and `_`; \
                 rename the {what} to `{suggestion}`"
            ))],
        );
    }
    let split = match frontmatter::split(&file.path, &file.text) {
        Ok(s) => s,
        Err(d) => return (vec![], vec![d]),
    };
    if let Some((_, code)) = code {
        let pending = Pending {
            file: file.clone(),
            collection,
            id,
            bundle,
            code: Arc::from(code),
            split,
        };
        return (vec![Parsed::Pending(Arc::new(pending))], vec![]);
    }
    let what = collection.singular();
    macro_rules! doc {
        ($variant:ident) => {
            frontmatter::parse(&file.path, &file.text, split.yaml.clone(), what).map(|meta| Doc {
                id: id.clone(),
                file: file.clone(),
                meta_span: split.yaml.clone(),
                body: split.body.clone(),
                bundle: bundle.clone(),
                meta,
                shape: Default::default(),
                translation: None,
            })
        };
    }
    let result = match collection {
        Collection::Stories => doc!(Story).map(|d| Parsed::Story(Arc::new(d))),
        Collection::Resolutions => doc!(Resolution).map(|d| Parsed::Resolution(Arc::new(d))),
        Collection::Partners => doc!(Partner).map(|d: Doc<Partner>| Parsed::Partner(Arc::new(d))),
        Collection::Pages => doc!(Page).map(|d| Parsed::Page(Arc::new(d))),
    };
    match result {
        Ok(p) => {
            let mut errs = check(&p);
            let draft = match &p {
                Parsed::Story(d) => d.meta.draft,
                Parsed::Resolution(d) => d.meta.draft,
                Parsed::Partner(d) => d.meta.draft,
                Parsed::Page(d) => d.meta.draft,
                Parsed::Pending(_) => false,
            };
            let yaml = split.yaml.clone();
            errs.extend(frontmatter::silent_losses(
                &file.path, &file.text, yaml, draft,
            ));
            (vec![p], errs)
        }
        Err(d) => (vec![], vec![d]),
    }
}

/// Checks that need the typed values: URLs, partner ids in files.
fn check(p: &Parsed) -> Vec<Diagnostic> {
    let mut errs = Vec::new();
    let mut url = |doc_locate: &dyn Fn(&str, &str, String) -> Diagnostic, key: &str, v: &str| {
        if let Err(why) = check_url(v) {
            errs.push(doc_locate(key, v, why).help(
                "write the full address starting with https://, e.g. https://www.unicef.org/",
            ));
        }
    };
    match p {
        Parsed::Resolution(d) => {
            if let Some(u) = &d.meta.url {
                url(&|k, n, m| d.error_at(k, n, m), "url", u);
            }
        }
        Parsed::Partner(d) => {
            if let Some(u) = &d.meta.website {
                url(&|k, n, m| d.error_at(k, n, m), "website", u);
            }
            if d.meta.id.is_some()
                && !d.file.path.ends_with(".yaml")
                && !d.file.path.ends_with(".yml")
                && !d.file.path.ends_with(".csv")
            {
                errs.push(
                    d.error_at("id", "", "`id` is only used in partner list files")
                        .help("a partner file takes its id from its file name: delete this line, or rename the file"),
                );
            }
        }
        _ => {}
    }
    errs
}

/// External links in front matter must be http(s): `javascript:` or `data:` would run or
/// embed code on the site.
pub fn check_url(u: &str) -> Result<(), String> {
    let lower = u.trim().to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        if u.contains(char::is_whitespace) || u.contains(['"', '<', '>']) {
            return Err(format!(
                "`{u}` is not a valid web address (it contains spaces or quotes)"
            ));
        }
        Ok(())
    } else {
        Err(format!(
            "`{u}` is not a web address (it must start with https:// or http://)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_paths() {
        assert_eq!(
            classify("content/stories/a.md").unwrap(),
            (Collection::Stories, "a".into(), None)
        );
        assert_eq!(
            classify("content/stories/a/index.md").unwrap(),
            (Collection::Stories, "a".into(), Some("stories/a".into()))
        );
        assert_eq!(
            classify("content/about.md").unwrap(),
            (Collection::Pages, "about".into(), None)
        );
        assert_eq!(
            classify("content/campaign/history.md").unwrap(),
            (Collection::Pages, "campaign/history".into(), None)
        );
        assert!(classify("content/stories/a/b/c.md").is_err());
        assert!(classify("content/stories/a/notes.md").is_err());
    }

    #[test]
    fn ids_must_be_url_safe() {
        assert!(check_id("a-res-71-1").is_ok());
        assert_eq!(check_id("My Story").unwrap_err(), "my-story");
        assert!(check_id("..").is_err());
        assert!(check_id("a:b").is_err());
        assert!(check_id("").is_err());
        assert_eq!(check_id("con").unwrap_err(), "con-page");
        assert!(check_id("campaign/aux").is_err());
    }

    #[test]
    fn scripts_are_not_urls() {
        assert!(check_url("javascript:alert(1)").is_err());
        assert!(check_url("data:text/html,x").is_err());
        assert!(check_url("https://www.unicef.org/").is_ok());
    }
}
