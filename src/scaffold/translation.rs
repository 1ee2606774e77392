//! `rally new <kind> <name> --lang <code>`: starts a translation beside its original
//! (`about.es.md` beside `about.md`), with the keys a translator translates copied in, every
//! other key left to be inherited, `draft: true` until it is done, and the original's version
//! recorded in `translated_from` for `rally check` to compare.

use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{PARTNER_LISTS, create_new};
use crate::config::{CONFIG_FILE, Language, SiteConfig};
use crate::content::{Collection, check_id, translations};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::frontmatter;
use crate::source::SourceText;

/// Where this guide is, for help lines.
const GUIDE: &str = "docs/writing.md, \"Translating\"";

/// The front-matter keys of each collection that hold words readers see: copied into a new
/// translation to be translated in place. Every other key (dates, tags, ids, addresses) is
/// inherited from the original, so that a fact corrected there is corrected in every language.
pub fn translated_keys(collection: Collection) -> &'static [&'static str] {
    match collection {
        Collection::Stories => &["title", "summary", "author", "image"],
        // `body` is the adopting organ ("UN General Assembly"), which has an official name in
        // each UN language; paragraph summaries are the campaign's own words.
        Collection::Resolutions => &["title", "full_title", "body", "paragraphs"],
        // Acronyms differ between languages too (UNHCR is ACNUR in Spanish).
        Collection::Partners => &["name", "acronym", "description"],
        Collection::Pages => &["title", "description"],
    }
}

/// What `rally new --lang` made.
#[derive(Debug)]
pub struct Translated {
    /// The new translation, inside the site (`content/about.es.md`).
    pub path: PathBuf,
    /// Its original (`content/about.md`).
    pub original: PathBuf,
    /// The language's name in itself, as site.yaml gives it (`Español`).
    pub language: String,
    /// The keys copied from the original, to translate.
    pub copied: Vec<String>,
}

/// Creates the translation into `code` of the entry of `collection` named `name` (its id, its
/// title, or its file's path).
pub fn new_translation(
    root: &Path,
    collection: Collection,
    name: &str,
    code: &str,
) -> Result<Translated, Diagnostic> {
    if !root.join(CONFIG_FILE).is_file() {
        return Err(crate::site_root::no_site(&root.display().to_string()));
    }
    let config = crate::load::read_text(&root.join(CONFIG_FILE), CONFIG_FILE)?;
    let config = SiteConfig::parse(&config)?;
    let language = language(&config, code)?;
    let id = original_id(collection, name)?;
    let dir = match collection {
        Collection::Pages => "content".to_string(),
        c => format!("content/{}", c.folder()),
    };
    // The two places an entry can be, and where each one's translation goes. A bundle's
    // translation may also be written beside its folder (`x.es.md`), so both are looked at
    // before writing.
    let places = [
        (format!("{dir}/{id}.md"), format!("{dir}/{id}.{code}.md")),
        (
            format!("{dir}/{id}/index.md"),
            format!("{dir}/{id}/index.{code}.md"),
        ),
    ];
    let Some((original, target)) = places.iter().find(|(o, _)| root.join(o).is_file()) else {
        return Err(missing(root, collection, &dir, &id, code));
    };
    if let Some((_, there)) = places.iter().find(|(_, t)| root.join(t).exists()) {
        return Err(Diagnostic::error(format!(
            "{there} already exists: {original} has a translation into {} ({code})",
            language.name
        ))
        .in_file(there.clone())
        .help(format!(
            "rally never overwrites a file: open {there} to continue translating. \
             `rally check` says whether it is behind {original}"
        )));
    }
    let path = root.join(target);
    inside_content(root, &path)?;
    let text = crate::load::read_text(&root.join(original), original)?;
    let (new_text, copied) = translation_text(original, &text, collection, language)?;
    if !create_new(&path, &new_text)? {
        return Err(
            Diagnostic::error(format!("{target} appeared while rally was creating it"))
                .help("rally never overwrites a file: run the command again to see what is there"),
        );
    }
    Ok(Translated {
        path: PathBuf::from(target),
        original: PathBuf::from(original),
        language: language.name.clone(),
        copied,
    })
}

