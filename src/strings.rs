//! Interface strings: the theme's words ("Read more", "3 stories", form labels) in each of the
//! site's languages, from Project Fluent files (`strings/<lang>.ftl` in the theme, with single
//! keys overridden by the site's own `strings/<lang>.ftl`). A leaf: load reads the files,
//! render formats them; the parse and its checks are here.
//!
//! Strings are plain text (render escapes them like any value); placeables are wrapped in
//! Unicode isolation marks, so a Latin name in an Arabic sentence keeps its direction.

use std::ops::Range;
use std::sync::Arc;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use fluent_syntax::ast;
use fluent_syntax::parser::ErrorKind;
use unic_langid::LanguageIdentifier;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::source::SourceText;

/// Where a site's own strings files are, beside `content/` and `templates/`.
pub const SITE_DIR: &str = "strings";

/// The language whose strings every theme must have: the last fallback of every language.
const BASE: &str = "en";

/// Every language's strings, parsed and merged (theme, then the site's overrides).
pub struct Strings {
    /// The site's languages, default first; then the theme's English when it is not one of
    /// them, as the last fallback.
    langs: Vec<Lang>,
    /// Of every file read, so that pages are rendered again when a string changes.
    pub hash: u64,
}

struct Lang {
    code: String,
    bundle: FluentBundle<FluentResource>,
    /// Its message ids, theme's and site's.
    ids: Vec<String>,
    /// The file a missing key belongs in, for messages: the site's if it has one.
    file: Option<String>,
}

impl Default for Strings {
    fn default() -> Strings {
        Strings::empty()
    }
}

impl std::fmt::Debug for Strings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.langs.iter().map(|l| &l.code))
            .finish()
    }
}

impl Strings {
    /// Parses the strings files of `codes` (the site's languages, default first) out of
    /// `files` (the theme's under any folder, the site's under `strings/`). Syntax errors
    /// are errors; a key the default language has and another language lacks is a warning
    /// (the default's text is shown).
    pub fn parse(files: &[SourceText], codes: &[String]) -> (Strings, Diagnostics) {
        let mut diags = Diagnostics::new();
        let mut wanted: Vec<&str> = codes.iter().map(String::as_str).collect();
        if !wanted.iter().any(|c| primary(c) == BASE) {
            wanted.push(BASE);
        }
        let mut langs = Vec::new();
        for code in wanted {
            let theme = pick(files, code, false);
            let site = pick(files, code, true);
            let langid: LanguageIdentifier = code.parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            let mut ids = Vec::new();
            for (file, overriding) in [(theme, false), (site, true)] {
                let Some(file) = file else { continue };
                let res = parse_file(file, &mut diags);
                for id in message_ids(&res) {
                    if ids.contains(&id) {
                        if !overriding {
                            diags.push(twice(file, &id));
                        }
                    } else {
                        ids.push(id);
                    }
                }
                if overriding {
                    bundle.add_resource_overriding(res);
                } else {
                    // Only a key written twice in one file fails here, reported above.
                    let _ = bundle.add_resource(res);
                }
            }
            langs.push(Lang {
                code: code.to_string(),
                bundle,
                ids,
                file: site.or(theme).map(|f| f.path.clone()),
            });
        }
        missing_keys(&langs, codes.len(), &mut diags);
        let hash =
            crate::link::hash_one(&files.iter().map(|f| (&f.path, &f.text)).collect::<Vec<_>>());
        (Strings { langs, hash }, diags)
    }

    /// No strings at all (for callers that build without a theme's files).
    pub fn empty() -> Strings {
        Strings::parse(&[], &[]).0
    }

    /// The languages to look `key` up in for `lang`: itself, the default, the base.
    fn chain(&self, lang: &str) -> impl Iterator<Item = &Lang> {
        let own = self.langs.iter().position(|l| l.code == lang).unwrap_or(0);
        let base = self.langs.len().saturating_sub(1);
        let mut order = [own, 0, base];
        if order[1] == own {
            order[1] = usize::MAX;
        }
        if order[2] == own || order[2] == 0 {
            order[2] = usize::MAX;
        }
        order.into_iter().filter_map(|i| self.langs.get(i))
    }

    /// The default language's code (the theme's base language if the site names none).
    pub fn default_code(&self) -> &str {
        self.langs.first().map_or(BASE, |l| l.code.as_str())
    }

    /// Whether any language has `key`.
    pub fn has(&self, key: &str) -> bool {
        self.langs.iter().any(|l| l.bundle.has_message(key))
    }

