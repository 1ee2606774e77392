//! `languages:` in site.yaml: the languages the site is published in. The first is the
//! default and lives at the site's root; each other one under `/<code>/`. A language's
//! writing direction comes from CLDR (through ICU4X), not from a list kept here, and may be
//! overridden.

use std::ops::Range;
use std::sync::Arc;

use icu_locale::{Direction, LanguageIdentifier, LocaleDirectionality};
use serde::{Deserialize, Serialize};

use super::{CONFIG_FILE, MenuItem};
use crate::diagnostics::Diagnostic;

/// One item of `languages:` as written.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct LanguageEntry {
    /// A BCP 47 tag in lowercase (`es`, `pt-br`): the folder of its pages and the suffix of
    /// its files (`about.es.md`).
    pub code: String,
    /// The language's name in itself (`Español`), shown in the language switcher.
    pub name: String,
    /// `ltr` or `rtl`; when absent, the direction CLDR gives the language's script.
    pub direction: Option<String>,
    /// The site's title in this language (else the site's `title`).
    pub title: Option<String>,
    /// The site's description in this language (else the site's `description`).
    pub description: Option<String>,
    /// The main menu in this language (else the site's `menu`, its links sent to this
    /// language's pages where they exist).
    pub menu: Option<Vec<MenuItem>>,
    /// Values for the theme in this language, over the site's `extra` key by key
    /// (`{{ site.extra.… }}`).
    pub extra: Option<serde_yaml::Mapping>,
}

/// Writing direction of a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dir {
    Ltr,
    Rtl,
}

impl Dir {
    pub fn as_str(self) -> &'static str {
        match self {
            Dir::Ltr => "ltr",
            Dir::Rtl => "rtl",
        }
    }
}

/// A language of the site, checked and resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Language {
    pub code: Arc<str>,
    pub name: String,
    pub dir: Dir,
    pub title: Option<String>,
    pub description: Option<String>,
    pub menu: Option<Vec<MenuItem>>,
    /// `extra` in this language, over the site's (see [`LanguageEntry::extra`]).
    pub extra: Option<serde_yaml::Mapping>,
    /// The folder its pages live in, relative to the site root: `""` for the default
    /// language, `es/` for the others.
    pub prefix: String,
}

impl Language {
    /// The one language of a site without `languages:`, at the root.
    pub fn single(code: &str) -> Language {
        let dir = code
            .parse::<LanguageIdentifier>()
            .map_or(Dir::Ltr, |id| cldr_direction(&id));
        Language {
            code: Arc::from(code),
            name: code.to_string(),
            dir,
            title: None,
            description: None,
            menu: None,
            extra: None,
            prefix: String::new(),
        }
    }
}

/// The direction CLDR gives the script `code` is written in (left to right when CLDR does
/// not know the language).
pub fn cldr_direction(code: &LanguageIdentifier) -> Dir {
    // Compiled data: making one costs nothing, and it is asked once per language per load.
    match LocaleDirectionality::new_common().get(code) {
        Some(Direction::RightToLeft) => Dir::Rtl,
        _ => Dir::Ltr,
    }
}

/// Where the `n`th item of `languages:` (from 0) and its `key` are in `text`.
fn locate(text: &str, n: usize, key: &str, value: &str) -> Range<usize> {
    let start = text
        .match_indices("languages:")
        .find(|(i, _)| *i == 0 || text[..*i].ends_with('\n'))
        .map_or(0, |(i, _)| i);
    // Items start with `- ` (after indentation) below the key.
    let mut at = start;
    let mut seen = 0;
    for (i, line) in line_starts(&text[start..]) {
        let t = line.trim_start();
        if t.starts_with("- ") || t == "-" {
            if seen == n {
                at = start + i;
                break;
            }
            seen += 1;
        }
    }
    let item_end = text[at + 1..]
        .find("\n  - ")
        .or_else(|| text[at + 1..].find("\n- "))
        .map_or(text.len(), |i| at + 1 + i);
    let item = &text[at..item_end];
    match item.find(&format!("{key}:")) {
        Some(k) => {
            let k = at + k;
            match text[k..item_end].find(value).filter(|_| !value.is_empty()) {
                Some(v) => k + v..k + v + value.len(),
                None => k..k + key.len(),
            }
        }
        None => at..at + 1,
    }
}

fn line_starts(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    s.split_inclusive('\n').map(move |l| {
        let at = offset;
        offset += l.len();
        (at, l)
    })
}

