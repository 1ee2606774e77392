//! Translations: `about.es.md` beside `about.md` (bundles: `index.es.md` beside `index.md`).
//!
//! A translation's front matter holds what differs from the original (a title, a summary);
//! every other key is the original's. The two are merged as text: the original's lines for
//! the keys the translation does not set are appended to the translation's front matter, and
//! the result is read into the collection's struct as any file is. Errors in the translation's
//! own lines keep their line and column; nothing is guessed about YAML beyond its top-level
//! keys, which start at the first column in the flat front matter writers use.

use std::ops::Range;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use rayon::prelude::*;

use super::{Content, Doc, Merged, ParseMemo, Parsed, check};
use crate::collection::Collection;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::Diagnostics;
use crate::frontmatter::{self, Split};
use crate::source::SourceText;

/// What makes an entry a translation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Translation {
    /// The language code in the file's name (`es` in `about.es.md`).
    pub code: Arc<str>,
    /// The original's file, when there is one: a translation without one is a page in its
    /// language only.
    pub original: Option<String>,
    /// `translated_from:` as written (the original's hash when the translation was made),
    /// with its place in the file.
    pub translated_from: Option<(String, Range<usize>)>,
    /// The front-matter keys taken from the original.
    pub inherited: Vec<String>,
}

/// The key a translation records its original's version under.
pub const TRANSLATED_FROM: &str = "translated_from";

/// Splits a translation's path into the original's path and the language code:
/// `content/about.es.md` is `content/about.md` in `es`. None for other files.
pub fn split_code(path: &str) -> Option<(String, &str)> {
    let (dir, name) = match path.rfind('/') {
        Some(i) => (&path[..=i], &path[i + 1..]),
        None => ("", path),
    };
    let stem = name.strip_suffix(".md")?;
    let (base, code) = stem.rsplit_once('.')?;
    (!base.is_empty() && !base.contains('.') && is_code(code))
        .then(|| (format!("{dir}{base}.md"), code))
}

/// Whether `code` is written as a language code may be (`es`, `pt-br`); whether the site
/// has that language is checked later.
pub fn is_code(code: &str) -> bool {
    code.starts_with(|c: char| c.is_ascii_alphabetic())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The hash a translation's `translated_from` records: 64-bit FNV-1a of the original's
/// text with Windows line ends read as `\n`, in 16 hex digits. Chosen because it is stable
/// across rally versions and platforms (std's hashers are not) and simple enough to compute
/// in any script.
pub fn version_hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            continue;
        }
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The error for a file named in a language the site does not declare (`x.de.md`), or in
/// the default language (`x.en.md`). `declared` lists the site's codes, the default first.
pub fn undeclared(code: &str, path: &str, text: &Arc<str>, declared: &[&str]) -> Diagnostic {
    let default = declared.first().copied().unwrap_or_default();
    let (message, help) = if code == default {
        (
            format!(
                "`{code}` is the site's default language: this file needs no language in its name"
            ),
            format!(
                "rename it to `{}`; translations into the site's other languages end in `.<code>.md`",
                path.replace(&format!(".{code}.md"), ".md"),
            ),
        )
    } else {
        let known = if declared.len() > 1 {
            format!(
                "this site's translations are in {}",
                declared[1..].join(", ")
            )
        } else {
            "this site has one language".to_string()
        };
        (
            format!("`{code}` in the name of this file is not a language of this site"),
            format!(
                "{known}; to publish in `{code}`, add it to `languages:` in site.yaml (see \
                 docs/languages.md), or rename the file if `.{code}` is not meant as a language"
            ),
        )
    };
    Diagnostic::error(message)
        .at(path, text, 0..text.len().min(3))
        .label("the file's name gives its language")
        .help(help)
}

/// A translation file, parsed only as far as it can be without its original.
#[derive(Debug, Clone)]
pub(super) struct Pending {
    pub(super) file: SourceText,
    pub(super) collection: Collection,
    pub(super) id: String,
    pub(super) bundle: Option<String>,
    pub(super) code: Arc<str>,
    pub(super) split: Split,
}

/// The top-level keys of a flat YAML mapping, each with the range of its block (its line and
/// the indented or blank lines after it), relative to `yaml`.
pub(crate) fn blocks(yaml: &str) -> Vec<(&str, Range<usize>)> {
    let mut out: Vec<(&str, Range<usize>)> = Vec::new();
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let starts_block = !line.starts_with([' ', '\t', '#', '-', '\n', '\r'])
            && !line.trim().is_empty()
            && line.contains(':');
        if starts_block {
            let key = line[..line.find(':').unwrap_or(0)].trim();
            let key = key.trim_matches(|c| c == '"' || c == '\'');
            out.push((key, at..offset));
        } else if line.starts_with('#') || line.starts_with("---") {
            // A comment at the first column ends a block without starting one.
            if let Some(last) = out.last_mut()
                && last.1.end == at
            {
                continue;
            }
        } else if let Some(last) = out.last_mut()
            && last.1.end == at
        {
            last.1.end = offset;
        }
    }
    out
}