    /// Every key of every language, sorted (for "did you mean").
    pub fn keys(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self
            .langs
            .iter()
            .flat_map(|l| l.ids.iter().map(String::as_str))
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// `key` in `lang` (or its fallback), with `args`. Errs with a sentence for a key no
    /// language has, or a placeable whose argument is missing.
    pub fn format(
        &self,
        lang: &str,
        key: &str,
        args: Option<&FluentArgs>,
    ) -> Result<String, String> {
        let Some((l, pattern)) = self.chain(lang).find_map(|l| {
            l.bundle
                .get_message(key)
                .and_then(|m| m.value())
                .map(|p| (l, p))
        }) else {
            return Err(format!("there is no interface string `{key}`"));
        };
        let mut errors = Vec::new();
        let text = l.bundle.format_pattern(pattern, args, &mut errors);
        match errors.first() {
            None => Ok(text.into_owned()),
            Some(e) => Err(format!(
                "the interface string `{key}` could not be made: {e}"
            )),
        }
    }

    /// The strings of `lang` that take no argument, formatted, as (name, text) with the
    /// key's `-` written `_` (`read-more` → `read_more`), as templates read them.
    pub fn plain(&self, lang: &str) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for l in self.chain(lang) {
            for id in &l.ids {
                if seen.contains(&id.as_str()) {
                    continue;
                }
                seen.push(id);
                if let Ok(text) = self.format(lang, id, None) {
                    out.push((id.replace('-', "_"), text));
                }
            }
        }
        out.sort();
        out
    }

    /// The `tag-<slug>` strings `lang` has itself (not through a fallback), as (slug, label):
    /// the topic names that language's pages show.
    pub fn tag_labels(&self, lang: &str) -> Vec<(String, String)> {
        let Some(l) = self.langs.iter().find(|l| l.code == lang) else {
            return Vec::new();
        };
        l.ids
            .iter()
            .filter_map(|id| {
                let slug = id.strip_prefix("tag-")?;
                let text = self.format(lang, id, None).ok()?;
                Some((slug.to_string(), text))
            })
            .collect()
    }

    /// Whether `key` needs arguments (so templates must use `t()`).
    pub fn takes_arguments(&self, lang: &str, key: &str) -> bool {
        self.has(key) && self.format(lang, key, None).is_err()
    }
}

/// The primary language of a code: `en-GB` → `en`.
fn primary(code: &str) -> &str {
    code.split(['-', '_']).next().unwrap_or(code)
}

/// The file for `code` among the site's (`strings/…`) or the theme's files: its own
/// (`en-GB.ftl`), else its primary language's (`en.ftl`).
fn pick<'a>(files: &'a [SourceText], code: &str, site: bool) -> Option<&'a SourceText> {
    let of = |want: &str| {
        files.iter().find(|f| {
            let is_site = f.path.starts_with("strings/");
            let stem = f.path.rsplit('/').next().unwrap_or(&f.path);
            is_site == site && stem.strip_suffix(".ftl") == Some(want)
        })
    };
    of(code).or_else(|| of(primary(code)))
}

fn parse_file(file: &SourceText, diags: &mut Diagnostics) -> FluentResource {
    match FluentResource::try_new(file.text.to_string()) {
        Ok(res) => res,
        Err((res, errors)) => {
            for e in errors {
                diags.push(syntax_error(file, &e.kind, e.pos));
            }
            res
        }
    }
}

/// A syntax error in plain words, at its line and column.
fn syntax_error(file: &SourceText, kind: &ErrorKind, pos: Range<usize>) -> Diagnostic {
    let len = file.text.len();
    let start = pos.start.min(len);
    let end = pos.end.clamp(start, len);
    let (message, help) = match kind {
        ErrorKind::ExpectedToken('=') | ErrorKind::ExpectedMessageField { .. } => (
            "this line is not `key = text`".to_string(),
            "each string is a key, ` = ` and its text, e.g. `read-more = Read more`; a line \
             that continues the text above starts with spaces",
        ),
        ErrorKind::ExpectedCharRange { .. } => (
            "a key must start with a letter".to_string(),
            "keys are made of letters, digits, `-` and `_`, starting with a letter: \
             `stories-count`; a comment line starts with `#`",
        ),
        ErrorKind::UnbalancedClosingBrace => (
            "a `}` closes nothing".to_string(),
            "`{ … }` inserts a value, e.g. `{ $count }`; for a brace as text write `{\"}\"}`",
        ),
        ErrorKind::MissingDefaultVariant => (
            "this choice has no default".to_string(),
            "mark the variant used when no other fits with `*`, e.g. `*[other] {$count} \
             stories`",
        ),
        ErrorKind::UnterminatedStringLiteral | ErrorKind::ExpectedToken('}') => (
            "a `{` is not closed".to_string(),
            "`{ … }` inserts a value, e.g. `{ $count }`; for a brace as text write `{\"{\"}`",
        ),
        other => (
            format!("this strings file cannot be read here: {other}"),
            "see docs/templates.md, \"Interface strings\", for the format: `key = text`, \
             values as `{ $name }`, plural forms as `{ $count -> [one] … *[other] … }`",
        ),
    };
    Diagnostic::error(message)
        .at(&file.path, &file.text, start..end)
        .help(help)
}