/// `code` as one of the site's languages other than the default, or why it is not one.
fn language<'a>(config: &'a SiteConfig, code: &str) -> Result<&'a Language, Diagnostic> {
    let all = config.languages();
    let others = all.get(1..).unwrap_or_default();
    if let Some(l) = others.iter().find(|l| &*l.code == code) {
        return Ok(l);
    }
    let default = all.first().map_or("en", |l| &*l.code);
    let shown = shown(code);
    let lower = code.trim().to_lowercase();
    let list = |others: &[Language]| -> String {
        let codes: Vec<String> = others
            .iter()
            .map(|l| format!("{} ({})", l.code, l.name))
            .collect();
        codes.join(", ")
    };
    let add = format!(
        "to translate into another language, add it to `languages:` in site.yaml (see {GUIDE})"
    );
    if lower == default {
        let help = match others.first() {
            Some(first) => format!(
                "`--lang` names the language to translate into, one of this site's other \
                 languages: {}. For example: `--lang {}`",
                list(others),
                first.code
            ),
            None => format!("this site has no other language yet: {add}"),
        };
        return Err(Diagnostic::error(format!(
            "{shown} is the site's default language, the one the originals are written in"
        ))
        .help(help));
    }
    if others.is_empty() {
        return Err(Diagnostic::error(format!(
            "{shown} is not a language of this site: it is published in one language, `{default}`"
        ))
        .help(add));
    }
    let help = match others.iter().find(|l| *l.code == *lower) {
        Some(l) => format!(
            "language codes are written in lowercase: `--lang {}`",
            l.code
        ),
        None => {
            let codes = others.iter().map(|l| &*l.code);
            let guess = did_you_mean(&lower, codes)
                .map_or(String::new(), |c| format!("did you mean `--lang {c}`? "));
            format!(
                "{guess}this site's translations are in {}; {add}",
                list(others)
            )
        }
    };
    Err(Diagnostic::error(format!("{shown} is not one of this site's languages")).help(help))
}

/// A value from the command line, quoted for a message: as typed when it is plain, else with
/// its spaces and invisible characters made visible.
fn shown(value: &str) -> String {
    if !value.is_empty() && value.chars().all(|c| c.is_ascii_graphic() && c != '`') {
        format!("`{value}`")
    } else {
        format!("{value:?}")
    }
}

/// The id of the entry `name` stands for: an id (`geneva-launch`), a title ("Geneva launch")
/// or the file's path (`content/stories/geneva-launch.md`, as a shell completes it). Only
/// letters, digits, `-`, `_` (and `/` between a page's folders) survive, so the paths made
/// from it stay inside the collection's folder.
fn original_id(collection: Collection, name: &str) -> Result<String, Diagnostic> {
    let mut s = name.trim().replace('\\', "/");
    while let Some(rest) = s.strip_prefix("./") {
        s = rest.to_string();
    }
    if let Some(rest) = s.strip_prefix("content/") {
        s = rest.to_string();
    }
    if collection != Collection::Pages
        && let Some(rest) = s.strip_prefix(&format!("{}/", collection.folder()))
    {
        s = rest.to_string();
    }
    if let Some(rest) = s.strip_suffix(".md") {
        s = rest.to_string();
    }
    if let Some(rest) = s.strip_suffix("/index") {
        s = rest.to_string();
    }
    let nested = collection == Collection::Pages;
    let id = if check_id(&s).is_ok() && (nested || !s.contains('/')) {
        s
    } else if nested {
        let parts: Vec<String> = s.split('/').map(slug::slugify).collect();
        if parts.iter().any(String::is_empty) {
            String::new()
        } else {
            parts.join("/")
        }
    } else {
        slug::slugify(&s)
    };
    if id.is_empty() {
        return Err(Diagnostic::error(format!(
            "{} does not name a {}: it has no letters or digits to find its file by",
            shown(name),
            collection.singular()
        ))
        .help(format!(
            "give the file name of the {} to translate, e.g. `rally new {} geneva-launch --lang es` \
             for content/{}geneva-launch.md",
            collection.singular(),
            collection.singular(),
            folder_slash(collection)
        )));
    }
    Ok(id)
}

