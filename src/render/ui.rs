//! Interface strings in templates: the `UI` map (every string without arguments, formatted
//! once per language) and the `t(key=…, …)` function for strings with arguments (counts,
//! names), and the check that every string a template names exists.

use std::sync::{Arc, RwLock};

use fluent_bundle::{FluentArgs, FluentValue};
use icu_experimental::displaynames::DisplayNamesOptions;
use icu_experimental::displaynames::multi::RegionDisplayNames;
use tera::{Kwargs, State, Tera, Value};

use super::errors::template_path;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::load::SourceText;
use crate::strings::{Strings, uses};

/// What `t()` formats with: this build's strings and the language being rendered (for
/// components and cards, which do not see the page's `lang`).
pub(super) type StringsCell = Arc<RwLock<(Arc<Strings>, String)>>;

/// The `UI` value of a language: each string that takes no argument, by its key with `-`
/// written `_`. Formatted once per language and build, so a page pays a variable lookup
/// for each, not a function call. Its name sorts before every lowercase name, so that Tera,
/// which compares a name with each name before it in every scope it searches, finds it
/// with one comparison per scope (see docs/performance.md).
///
/// Each is escaped here, once, and kept as safe HTML: printing it then costs a copy, not an
/// escape of every character on every page (about 20 strings on each story page). A filter
/// applied to one sees `&amp;` for `&`; the theme applies none.
pub(super) fn ui_value(strings: &Strings, lang: &str) -> Value {
    let map: tera::Map = plain_escaped(strings, lang)
        .into_iter()
        .map(|(name, html)| (name.into(), Value::safe_string(&html)))
        .collect();
    Value::from(map)
}

/// The strings of a language that take no argument, by their `UI` name, as HTML.
pub(super) type Plain = rustc_hash::FxHashMap<String, String>;

pub(super) fn plain_escaped(strings: &Strings, lang: &str) -> Plain {
    strings
        .plain(lang)
        .into_iter()
        .map(|(name, text)| {
            let mut escaped = Vec::with_capacity(text.len() + 8);
            let html = match super::filters::escape_html(&text, &mut escaped) {
                Ok(()) => String::from_utf8_lossy(&escaped).into_owned(),
                Err(_) => String::new(),
            };
            (name, html)
        })
        .collect()
}