/// The translation `p` merged with its `original` (None: a translation without one), read as
/// the collection's struct. Errors point into the translation's file.
pub(super) fn merge<M: DeserializeOwned>(
    p: &Pending,
    original: Option<&Doc<M>>,
) -> Result<Doc<M>, Diagnostic> {
    let text = &p.file.text;
    let yaml = p.split.yaml.clone();
    if let Some(o) = original
        && let Some(b) = &o.bundle
        && p.bundle.is_none()
    {
        // Its pictures are in the bundle's folder, where relative addresses are read from.
        let name = p.file.path.rsplit('/').next().unwrap_or_default();
        let code = &p.code;
        return Err(Diagnostic::error(format!(
            "this translation is beside its original's folder, not in it: `{name}` translates content/{b}/index.md"
        ))
        .at(&p.file.path, text, 0..text.len().min(3))
        .help(format!(
            "move it into the folder as content/{b}/index.{code}.md, next to index.md and its pictures"
        )));
    }
    let own = blocks(&text[yaml.clone()]);
    let mut translated_from = None;
    // The translation's text up to the end of its front matter, `translated_from` blanked
    // (spaces keep every other offset), then the original's blocks it does not set.
    let mut merged = String::with_capacity(yaml.end + 256);
    merged.push_str(&text[..yaml.end]);
    if let Some((_, r)) = own.iter().find(|(k, _)| *k == TRANSLATED_FROM) {
        let r = yaml.start + r.start..yaml.start + r.end;
        let line = &text[r.clone()];
        let value = line[line.find(':').map_or(0, |i| i + 1)..].trim();
        let value = value.trim_matches(|c| c == '"' || c == '\'').to_string();
        let value_at = line
            .find(value.as_str())
            .map_or(r.start..r.start, |i| r.start + i..r.start + i + value.len());
        translated_from = Some((value, value_at));
        let blank: String = line
            .chars()
            .map(|c| if c == '\n' || c == '\r' { c } else { ' ' })
            .collect();
        merged.replace_range(r, &blank);
    }
    let mut inherited = Vec::new();
    if let Some(o) = original {
        let otext = &o.file.text[o.meta_span.clone()];
        if !merged.ends_with('\n') {
            merged.push('\n');
        }
        for (key, r) in blocks(otext) {
            if key == TRANSLATED_FROM || own.iter().any(|(k, _)| *k == key) {
                continue;
            }
            merged.push_str(&otext[r]);
            if !merged.ends_with('\n') {
                merged.push('\n');
            }
            inherited.push(key.to_string());
        }
    }
    let merged: Arc<str> = Arc::from(merged);
    let what = p.collection.singular();
    let meta: M = frontmatter::parse(&p.file.path, &merged, yaml.start..merged.len(), what)
        .map_err(|d| {
            // Errors in the translation's own lines keep their place in its file; one in the
            // original's lines (rare: YAML of the translation swallowing them) points at the
            // end of the translation's front matter.
            let span = if d.span.end <= yaml.end {
                d.span.clone()
            } else {
                yaml.end..yaml.end
            };
            d.at(&p.file.path, text, span)
        })?;
    Ok(Doc {
        id: p.id.clone(),
        // The entry is made of two files: later stages memoize on `file.version`, so it gets
        // a version of its own, or an edit of the original (a key the translation inherits)
        // would look like no change. Kept with the merge in `ParseMemo::merged`.
        file: match original {
            Some(_) => SourceText::new(p.file.path.clone(), p.file.text.clone()),
            None => p.file.clone(),
        },
        meta_span: yaml,
        body: p.split.body.clone(),
        bundle: p
            .bundle
            .clone()
            .or_else(|| original.and_then(|o| o.bundle.clone())),
        meta,
        shape: Default::default(),
        translation: Some(Arc::new(Translation {
            code: p.code.clone(),
            original: original.map(|o| o.file.path.clone()),
            translated_from,
            inherited,
        })),
    })
}