fn folder_slash(collection: Collection) -> String {
    match collection {
        Collection::Pages => String::new(),
        c => format!("{}/", c.folder()),
    }
}

/// The error for an original that is not there: a partner in a list file, or a name close
/// to an existing one, or neither.
fn missing(root: &Path, collection: Collection, dir: &str, id: &str, code: &str) -> Diagnostic {
    let what = collection.singular();
    if collection == Collection::Partners {
        for rel in PARTNER_LISTS {
            let Ok(text) = fs::read_to_string(root.join(rel)) else {
                continue;
            };
            let file = SourceText::new(rel, text.into());
            if let Some(span) = crate::content::find_list_row(&file, id) {
                return Diagnostic::error(format!(
                    "the partner `{id}` is a row of {rel}, not a file of its own: \
                     `rally new --lang` translates files"
                ))
                .at(rel, &file.text, span)
                .help(format!(
                    "a row of a list is translated in the list: add `translations:` to the row \
                     with the name, acronym or description in each language (in a spreadsheet, \
                     a column such as `description.{code}`); see docs/languages.md, \"Partners \
                     in a list\""
                ));
            }
        }
    }
    let known = ids_in(&root.join(dir), collection);
    let message = format!("there is no {what} `{id}` to translate: {dir}/{id}.md does not exist");
    let help = match did_you_mean(id, known.iter().map(String::as_str)) {
        Some(m) => format!("did you mean `{m}`? Name the {what} by its file name, without `.md`"),
        None if known.is_empty() => {
            format!(
                "{dir}/ has no {what} yet: write the original first (`rally new {what} \"Title\"`)"
            )
        }
        None => format!(
            "name the {what} by its file name in {dir}/, without `.md`, e.g. `{}`",
            known[0]
        ),
    };
    Diagnostic::error(message).help(help)
}

/// The ids of the entries in `dir` (files and bundle folders, not translations), sorted.
fn ids_in(dir: &Path, collection: Collection) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut ids: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let id = match name.strip_suffix(".md") {
                Some(stem) => stem.to_string(),
                None if e.path().join("index.md").is_file() => name,
                None => return None,
            };
            // Translations (`about.es.md`) and the partner lists are not originals.
            let plain = !id.contains('.') && check_id(&id).is_ok();
            (plain && !(collection == Collection::Partners && id == "partners")).then_some(id)
        })
        .collect();
    ids.sort();
    ids
}

/// Refuses to write through a link that leads out of the site's `content/` folder: the path
/// itself is made of checked parts, but its folders are the writer's.
fn inside_content(root: &Path, path: &Path) -> Result<(), Diagnostic> {
    let parent = path.parent().unwrap_or(root);
    let content = root.join("content");
    let (Ok(real_parent), Ok(real_content)) = (parent.canonicalize(), content.canonicalize())
    else {
        return Ok(());
    };
    if real_parent.starts_with(&real_content) {
        return Ok(());
    }
    Err(Diagnostic::error(format!(
        "{} leads outside the site's content/ folder",
        parent.display()
    ))
    .help("rally writes translations only inside content/: replace the link with a real folder"))
}

/// The text of a new translation of `original` (its path `rel`) into `language`, and the
/// keys copied to translate.
fn translation_text(
    rel: &str,
    original: &Arc<str>,
    collection: Collection,
    language: &Language,
) -> Result<(String, Vec<String>), Diagnostic> {
    let split = frontmatter::split(rel, original)?;
    let yaml = &original[split.yaml.clone()];
    let keys = translated_keys(collection);
    let mut copied = Vec::new();
    let mut inherited = Vec::new();
    let mut own = String::new();
    for (key, r) in crate::content::translations::blocks(yaml) {
        if keys.contains(&key) && !copied.iter().any(|k| k == key) {
            if key == "image" {
                own.push_str(
                    "# Translate the image's `alt`; keep `src`, or name a picture made for \
                     this language.\n",
                );
            }
            own.push_str(yaml[r].trim_end());
            own.push('\n');
            copied.push(key.to_string());
        } else if !matches!(key, "draft" | translations::TRANSLATED_FROM)
            && !inherited.iter().any(|k| k == key)
        {
            inherited.push(key.to_string());
        }
    }
    let others = match inherited.is_empty() {
        true => String::new(),
        false => format!(" ({})", inherited.join(", ")),
    };
    let code = &language.code;
    let name = &language.name;
    let hash = translations::version_hash(original);
    let body = anchors_written(&original[split.body]);
    let text = format!(
        "---\n\
         # Translation into {name} ({code}) of {rel}.\n\
         # Translate the values below and the text after the closing `---` line.\n\
         {own}\
         # Every other key{others} comes from the original:\n\
         # write one here only to make it differ in this language.\n\
         # Remove the next line when the translation is done: until then it is not published.\n\
         draft: true\n\
         # The version of the original this translates: `rally check` says when the\n\
         # original changes (see {GUIDE}).\n\
         {key}: \"{hash}\"\n\
         ---\n\
         {body}",
        key = translations::TRANSLATED_FROM,
    );
    Ok((text, copied))
}