/// A template's text with each `{{ UI.name }}` replaced by that string's HTML, for the
/// language the templates are compiled for: the theme prints some twenty fixed strings on
/// every page, and a lookup each cost 5 % of a build. Curly braces in a string are written
/// as entities, so a string never becomes template syntax; its line breaks as spaces, so
/// template errors keep their line numbers. Other uses of `UI` (`title or UI.x`) and names
/// no language has are left to Tera.
pub(super) fn inline<'a>(text: &'a str, plain: &Plain) -> std::borrow::Cow<'a, str> {
    const OPEN: &str = "{{ UI.";
    if !text.contains(OPEN) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(OPEN) {
        let after = &rest[at + OPEN.len()..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..name_len];
        let tail = &after[name_len..];
        match (tail.strip_prefix(" }}"), plain.get(name)) {
            (Some(tail), Some(html)) if name_len > 0 => {
                out.push_str(&rest[..at]);
                for c in html.chars() {
                    match c {
                        '{' => out.push_str("&#123;"),
                        '}' => out.push_str("&#125;"),
                        '\n' | '\r' => out.push(' '),
                        c => out.push(c),
                    }
                }
                rest = tail;
            }
            _ => {
                out.push_str(&rest[..at + OPEN.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Topic names from the strings of the page's language (`tag-<slug>`), which win over
/// `topics:` in site.yaml (see [`tag_label`]).
pub(super) type TagLabels = rustc_hash::FxHashMap<String, String>;

pub(super) fn tag_labels(strings: &Strings, lang: &str) -> TagLabels {
    strings.tag_labels(lang).into_iter().collect()
}

/// How a tag is shown: `tag-<slug>` in the page's language, else `topics:` of site.yaml
/// (the default language's names), else the tag made readable.
pub(super) fn tag_label(
    labels: &TagLabels,
    config: &crate::config::SiteConfig,
    slug: &str,
    name: &str,
) -> String {
    match labels.get(slug) {
        Some(l) => l.clone(),
        None => config.topic_label(slug, name),
    }
}

/// Registers `t(key="stories-count", count=3, …)`: every named argument but `key` goes to
/// Fluent, numbers as numbers so that plural forms are chosen.
pub(super) fn register(tera: &mut Tera, cell: StringsCell) {
    tera.register_function(
        "t",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            let key: &str = kwargs.must_get("key")?;
            let Ok(current) = cell.read() else {
                return Err(tera::Error::message("t(): the strings are unavailable"));
            };
            let (strings, fallback) = &*current;
            let page_lang = state.get::<Value>("lang").ok().flatten();
            let code = page_lang
                .as_ref()
                .and_then(|l| l.get_from_path("code"))
                .and_then(Value::as_str)
                .unwrap_or(fallback);
            let mut args = FluentArgs::new();
            // HTML arguments (a link the template built) go in as markers, put back once the
            // string's own text is escaped: the text stays plain, the link stays a link.
            let mut html: Vec<&str> = Vec::new();
            for (name, value) in kwargs.iter() {
                let Some(name) = name.as_str() else { continue };
                if name == "key" {
                    continue;
                }
                if value.is_safe()
                    && let Some(s) = value.as_str()
                {
                    args.set(name.to_string(), marker(html.len()));
                    html.push(s);
                } else {
                    args.set(name.to_string(), fluent_value(value));
                }
            }
            let formatted = strings.format(code, key, Some(&args));
            let formatted = match formatted {
                Ok(text) if html.is_empty() => return Ok(Value::from(text)),
                other => other,
            };
            formatted
                .map(|text| {
                    let mut out = state.escape(&text).unwrap_or_default();
                    for (i, h) in html.iter().enumerate() {
                        out = out.replace(&marker(i), h);
                    }
                    Value::safe_string(&out)
                })
                .map_err(|e| {
                    let mut msg = format!("t(): {e}");
                    if !strings.has(key) {
                        let keys = strings.keys();
                        if let Some(near) = did_you_mean(key, keys.iter().copied()) {
                            msg.push_str(&format!(" (did you mean `{near}`?)"));
                        }
                    }
                    tera::Error::message(msg)
                })
        },
    );
}

/// Stands for the `i`th HTML argument in a formatted string: characters from the Private
/// Use Area, which no strings file or escaping produces.
fn marker(i: usize) -> String {
    format!("\u{E000}{i}\u{E001}")
}

fn fluent_value(v: &Value) -> FluentValue<'static> {
    if let Some(n) = v.as_i64() {
        FluentValue::from(n)
    } else if let Some(n) = v.as_f64() {
        FluentValue::from(n)
    } else if let Some(s) = v.as_str() {
        FluentValue::from(s.to_string())
    } else if v.is_none() || v.is_undefined() {
        FluentValue::None
    } else {
        FluentValue::from(v.to_string())
    }
}

/// Errors for the strings templates name (`UI.x`, `t(key="x")`) that no language has, and for
/// `UI.x` where `x` takes arguments (it is only in `t()`).
pub(super) fn check(
    strings: &Strings,
    templates: &[SourceText],
    theme_label: &str,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let default = strings.default_code();
    for t in templates {
        for u in uses(&t.text) {
            let path = template_path(&t.path, theme_label);
            let written = if u.plain {
                format!("UI.{}", u.key.replace('-', "_"))
            } else {
                format!("t(key=\"{}\")", u.key)
            };
            if !strings.has(&u.key) {
                let keys = strings.keys();
                let mut help = format!(
                    "add a line `{} = …` to strings/{default}.ftl beside site.yaml (and its translations to the other languages' files), or correct the key",
                    u.key
                );
                if let Some(near) = did_you_mean(&u.key, keys.iter().copied()) {
                    help = format!("did you mean `{near}`? Otherwise {help}");
                }
                out.push(
                    Diagnostic::error(format!(
                        "{path} uses the interface string `{}`, which no strings file has",
                        u.key
                    ))
                    .at(&path, &t.text, u.span)
                    .label(written)
                    .help(help),
                );
            } else if u.plain && strings.takes_arguments(default, &u.key) {
                out.push(
                    Diagnostic::error(format!(
                        "the interface string `{}` takes arguments, so it is not in `UI`",
                        u.key
                    ))
                    .at(&path, &t.text, u.span)
                    .help(format!(
                        "write {{{{ t(key=\"{}\", …) }}}} with the values it inserts, e.g. count=…",
                        u.key
                    )),
                );
            }
        }
    }
    out
}

/// The words rally itself puts on pages for the fixed vocabularies of front matter (kinds of
/// document, stances, partner types and regions), partners' roles and countries, in the
/// language rendered. Made once per build and language at the start of
/// [`values`](super::values::values), from the strings `kind-…`, `stance-…`,
/// `partner-type-…` (and `…-one` for one partner), `region-…` and `role-…`; a theme
/// without them shows the English labels of [`crate::content`]. Each is kept as a value,
/// which entries and pages clone (a long one is shared, not copied).
pub(super) struct Labels {
    kinds: Vec<Value>,
    stances: Vec<Value>,
    types: Vec<Value>,
    types_one: Vec<Value>,
    regions: Vec<Value>,
    /// By role key as front matter writes it, for the roles the site's partners have.
    roles: rustc_hash::FxHashMap<String, Value>,
    /// By ISO code, for the countries the site's partners are based in.
    countries: rustc_hash::FxHashMap<String, Value>,
    /// The titles of the list pages rally names (`<title>`, the lists' headings).
    pub(super) titles: Titles,
}

/// The titles of the pages that are no entry's, in the language rendered.
pub(super) struct Titles {
    pub(super) stories: String,
    /// "page", as in "Stories, page 2".
    pub(super) page: String,
    /// "Stories on", as in "Stories on Europe".
    pub(super) stories_on: String,
    pub(super) resolutions: String,
    pub(super) partners: String,
    pub(super) tags: String,
    pub(super) not_found: String,
    pub(super) search: String,
}

impl Labels {
    pub(super) fn new(strings: &Strings, lang: &str, site: &crate::link::Site) -> Labels {
        use crate::content::{PartnerType, Region, ResolutionKind, Stance, countries};
        let text = |key: &str, english: &str| -> Value {
            Value::from(
                strings
                    .format(lang, key, None)
                    .unwrap_or_else(|_| english.to_string()),
            )
        };
        // Indexed by the value's position in its enum (`k as usize`).
        fn table<K: Copy>(
            all: &[K],
            index: impl Fn(K) -> usize,
            make: impl Fn(K) -> Value,
        ) -> Vec<Value> {
            let mut out = vec![Value::none(); all.len()];
            for &k in all {
                out[index(k)] = make(k);
            }
            out
        }
        let kinds = table(
            &ResolutionKind::ALL,
            |k| k as usize,
            |k| {
                text(
                    &format!("{}{}", ResolutionKind::STRINGS, k.key()),
                    k.label(),
                )
            },
        );
        let stances = table(
            &Stance::ALL,
            |k| k as usize,
            |k| text(&format!("{}{}", Stance::STRINGS, k.key()), k.label()),
        );
        let types = table(
            &PartnerType::ALL,
            |k| k as usize,
            |k| text(&format!("{}{}", PartnerType::STRINGS, k.key()), k.label()),
        );
        let types_one = table(
            &PartnerType::ALL,
            |k| k as usize,
            |k| {
                text(
                    &format!("{}{}-one", PartnerType::STRINGS, k.key()),
                    k.singular(),
                )
            },
        );
        let regions = table(
            &Region::ALL,
            |k| k as usize,
            |k| text(&format!("{}{}", Region::STRINGS, k.key()), k.label()),
        );
        let names = region_names(lang);
        let mut roles = rustc_hash::FxHashMap::default();
        let mut places = rustc_hash::FxHashMap::default();
        for p in &site.partners {
            let m = &p.doc.meta;
            for r in &m.roles {
                if !roles.contains_key(r) {
                    roles.insert(r.clone(), text(&format!("role-{r}"), &english_role(r)));
                }
            }
            if let Some(code) = m.country.as_deref()
                && !places.contains_key(code)
                && let Some(name) = countries::name(code)
            {
                let local = names.as_ref().and_then(|n| country_name(n, code));
                places.insert(code.to_string(), Value::from(local.unwrap_or(name)));
            }
        }
        let title = |key: &str, english: &str| {
            (strings.format(lang, key, None)).unwrap_or_else(|_| english.to_string())
        };
        Labels {
            kinds,
            stances,
            types,
            types_one,
            regions,
            roles,
            countries: places,
            titles: Titles {
                stories: title("stories-title", "Stories"),
                page: title("stories-page-word", "page"),
                stories_on: title("stories-on", "Stories on"),
                resolutions: title("resolutions-all", "Resolutions and standards"),
                partners: title("partners-title", "Partners"),
                tags: title("tags-title", "Tags"),
                not_found: title("notfound-page-title", "Page not found"),
                search: title("search-title", "Search"),
            },
        }
    }

    pub(super) fn kind(&self, k: crate::content::ResolutionKind) -> Value {
        self.kinds[k as usize].clone()
    }
    pub(super) fn stance(&self, s: crate::content::Stance) -> Value {
        self.stances[s as usize].clone()
    }
    /// "UN agencies", for a group of partners.
    pub(super) fn partner_type(&self, t: crate::content::PartnerType) -> Value {
        self.types[t as usize].clone()
    }
    /// "UN agency", for one partner.
    pub(super) fn partner_type_one(&self, t: crate::content::PartnerType) -> Value {
        self.types_one[t as usize].clone()
    }
    pub(super) fn region(&self, r: crate::content::Region) -> Value {
        self.regions[r as usize].clone()
    }
    pub(super) fn role(&self, role: &str) -> Value {
        self.roles
            .get(role)
            .cloned()
            .unwrap_or_else(|| Value::from(english_role(role)))
    }
    /// The name of the country with ISO code `code`, if it is one.
    pub(super) fn country(&self, code: &str) -> Option<Value> {
        match self.countries.get(code) {
            Some(v) => Some(v.clone()),
            None => crate::content::countries::name(code).map(Value::from),
        }
    }
}

/// CLDR's names of countries in `lang` (compiled into rally), or none for English, whose
/// pages keep rally's own names (the short names of ISO 3166, see
/// [`crate::content::countries`]), or for a language CLDR cannot name countries in.
pub(crate) fn region_names(lang: &str) -> Option<RegionDisplayNames> {
    let locale: icu_locale_core::Locale = lang.parse().ok()?;
    if locale.id.language.as_str() == "en" {
        return None;
    }
    RegionDisplayNames::try_new(locale.into(), DisplayNamesOptions::default()).ok()
}

/// The name of the country with ISO code `code` among `names`.
pub(crate) fn country_name<'a>(names: &'a RegionDisplayNames, code: &str) -> Option<&'a str> {
    let region: icu_locale_core::subtags::Region = code.parse().ok()?;
    names.of(region)
}

/// A partner's role in English: the campaign's own roles by name, any other key made
/// readable (`media-partner` → "Media partner").
fn english_role(role: &str) -> String {
    match role {
        "campaign-coordinator" => "Campaign coordinator".into(),
        "working-group-chair" => "Chair of the Inter-Agency Working Group".into(),
        "working-group-member" => "Inter-Agency Working Group member".into(),
        "campaign-supporter" => "Campaign supporter".into(),
        "un-standard-setter" => "UN standard-setting body".into(),
        "regional-standard-setter" => "Regional standard-setting body".into(),
        other => {
            let s = other.replace('-', " ");
            let mut c = s.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => s,
            }
        }
    }
}

#[cfg(test)]
mod inline_tests {
    use super::*;

    #[test]
    fn fixed_strings_are_written_into_the_template() {
        let plain: Plain = [
            ("skip_link".to_string(), "Skip &amp; go".to_string()),
            (
                "tricky".to_string(),
                "{{ site.title }} {% if x %}\nline".to_string(),
            ),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            inline("<a>{{ UI.skip_link }}</a>{{ UI.missing }}", &plain),
            "<a>Skip &amp; go</a>{{ UI.missing }}"
        );
        // Never template syntax, never a new line.
        assert_eq!(
            inline("{{ UI.tricky }}", &plain),
            "&#123;&#123; site.title &#125;&#125; &#123;% if x %&#125; line"
        );
        // Only the plain form: other expressions stay Tera's.
        assert_eq!(
            inline(
                "{{ title or UI.skip_link }}{{ UI.skip_link | upper }}",
                &plain
            ),
            "{{ title or UI.skip_link }}{{ UI.skip_link | upper }}"
        );
        assert!(matches!(
            inline("no strings", &plain),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