/// Checks `languages:` (with `language:`, its one-language form) and resolves each language.
pub(super) fn resolve(
    entries: &[LanguageEntry],
    language: &str,
    language_written: bool,
    text: &Arc<str>,
) -> Result<Vec<Language>, Diagnostic> {
    if entries.is_empty() {
        if language.parse::<LanguageIdentifier>().is_err() {
            let at = text.find("language:").map_or(0..0, |i| i..i + 8);
            return Err(Diagnostic::error(format!(
                "`language` is not a language code: {language:?}"
            ))
            .at(CONFIG_FILE, text, at)
            .help("write a code such as en, es, fr or ar (BCP 47)"));
        }
        return Ok(vec![Language::single(language)]);
    }
    let mut out: Vec<Language> = Vec::with_capacity(entries.len());
    for (n, e) in entries.iter().enumerate() {
        let err = |message: String, key: &str, value: &str, help: &str| {
            Diagnostic::error(message)
                .at(CONFIG_FILE, text, locate(text, n, key, value))
                .help(help.to_string())
        };
        let code = e.code.as_str();
        let plain = !code.is_empty()
            && code.starts_with(|c: char| c.is_ascii_lowercase())
            && code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !code.ends_with('-');
        let id = code.parse::<LanguageIdentifier>().ok().filter(|_| plain);
        let Some(id) = id else {
            return Err(err(
                format!("{code:?} is not a language code"),
                "code",
                code,
                "write the language's BCP 47 code in lowercase, e.g. es, fr, ar or pt-br: it becomes \
                 the folder of the language's pages (/es/) and the end of its file names (about.es.md)",
            ));
        };
        if let Some(first) = out.iter().position(|l| &*l.code == code) {
            return Err(err(
                format!("the language `{code}` is listed twice in `languages`"),
                "code",
                code,
                &format!(
                    "it is already item {} of the list; remove one of them",
                    first + 1
                ),
            ));
        }
        if e.name.trim().is_empty() {
            return Err(err(
                format!("the language `{code}` has an empty `name`"),
                "name",
                "",
                "write the language's name in itself, as the language switcher shows it, e.g. name: Español",
            ));
        }
        let dir = match e.direction.as_deref() {
            None => cldr_direction(&id),
            Some("ltr") => Dir::Ltr,
            Some("rtl") => Dir::Rtl,
            Some(other) => {
                return Err(err(
                    format!("unknown direction {other:?} for the language `{code}`"),
                    "direction",
                    other,
                    "write `direction: rtl` (right to left) or `direction: ltr` (left to right), or remove \
                     the line: the direction of most languages is known",
                ));
            }
        };
        out.push(Language {
            code: Arc::from(code),
            name: e.name.clone(),
            dir,
            title: e.title.clone(),
            description: e.description.clone(),
            menu: e.menu.clone(),
            extra: e.extra.clone(),
            prefix: if n == 0 {
                String::new()
            } else {
                format!("{code}/")
            },
        });
    }
    if language_written && *out[0].code != *language {
        return Err(Diagnostic::error(format!(
            "`language` says `{language}` but the first of `languages` is `{}`",
            out[0].code
        ))
        .at(
            CONFIG_FILE,
            text,
            text.find("language:").map_or(0..0, |i| i..i + 8),
        )
        .help(
            "the first item of `languages` is the default language; remove the `language:` line, \
             or make it name the same language",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;

    fn parse(s: &str) -> Result<SiteConfig, Diagnostic> {
        SiteConfig::parse(&Arc::from(s))
    }

    #[test]
    fn direction_comes_from_cldr() {
        let dir = |c: &str| cldr_direction(&c.parse().unwrap());
        assert_eq!(dir("ar"), Dir::Rtl);
        assert_eq!(dir("he"), Dir::Rtl);
        assert_eq!(dir("fa"), Dir::Rtl);
        assert_eq!(dir("ur"), Dir::Rtl);
        assert_eq!(dir("en"), Dir::Ltr);
        assert_eq!(dir("es"), Dir::Ltr);
        assert_eq!(dir("zh"), Dir::Ltr);
    }

    #[test]
    fn one_language_without_the_list() {
        let c = parse("title: T\nlanguage: fr\n").unwrap();
        let l = c.languages();
        assert_eq!(l.len(), 1);
        assert_eq!(&*l[0].code, "fr");
        assert_eq!(l[0].prefix, "");
        assert_eq!(l[0].dir, Dir::Ltr);
        assert_eq!(
            parse("title: T\n").unwrap().languages()[0].code.as_ref(),
            "en"
        );
    }

    #[test]
    fn the_list_gives_prefixes_and_directions() {
        let c = parse(
            "title: T\nlanguages:\n  - code: en\n    name: English\n  - code: ar\n    name: العربية\n  - code: pt-br\n    name: Português\n    direction: ltr\n",
        )
        .unwrap();
        let l = c.languages();
        assert_eq!(
            l.iter().map(|l| l.prefix.as_str()).collect::<Vec<_>>(),
            ["", "ar/", "pt-br/"]
        );
        assert_eq!(l[1].dir, Dir::Rtl);
        assert_eq!(c.language, "en");
    }

    #[test]
    fn bad_lists_name_the_line() {
        let e = parse("title: T\nlanguages:\n  - code: en\n    name: English\n  - code: es\n    name: Español\n  - code: es\n    name: Español\n")
            .unwrap_err();
        assert!(e.message.contains("listed twice"), "{}", e.message);
        assert_eq!(e.line_col(), Some((7, 11)));
        let e = parse(
            "title: T\nlanguages:\n  - code: en\n    name: English\n  - code: ar\n    name: عربي\n    direction: up\n",
        )
        .unwrap_err();
        assert!(e.message.contains("unknown direction"), "{}", e.message);
        assert_eq!(e.line_col(), Some((7, 16)));
        let e = parse("title: T\nlanguages:\n  - code: EN\n    name: English\n").unwrap_err();
        assert!(e.message.contains("not a language code"), "{}", e.message);
        assert_eq!(e.line_col(), Some((3, 11)));
        let e = parse("title: T\nlanguages:\n  - code: ../x\n    name: X\n").unwrap_err();
        assert!(e.message.contains("not a language code"), "{}", e.message);
        let e = parse("title: T\nlanguage: fr\nlanguages:\n  - code: en\n    name: English\n")
            .unwrap_err();
        assert!(e.message.contains("first of `languages`"), "{}", e.message);
        assert_eq!(e.line_col(), Some((2, 1)));
        let e = parse("title: T\nlanguages:\n  - code: en\n    name: \" \"\n").unwrap_err();
        assert!(e.message.contains("empty `name`"), "{}", e.message);
    }
}