/// `body` with the anchor of each heading written out (`## Who we are {#who-we-are}`), so
/// that translating a heading's words keeps its anchor, which links into the page use (a
/// translated heading would otherwise get an anchor made from its new words). Headings other
/// than one-line `#` headings are left as they are, and so is the whole text when its
/// headings cannot be matched one for one with the anchors rally gives them.
fn anchors_written(body: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag};
    let toc = crate::markdown::render(body, &mut |_, _, _| None).toc;
    let heads: Vec<(Range<usize>, bool)> = Parser::new_ext(body, crate::markdown::options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Heading { id, .. }) => Some((range, id.is_some())),
            _ => None,
        })
        .collect();
    if heads.len() != toc.len() {
        return body.to_string();
    }
    let mut out = String::with_capacity(body.len() + 24 * heads.len());
    let mut done = 0;
    for ((range, has_id), heading) in heads.iter().zip(&toc) {
        let line_end = body[range.start..]
            .find('\n')
            .map_or(body.len(), |i| range.start + i);
        let line = body[range.start..line_end].trim_end();
        let atx = line.trim_start_matches([' ', '>']).starts_with('#');
        // A closing `#` sequence would stop being one with the anchor after it.
        if *has_id || !atx || line.ends_with('#') || range.start < done {
            continue;
        }
        let end = range.start + line.len();
        out.push_str(&body[done..end]);
        out.push_str(&format!(" {{#{}}}", heading.id));
        done = end;
    }
    out.push_str(&body[done..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_ids() {
        let id = |c, n: &str| original_id(c, n).ok();
        assert_eq!(
            id(Collection::Stories, "Geneva launch").as_deref(),
            Some("geneva-launch")
        );
        assert_eq!(
            id(Collection::Stories, "content/stories/a_b/index.md").as_deref(),
            Some("a_b")
        );
        assert_eq!(
            id(Collection::Pages, "./content/campaign/history.md").as_deref(),
            Some("campaign/history")
        );
        assert_eq!(
            id(Collection::Stories, "../../etc/passwd").as_deref(),
            Some("etc-passwd")
        );
        assert_eq!(id(Collection::Pages, "../x").as_deref(), None);
        assert_eq!(id(Collection::Pages, "..").as_deref(), None);
        assert_eq!(id(Collection::Stories, "/").as_deref(), None);
    }

    #[test]
    fn anchors_are_written_out() {
        assert_eq!(
            anchors_written(
                "\nIntro.\n\n## Who we are\n\n## Who we are\n\n### Main\n\n## Kept {#k}\n\n## C#\n\n> ## Quoted\n"
            ),
            "\nIntro.\n\n## Who we are {#who-we-are}\n\n## Who we are {#who-we-are-1}\n\n### Main {#main-1}\n\n## Kept {#k}\n\n## C#\n\n> ## Quoted {#quoted}\n"
        );
        assert_eq!(anchors_written("Title\n=====\n"), "Title\n=====\n");
        assert_eq!(anchors_written(""), "");
    }

    #[test]
    fn shown_values_make_invisible_characters_visible() {
        assert_eq!(shown("es"), "`es`");
        assert_eq!(shown("e s"), "\"e s\"");
        assert_eq!(shown("es\u{1b}[31m"), "\"es\\u{1b}[31m\"");
    }
}