/// Merges each translation with its original (see [`translations`]) and adds it to its
/// collection, after the original.
pub(super) fn merge_translations(
    content: &mut Content,
    pending: Vec<Arc<Pending>>,
    memo: &mut ParseMemo,
    diags: &mut Diagnostics,
) {
    fn original<M>(docs: &[Arc<Doc<M>>], id: &str) -> Option<Arc<Doc<M>>> {
        let i = docs.binary_search_by(|d| d.id.as_str().cmp(id)).ok()?;
        Some(docs[i].clone())
    }
    /// The translation merged with `o`. When the original exists but failed to parse: no
    /// entry and no error (the original's error is the one to fix).
    fn merged<M: serde::de::DeserializeOwned>(
        p: &Pending,
        o: Option<Arc<Doc<M>>>,
        broken: bool,
        wrap: fn(Arc<Doc<M>>) -> Parsed,
    ) -> Merged {
        if o.is_none() && broken {
            return (None, Vec::new());
        }
        let d = match merge(p, o.as_deref()) {
            Ok(d) => d,
            Err(e) => return (None, vec![e]),
        };
        let parsed = wrap(Arc::new(d));
        let mut errs = check(&parsed);
        let draft = match &parsed {
            Parsed::Story(d) => d.meta.draft,
            Parsed::Resolution(d) => d.meta.draft,
            Parsed::Partner(d) => d.meta.draft,
            Parsed::Page(d) => d.meta.draft,
            Parsed::Pending(_) => false,
        };
        errs.extend(frontmatter::silent_losses(
            &p.file.path,
            &p.file.text,
            p.split.yaml.clone(),
            draft,
        ));
        (Some(parsed), errs)
    }
    let version = |c: Collection, id: &str| -> u64 {
        let v = match c {
            Collection::Stories => original(&content.stories, id).map(|o| o.file.version),
            Collection::Resolutions => original(&content.resolutions, id).map(|o| o.file.version),
            Collection::Partners => original(&content.partners, id).map(|o| o.file.version),
            Collection::Pages => original(&content.pages, id).map(|o| o.file.version),
        };
        v.unwrap_or(0)
    };
    let results: Vec<(Arc<Pending>, Merged, u64)> = pending
        .into_par_iter()
        .map(|p| {
            let declared: Vec<&str> = memo.languages.iter().map(String::as_str).collect();
            if !declared.is_empty() && !declared[1..].contains(&&*p.code) {
                let e = undeclared(&p.code, &p.file.path, &p.file.text, &declared);
                return (p, (None, vec![e]), 0);
            }
            let broken =
                (content.broken.iter()).any(|u| u.collection == p.collection && u.id == p.id);
            // An original that failed to read is not one that is absent: the translation is
            // left out in the one case and stands alone in the other.
            let current = match version(p.collection, &p.id) {
                0 if broken => u64::MAX,
                v => v,
            };
            if let Some((tv, ov, r)) = memo.merged.get(&p.file.path)
                && *tv == p.file.version
                && *ov == current
            {
                return (p, r.clone(), current);
            }
            let r = match p.collection {
                Collection::Stories => {
                    merged(&p, original(&content.stories, &p.id), broken, Parsed::Story)
                }
                Collection::Resolutions => merged(
                    &p,
                    original(&content.resolutions, &p.id),
                    broken,
                    Parsed::Resolution,
                ),
                Collection::Partners => merged(
                    &p,
                    original(&content.partners, &p.id),
                    broken,
                    Parsed::Partner,
                ),
                Collection::Pages => {
                    merged(&p, original(&content.pages, &p.id), broken, Parsed::Page)
                }
            };
            (p, r, current)
        })
        .collect();
    if !memo.one_shot {
        memo.merged
            .retain(|path, _| results.iter().any(|(p, ..)| &p.file.path == path));
    }
    for (p, r, version) in results {
        match &r.0 {
            Some(Parsed::Story(d)) => content.stories.push(d.clone()),
            Some(Parsed::Resolution(d)) => content.resolutions.push(d.clone()),
            Some(Parsed::Partner(d)) => content.partners.push(d.clone()),
            Some(Parsed::Page(d)) => content.pages.push(d.clone()),
            Some(Parsed::Pending(_)) | None => {}
        }
        diags.extend(r.1.iter().cloned());
        if !memo.one_shot {
            memo.merged
                .insert(p.file.path.clone(), (p.file.version, version, r));
        }
    }
    fn by_id_then_lang<M>(a: &Arc<Doc<M>>, b: &Arc<Doc<M>>) -> std::cmp::Ordering {
        a.id.cmp(&b.id).then_with(|| a.lang().cmp(&b.lang()))
    }
    content.stories.sort_by(by_id_then_lang);
    content.resolutions.sort_by(by_id_then_lang);
    content.partners.sort_by(by_id_then_lang);
    content.pages.sort_by(by_id_then_lang);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_come_from_file_names() {
        assert_eq!(
            split_code("content/about.es.md"),
            Some(("content/about.md".into(), "es"))
        );
        assert_eq!(
            split_code("content/stories/a/index.pt-br.md"),
            Some(("content/stories/a/index.md".into(), "pt-br"))
        );
        assert_eq!(split_code("content/about.md"), None);
        assert_eq!(split_code("content/.es.md"), None);
        assert_eq!(split_code("content/a.b.es.md"), None);
        assert_eq!(split_code("content/a.1.md"), None);
    }

    #[test]
    fn version_hash_is_fnv1a_and_ignores_crlf() {
        // FNV-1a 64 of "" and "a", as published.
        assert_eq!(version_hash(""), "cbf29ce484222325");
        assert_eq!(version_hash("a"), "af63dc4c8601ec8c");
        assert_eq!(version_hash("a\r\nb"), version_hash("a\nb"));
    }

    #[test]
    fn blocks_are_top_level_keys() {
        let y = "title: A\ntags:\n  - x\n  - y\n# note\ndate: 2020-01-01\nimage:\n  src: a.jpg\n\n  alt: b\n";
        let b = blocks(y);
        let keys: Vec<&str> = b.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["title", "tags", "date", "image"]);
        assert_eq!(&y[b[1].1.clone()], "tags:\n  - x\n  - y\n");
        assert_eq!(&y[b[3].1.clone()], "image:\n  src: a.jpg\n\n  alt: b\n");
    }
}