fn twice(file: &SourceText, id: &str) -> Diagnostic {
    let at = file.text.match_indices(id).nth(1).map(|(i, _)| i);
    let d = Diagnostic::warning(format!("the string `{id}` is defined twice in this file"))
        .help("the first one is used; remove the other");
    match at {
        Some(i) => d.at(&file.path, &file.text, i..i + id.len()),
        None => d.in_file(&file.path),
    }
}

fn message_ids(res: &FluentResource) -> Vec<String> {
    res.entries()
        .filter_map(|e| match e {
            ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

/// Warnings for keys the default language has and another of the site's languages (the
/// first `site` of `langs`) lacks, and for keys the theme's English has and the default lacks
/// when English is not a site language: pages show the fallback's text.
fn missing_keys(langs: &[Lang], site: usize, diags: &mut Diagnostics) {
    let Some(default) = langs.first() else { return };
    for (i, l) in langs.iter().enumerate().take(site) {
        let reference = match (i, langs.get(site)) {
            (0, Some(base)) => base,
            (0, None) => continue,
            _ => default,
        };
        if reference.ids.is_empty() {
            continue;
        }
        let Some(file) = &l.file else {
            diags.push(
                Diagnostic::warning(format!(
                    "there are no interface strings for the language `{}`: its pages show the `{}` texts",
                    l.code, reference.code
                ))
                .help(format!(
                    "add {SITE_DIR}/{}.ftl beside site.yaml with a translation of each key of the theme's {}.ftl",
                    l.code, reference.code
                )),
            );
            continue;
        };
        for id in &reference.ids {
            if !l.ids.contains(id) {
                diags.push(
                    Diagnostic::warning(format!(
                        "the interface string `{id}` has no `{}` text: pages in `{}` show the `{}` one",
                        l.code, l.code, reference.code
                    ))
                    .in_file(file)
                    .help(format!(
                        "add a line `{id} = …` to {SITE_DIR}/{}.ftl (a site's file overrides single keys of the theme's)",
                        l.code
                    )),
                );
            }
        }
    }
}

/// Where a template uses an interface string: `UI.read_more` or `t(key="stories-count", …)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    /// The key as the strings files write it (`read-more`).
    pub key: String,
    pub span: Range<usize>,
    /// Through `UI.` (so it must take no argument).
    pub plain: bool,
}

/// The interface strings a template names literally.
pub fn uses(text: &str) -> Vec<Use> {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("UI.") {
        let at = from + i;
        from = at + 3;
        if text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| ident(c) || c == '.')
        {
            continue;
        }
        let rest = &text[from..];
        let end = rest.find(|c: char| !ident(c)).unwrap_or(rest.len());
        if end > 0 {
            out.push(Use {
                key: rest[..end].replace('_', "-"),
                span: from..from + end,
                plain: true,
            });
        }
    }
    for quote in ['"', '\''] {
        let pat = format!("t(key={quote}");
        let mut from = 0;
        while let Some(i) = text[from..].find(&pat) {
            let at = from + i;
            from = at + pat.len();
            if text[..at].chars().next_back().is_some_and(ident) {
                continue;
            }
            if let Some(end) = text[from..].find(quote) {
                out.push(Use {
                    key: text[from..from + end].to_string(),
                    span: from..from + end,
                    plain: false,
                });
            }
        }
    }
    out.sort_by_key(|u| u.span.start);
    out
}

/// Shared, for the template function that formats strings while pages render.
pub type Shared = Arc<Strings>;

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> SourceText {
        SourceText::new(path, Arc::from(text))
    }

    fn codes(c: &[&str]) -> Vec<String> {
        c.iter().map(|s| s.to_string()).collect()
    }

    fn count(s: &Strings, lang: &str, n: i64) -> String {
        let mut args = FluentArgs::new();
        args.set("count", n);
        s.format(lang, "stories", Some(&args)).unwrap()
    }

    #[test]
    fn plurals_follow_each_language() {
        let files = [
            file(
                "theme/strings/en.ftl",
                "stories = { $count ->\n [one] { $count } story\n *[other] { $count } stories\n}\n",
            ),
            file(
                "theme/strings/ar.ftl",
                "stories = { $count ->\n [zero] لا قصص\n [one] قصة واحدة\n [two] قصتان\n [few] { $count } قصص\n [many] { $count } قصة\n *[other] { $count } قصة.\n}\n",
            ),
        ];
        let (s, diags) = Strings::parse(&files, &codes(&["en", "ar"]));
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(count(&s, "en", 1), "\u{2068}1\u{2069} story");
        assert_eq!(count(&s, "en", 3), "\u{2068}3\u{2069} stories");
        let forms: Vec<String> = [0, 1, 2, 3, 11, 100]
            .iter()
            .map(|&n| count(&s, "ar", n))
            .collect();
        assert_eq!(forms[0], "لا قصص");
        assert_eq!(forms[1], "قصة واحدة");
        assert_eq!(forms[2], "قصتان");
        assert_eq!(forms[3], "\u{2068}3\u{2069} قصص");
        assert_eq!(forms[4], "\u{2068}11\u{2069} قصة");
        assert_eq!(forms[5], "\u{2068}100\u{2069} قصة.");
    }

    #[test]
    fn site_files_override_single_keys_and_missing_keys_fall_back() {
        let files = [
            file("theme/strings/en.ftl", "a = A\nb = B\n"),
            file("theme/strings/es.ftl", "a = A es\n"),
            file("strings/en.ftl", "b = B site\nc = only the site\n"),
        ];
        let (s, diags) = Strings::parse(&files, &codes(&["en", "es"]));
        assert_eq!(s.format("en", "b", None).unwrap(), "B site");
        assert_eq!(s.format("es", "a", None).unwrap(), "A es");
        // Missing in Spanish: the default's text, and a warning naming key and language.
        assert_eq!(s.format("es", "b", None).unwrap(), "B site");
        let text = format!("{diags:?}");
        assert_eq!(diags.warning_count(), 2, "{text}");
        assert!(text.contains("`b` has no `es` text"), "{text}");
        assert!(text.contains("`c` has no `es` text"), "{text}");
        assert!(!diags.has_errors());
        assert!(s.format("es", "nope", None).is_err());
        let plain = s.plain("es");
        assert!(plain.contains(&("a".into(), "A es".into())), "{plain:?}");
    }

    #[test]
    fn syntax_errors_have_a_place_and_plain_words() {
        let files = [file(
            "strings/en.ftl",
            "ok = fine\nthis line has no equals sign\n",
        )];
        let (s, diags) = Strings::parse(&files, &codes(&["en"]));
        assert!(diags.has_errors());
        let d = diags.iter().next().unwrap();
        assert_eq!(d.line_col().map(|(l, _)| l), Some(2), "{d:?}");
        assert_eq!(s.format("en", "ok", None).unwrap(), "fine");
    }

    #[test]
    fn a_language_without_a_file_warns_once_and_shows_english() {
        let files = [file("theme/strings/en.ftl", "a = A\nb = B\n")];
        let (s, diags) = Strings::parse(&files, &codes(&["de"]));
        assert_eq!(diags.warning_count(), 1, "{diags:?}");
        assert_eq!(s.format("de", "a", None).unwrap(), "A");
        // en-GB reads en.ftl, with no warning.
        let (s, diags) = Strings::parse(&files, &codes(&["en-GB"]));
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(s.format("en-GB", "b", None).unwrap(), "B");
    }

    #[test]
    fn uses_in_templates_are_found() {
        let t = r#"{{ UI.read_more }} {{ t(key="stories-count", count=3) }} {{ GUI.x }} {{ s.UI.y }} {{ at(key='z') }}"#;
        let found: Vec<(String, bool)> = uses(t).into_iter().map(|u| (u.key, u.plain)).collect();
        assert_eq!(
            found,
            [
                ("read-more".to_string(), true),
                ("stories-count".to_string(), false)
            ]
        );
    }
}
