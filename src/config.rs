//! `site.yaml`: the site's settings in one typed struct, every key but `title` defaulted.

use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::frontmatter;

mod images;
mod languages;
pub use images::ImageConfig;
pub use languages::{Dir, Language, LanguageEntry, cldr_direction};

/// The name of the config file at the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// The whole of `site.yaml`. See `docs/configuration.md` for every key.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The site's name, shown in the header and in the browser tab.
    pub title: String,
    /// One sentence about the site, for search engines and social cards.
    #[serde(default)]
    pub description: String,
    /// Where the site is published, e.g. `https://example.org/` or `https://example.org/campaign/`.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// Language of the content, as a BCP 47 tag (`en`, `fr`, `es`): the one-language form of
    /// `languages`.
    #[serde(default = "default_language")]
    pub language: String,
    /// The languages the site is published in, the default first (see [`LanguageEntry`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<LanguageEntry>,
    /// `languages` (or `language`) checked, with directions and folders.
    #[serde(skip)]
    resolved_languages: Vec<Language>,
    /// Theme folder under `themes/`; `campaign` is built in.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Main navigation. When absent: Stories, Resolutions, Partners, then pages with `menu_weight`.
    #[serde(default)]
    pub menu: Option<Vec<MenuItem>>,
    /// How many stories each page of `/stories/` lists.
    #[serde(default = "default_per_page")]
    pub stories_per_page: usize,
    /// How many stories the home page shows as "latest".
    #[serde(default = "default_home_stories")]
    pub home_stories: usize,
    /// Whether raw HTML in Markdown bodies is kept, per collection. Where it is off, bodies are
    /// cleaned by a sanitiser: tags and attributes that could run scripts are removed.
    #[serde(default)]
    pub raw_html: RawHtml,
    /// Display names of story tags (`crc: "Committee on the Rights of the Child"`). A tag
    /// without one is shown as written, hyphens as spaces, with a capital first letter.
    #[serde(default)]
    pub topics: std::collections::BTreeMap<String, String>,
    /// Where the `form` embeds send what visitors type (see [`Forms`]).
    #[serde(default)]
    pub forms: Forms,
    /// What the footer shows besides the menu (see [`Footer`]).
    #[serde(default)]
    pub footer: Footer,
    /// How photos are resized and encoded (see [`ImageConfig`]).
    #[serde(default)]
    pub images: ImageConfig,
    /// Minify the pages on `rally build` (as `--minify` does).
    #[serde(default)]
    pub minify: bool,
    /// Publish the entries as open data under `data/` (docs/open-data.md).
    #[serde(default = "yes")]
    pub open_data: bool,
    /// Free-form values for the theme (`{{ site.extra.… }}`).
    #[serde(default)]
    pub extra: serde_yaml::Mapping,
}

/// One link of the main navigation.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    pub name: String,
    /// A path on the site (`/stories/`), a content file (`@/about.md`) or a full URL.
    pub url: String,
    /// Shown as a call to action (the campaign theme draws it as a button).
    #[serde(default)]
    pub highlight: bool,
}

/// `raw_html:` in site.yaml. Staff-written collections allow raw HTML; partner listings,
/// which may come from outside submissions, do not.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, Hash, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct RawHtml {
    pub stories: bool,
    pub resolutions: bool,
    pub partners: bool,
    pub pages: bool,
}

impl Default for RawHtml {
    fn default() -> Self {
        RawHtml {
            stories: true,
            resolutions: true,
            partners: false,
            pages: true,
        }
    }
}

impl RawHtml {
    pub fn allows(&self, c: crate::collection::Collection) -> bool {
        use crate::collection::Collection;
        match c {
            Collection::Stories => self.stories,
            Collection::Resolutions => self.resolutions,
            Collection::Partners => self.partners,
            Collection::Pages => self.pages,
        }
    }
}

/// `forms:` in site.yaml: where each kind of form posts, and what is said beside it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, Hash, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Forms {
    /// The address forms without an endpoint are emailed to, from the visitor's own email
    /// program.
    pub contact_email: Option<String>,
    /// A page that says how the campaign handles what visitors send (`/privacy/`, `@/privacy.md`
    /// or an https address), linked beside every form.
    pub privacy_page: Option<String>,
    /// Organisations endorsing the campaign.
    pub endorse: FormConfig,
    /// People signing up for updates.
    pub signup: FormConfig,
}

/// One kind of form in `forms:`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, Hash, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct FormConfig {
    /// Where the form posts: an `https://` address of a form provider, or a path on this
    /// site's host starting with `/` (Netlify Forms).
    pub endpoint: Option<String>,
    /// The thank-you page visitors are sent to after posting (`/take-action/thanks/` or
    /// `@/take-action/thanks.md`), given to the provider as the `_next` field.
    pub thanks: Option<String>,
    /// The sentence beside the form saying where what visitors type goes; when absent, it is
    /// worked out from the endpoint.
    pub privacy: Option<String>,
    /// The name of the field that people leave empty and spam robots fill in
    /// (default [`DEFAULT_HONEYPOT`], Formspree's).
    pub honeypot: Option<String>,
}

/// `footer:` in site.yaml: who runs the campaign and how to reach them. Every key is optional;
/// the footer shows nothing for a key that is not set.
#[derive(Debug, Clone, Default, Deserialize, Serialize, Hash, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Footer {
    /// The organisation that coordinates the campaign.
    pub coordinator: Option<FooterLink>,
    /// An address readers can write to (a `mailto:` link).
    pub contact_email: Option<String>,
    /// The privacy page: a site path, a content file (`@/privacy.md`) or an https address.
    pub privacy: Option<String>,
    /// The licence of the site's content.
    pub licence: Option<FooterLink>,
    /// The campaign's accounts elsewhere, in order.
    pub social: Vec<FooterLink>,
    /// The page with the sign-up form, linked only while `forms.signup.endpoint` is set.
    pub newsletter: Option<String>,
}

/// A named link of `footer:`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, Hash, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FooterLink {
    pub name: String,
    /// An https address, a site path (`/about/`) or a content file (`@/about.md`).
    pub url: String,
}

/// Why `url` cannot be a link of the footer, if it cannot: only https addresses, paths on this
/// site and content files are taken, so no `javascript:`, `data:` or unencrypted link gets in.
pub fn footer_url(url: &str) -> Result<(), String> {
    if url.starts_with("@/") {
        return if url.len() > 2 && !url.contains(|c: char| c.is_whitespace() || c.is_control()) {
            Ok(())
        } else {
            Err(format!("{url:?} is not a content file"))
        };
    }
    if let Some(rest) = url.strip_prefix("https://") {
        // As [`endpoint`], but an `@` may follow the host (`https://social.example/@campaign`).
        let host = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
        let bad = |c: char| c.is_whitespace() || c.is_control() || "\"'<>`\\".contains(c);
        if host.is_empty() || host.contains('@') || rest.contains(bad) {
            return Err(format!("{url:?} is not a complete https:// address"));
        }
        return Ok(());
    }
    if url.starts_with('/') && !url.starts_with("//") {
        return endpoint(url).map(|_| ());
    }
    Err(format!(
        "{url:?} is neither an https:// address, a path on this site starting with /, nor a content file (@/...)"
    ))
}

/// The honeypot field's name when `honeypot` is not set.
pub const DEFAULT_HONEYPOT: &str = "_gotcha";

impl Forms {
    /// The kinds of form, by the name the embed and `forms:` use.
    pub const KINDS: [&'static str; 2] = ["endorse", "signup"];

    /// The settings of the form named `kind`.
    pub fn get(&self, kind: &str) -> Option<&FormConfig> {
        match kind {
            "endorse" => Some(&self.endorse),
            "signup" => Some(&self.signup),
            _ => None,
        }
    }
}

/// How a form leaves the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint<'a> {
    /// Posted to a provider's https address.
    Https { url: &'a str, host: &'a str },
    /// Posted to a path on this site's host (Netlify Forms).
    SameSite(&'a str),
}

/// What an endpoint is, or why it is refused (a sentence naming the problem).
pub fn endpoint(url: &str) -> Result<Endpoint<'_>, String> {
    if let Some(rest) = url.strip_prefix("https://") {
        let host = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
        let bad = |c: char| c.is_whitespace() || c.is_control() || "\"'<>`\\@".contains(c);
        if host.is_empty() || host.contains(bad) || rest.contains(bad) {
            return Err(format!("{url:?} is not a complete https:// address"));
        }
        return Ok(Endpoint::Https { url, host });
    }
    if url.starts_with("//") {
        return Err(format!(
            "{url:?} starts with //, which sends the form to another host without saying https"
        ));
    }
    if url.starts_with('/') {
        if url.contains(|c: char| c.is_whitespace() || c.is_control() || "\"'<>`\\".contains(c)) {
            return Err(format!("{url:?} is not a path on this site"));
        }
        return Ok(Endpoint::SameSite(url));
    }
    let lower = url.trim_start().to_ascii_lowercase();
    if lower.starts_with("http:") {
        return Err(format!(
            "{url:?} is an http:// address, which sends what visitors type unencrypted"
        ));
    }
    Err(format!(
        "{url:?} is neither an https:// address nor a path on this site starting with /"
    ))
}

/// Whether `s` looks like one email address (no spaces, no characters that would change a
/// `mailto:` link).
pub fn is_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(|c: char| {
                    c.is_whitespace() || c.is_control() || "\"'<>`\\?&#%,;:/()[]".contains(c)
                })
                && !domain.contains('@')
        }
        None => false,
    }
}

fn default_base_url() -> String {
    "/".into()
}
fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    "campaign".into()
}
fn default_per_page() -> usize {
    10
}
fn default_home_stories() -> usize {
    6
}
fn yes() -> bool {
    true
}

impl SiteConfig {
    /// How a tag is shown to readers: its name from `topics`, or the tag made readable
    /// (`alternatives-to-detention` is "Alternatives to detention").
    pub fn topic_label(&self, slug: &str, name: &str) -> String {
        if let Some(label) = self.topics.get(slug).or_else(|| self.topics.get(name)) {
            return label.clone();
        }
        let spaced = name.replace(['-', '_'], " ");
        let mut chars = spaced.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => spaced,
        }
    }

    /// Parses and checks `site.yaml`.
    pub fn parse(text: &Arc<str>) -> Result<SiteConfig, Diagnostic> {
        let mut config: SiteConfig =
            frontmatter::parse(CONFIG_FILE, text, 0..text.len(), "site.yaml")?;
        let locate = |key: &str| {
            let start = text.find(&format!("{key}:")).unwrap_or(0);
            start..start + key.len()
        };
        if config.title.trim().is_empty() {
            return Err(Diagnostic::error("the site title is empty")
                .at(CONFIG_FILE, text, locate("title"))
                .help("give the site a name, e.g. title: \"End Child Detention\""));
        }
        if let Some((key, message)) = config.images.problem() {
            return Err(Diagnostic::error(message)
                .at(CONFIG_FILE, text, locate(key))
                .help("see docs/images.md for the `images:` settings and their defaults"));
        }
        if config.stories_per_page == 0 {
            return Err(
                Diagnostic::error("`stories_per_page` must be at least 1").at(
                    CONFIG_FILE,
                    text,
                    locate("stories_per_page"),
                ),
            );
        }
        // `theme` names a folder under themes/: no path may lead templates or files in from
        // elsewhere (`../../tmp/x`, `/etc`).
        let t = config.theme.as_str();
        let plain = !t.is_empty()
            && !t.starts_with('.')
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !plain {
            let at = text.find("theme:").map_or(0..0, |start| {
                let value = text[start..].find(t).map_or(start, |i| start + i);
                value..value + t.len()
            });
            return Err(Diagnostic::error(format!(
                "`theme` must be the name of a folder in themes/, not {t:?}"
            ))
            .at(CONFIG_FILE, text, at)
            .help(format!(
                "write only the folder's name (letters, digits, - and _), e.g. theme: campaign for themes/campaign/; \
                 a theme outside the site folder is not read. Remove the line to use the built-in `{}` theme",
                default_theme()
            )));
        }
        if base_path(&config.base_url).is_none() {
            return Err(Diagnostic::error(format!(
                "`base_url` is not a web address: {:?}",
                config.base_url
            ))
            .at(CONFIG_FILE, text, locate("base_url"))
            .help("write the full address the site is published at, e.g. https://example.org/, or `/`"));
        }
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        check_forms(&config.forms, text)?;
        check_footer(&config.footer, text)?;
        let written = text
            .match_indices("language:")
            .any(|(i, _)| i == 0 || text[..i].ends_with('\n'));
        config.resolved_languages =
            languages::resolve(&config.languages, &config.language, written, text)?;
        config.language = config.resolved_languages[0].code.to_string();
        Ok(config)
    }

    /// The site's languages, the default first; one when `languages:` is not set.
    pub fn languages(&self) -> &[Language] {
        &self.resolved_languages
    }

    /// The codes of [`Self::languages`], the default first.
    pub fn language_codes(&self) -> Vec<String> {
        self.languages()
            .iter()
            .map(|l| l.code.to_string())
            .collect()
    }

    /// Whether the site is published in more than one language.
    pub fn is_multilingual(&self) -> bool {
        self.resolved_languages.len() > 1
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        base_path(&self.base_url).unwrap_or_else(|| "/".into())
    }

    /// `base_url` without its path, e.g. `https://example.org`; empty for a relative base.
    pub fn origin(&self) -> &str {
        origin(&self.base_url)
    }
}

/// Where `key: value` of `forms:` is in site.yaml: found key by key along `keys`, then the
/// value after the last one (or the key itself).
fn locate_forms(text: &str, keys: &[&str], value: &str) -> Range<usize> {
    locate_in(text, "forms", keys, value)
}

/// Where `key: value` of the section `section` is in site.yaml, as [`locate_forms`].
fn locate_in(text: &str, section: &str, keys: &[&str], value: &str) -> Range<usize> {
    let key = format!("{section}:");
    // The section's own line, not a mention in a comment; else any mention.
    let mut at = (text.match_indices(&key))
        .find(|(i, _)| *i == 0 || text[..*i].ends_with('\n'))
        .map(|(i, _)| i)
        .or_else(|| text.find(&key))
        .unwrap_or(0);
    for key in keys {
        match text[at..].find(&format!("{key}:")) {
            Some(i) => at += i,
            None => return at..at,
        }
    }
    match text[at..].find(value).filter(|_| !value.is_empty()) {
        Some(i) => at + i..at + i + value.len(),
        None => at..at + keys.last().map_or(5, |k| k.len()),
    }
}

/// The checks of `forms:` that serde cannot make.
fn check_forms(forms: &Forms, text: &Arc<str>) -> Result<(), Diagnostic> {
    for kind in Forms::KINDS {
        let Some(form) = forms.get(kind) else {
            continue;
        };
        if let Some(url) = &form.endpoint
            && let Err(why) = endpoint(url)
        {
            return Err(Diagnostic::error(format!(
                "the {kind} form's `endpoint` must be an https:// address or a path on this site: {why}"
            ))
            .at(CONFIG_FILE, text, locate_forms(text, &[kind, "endpoint"], url))
            .help(
                "forms carry names and email addresses, so they must travel encrypted: write the https:// \
                 address your form provider gives you (e.g. https://formspree.io/f/your-form-id), or a path \
                 starting with / when the site's host collects forms itself (Netlify Forms); see docs/configuration.md",
            ));
        }
        if let Some(page) = &form.thanks
            && !(page.starts_with("@/") || page.starts_with('/') && !page.starts_with("//"))
        {
            return Err(Diagnostic::error(format!(
                "the {kind} form's thank-you page must be a page of this site, not {page:?}"
            ))
            .at(CONFIG_FILE, text, locate_forms(text, &[kind, "thanks"], page))
            .help("write its path (thanks: /take-action/thanks/) or its content file (thanks: \"@/take-action/thanks.md\")"));
        }
    }
    if let Some(email) = &forms.contact_email
        && !is_email(email)
    {
        return Err(Diagnostic::error(format!(
            "`contact_email` is not one email address: {email:?}"
        ))
        .at(
            CONFIG_FILE,
            text,
            locate_forms(text, &["contact_email"], email),
        )
        .help("write one address, e.g. contact_email: campaign@example.org"));
    }
    if let Some(page) = &forms.privacy_page {
        let ok = page.starts_with("@/")
            || page.starts_with('/') && !page.starts_with("//")
            || matches!(endpoint(page), Ok(Endpoint::Https { .. }));
        if !ok {
            return Err(Diagnostic::error(format!(
                "`privacy_page` must be a page of this site or an https:// address, not {page:?}"
            ))
            .at(CONFIG_FILE, text, locate_forms(text, &["privacy_page"], page))
            .help("write its path (/privacy/), its content file (\"@/privacy.md\") or its https:// address"));
        }
    }
    Ok(())
}

/// The checks of `footer:` that serde cannot make: every link is an https address, a site
/// path or a content file, every name is non-empty, the email is one address.
fn check_footer(footer: &Footer, text: &Arc<str>) -> Result<(), Diagnostic> {
    let err = |message: String, keys: &[&str], value: &str, help: &str| {
        Diagnostic::error(message)
            .at(CONFIG_FILE, text, locate_in(text, "footer", keys, value))
            .help(help.to_string())
    };
    const LINK_HELP: &str = "write an https:// address (https://example.org/), a path on this site (/about/) \
         or a content file (\"@/about.md\"); see docs/configuration.md#footer";
    let named = [
        ("coordinator", &footer.coordinator),
        ("licence", &footer.licence),
    ];
    let named = named
        .into_iter()
        .filter_map(|(key, link)| link.as_ref().map(|l| (key, l)))
        .chain(footer.social.iter().map(|l| ("social", l)));
    for (key, link) in named {
        if link.name.trim().is_empty() {
            return Err(err(
                format!("a link of `footer.{key}` has an empty `name`"),
                &[key, "name"],
                "",
                "give the link the words readers see, e.g. name: \"International Detention Coalition\"",
            ));
        }
        if let Err(why) = footer_url(&link.url) {
            return Err(err(
                format!(
                    "the `footer.{key}` link to {:?} is refused: {why}",
                    link.name
                ),
                &[key],
                &link.url,
                LINK_HELP,
            ));
        }
    }
    for (key, page) in [
        ("privacy", &footer.privacy),
        ("newsletter", &footer.newsletter),
    ] {
        if let Some(page) = page
            && let Err(why) = footer_url(page)
        {
            return Err(err(
                format!("`footer.{key}` is refused: {why}"),
                &[key],
                page,
                LINK_HELP,
            ));
        }
    }
    if let Some(email) = &footer.contact_email
        && !is_email(email)
    {
        return Err(err(
            format!("`footer.contact_email` is not one email address: {email:?}"),
            &["contact_email"],
            email,
            "write one address, e.g. contact_email: campaign@example.org",
        ));
    }
    Ok(())
}

fn origin(url: &str) -> &str {
    match url.split_once("://") {
        Some((_, rest)) => {
            let host_end = rest.find('/').unwrap_or(rest.len());
            &url[..url.len() - rest.len() + host_end]
        }
        None => "",
    }
}

/// The path of a base URL, or None if it is not an http(s) URL or an absolute path.
pub fn base_path(url: &str) -> Option<String> {
    let path = if let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        let host_end = rest.find('/').unwrap_or(rest.len());
        if host_end == 0 || rest[..host_end].contains(char::is_whitespace) {
            return None;
        }
        &rest[host_end..]
    } else if url.starts_with('/') {
        url
    } else {
        return None;
    };
    if path.contains(['?', '#', ' ', '\\']) || path.split('/').any(|s| s == "..") {
        return None;
    }
    let mut p = path.to_string();
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    if !p.ends_with('/') {
        p.push('/');
    }
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<SiteConfig, Diagnostic> {
        SiteConfig::parse(&Arc::from(s))
    }

    #[test]
    fn topics_have_names_or_readable_tags() {
        let c = parse("title: T\ntopics:\n  crc: \"Committee on the Rights of the Child\"\n")
            .expect("valid");
        assert_eq!(
            c.topic_label("crc", "crc"),
            "Committee on the Rights of the Child"
        );
        assert_eq!(
            c.topic_label("alternatives-to-detention", "alternatives-to-detention"),
            "Alternatives to detention"
        );
    }

    #[test]
    fn two_lines_are_a_complete_config() {
        let c = parse("title: T\nbase_url: https://example.org\n").unwrap();
        assert_eq!(c.base_url, "https://example.org/");
        assert_eq!(c.base_path(), "/");
        assert_eq!(c.origin(), "https://example.org");
        assert_eq!(c.theme, "campaign");
        assert_eq!(c.stories_per_page, 10);
    }

    #[test]
    fn base_path_of_a_subfolder() {
        assert_eq!(
            base_path("https://a.org/campaign").as_deref(),
            Some("/campaign/")
        );
        assert_eq!(base_path("/"), Some("/".into()));
        assert_eq!(base_path("example.org"), None);
        assert_eq!(base_path("https://a.org/../x"), None);
    }

    #[test]
    fn unknown_key_suggests_the_right_one() {
        let e = parse("title: T\nthem: dark\n").unwrap_err();
        assert_eq!(e.line_col(), Some((2, 1)));
        assert!(e.help.unwrap().contains("`theme`"));
    }

    #[test]
    fn theme_is_a_folder_name() {
        for bad in [
            "../../../../tmp/x",
            "/etc",
            "a/b",
            "..",
            ".hidden",
            "",
            "a\\b",
        ] {
            let e = parse(&format!("title: T\ntheme: \"{bad}\"\n")).unwrap_err();
            assert!(
                e.message.contains("`theme` must be"),
                "{bad}: {}",
                e.message
            );
            assert_eq!(e.line_col().map(|(l, _)| l), Some(2), "{bad}");
        }
        assert_eq!(
            parse("title: T\ntheme: my-theme_2\n").unwrap().theme,
            "my-theme_2"
        );
    }

    #[test]
    fn footer_links_are_https_site_paths_or_content() {
        for ok in [
            "https://idcoalition.org",
            "/about/",
            "@/privacy.md",
            "@/take-action.md#signup",
            "https://social.example/@campaign",
        ] {
            assert_eq!(footer_url(ok), Ok(()), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            " javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "data:text/html,x",
            "http://idcoalition.org",
            "//evil.example",
            "mailto:a@b.org",
            "idcoalition.org",
            "https://a.org/\"onmouseover=\"x",
            "https://user@evil.example/",
            "@/",
            "",
        ] {
            assert!(footer_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn footer_errors_point_at_the_value() {
        let e = parse("title: T\nfooter:\n  social:\n    - name: X\n      url: https://x.org\n    - name: Y\n      url: \"javascript:alert(1)\"\n")
            .unwrap_err();
        assert!(e.message.contains("`footer.social`"), "{}", e.message);
        assert_eq!(e.line_col(), Some((7, 13)));
        let e = parse("title: T\nfooter:\n  contact_email: \"a b@c.org\"\n").unwrap_err();
        assert!(e.message.contains("contact_email"), "{}", e.message);
        assert_eq!(e.line_col().map(|(l, _)| l), Some(3));
        let e =
            parse("title: T\nfooter:\n  coordinator: { name: \" \", url: /about/ }\n").unwrap_err();
        assert!(e.message.contains("empty `name`"), "{}", e.message);
        let e = parse("title: T\nfooter:\n  privacy: \"http://a.org/p\"\n").unwrap_err();
        assert!(e.message.contains("`footer.privacy`"), "{}", e.message);
        assert_eq!(e.line_col(), Some((3, 13)));
        let c = parse("title: T\nfooter:\n  coordinator: { name: IDC, url: \"https://idcoalition.org\" }\n  privacy: \"@/privacy.md\"\n")
            .unwrap();
        assert_eq!(c.footer.coordinator.unwrap().name, "IDC");
        assert_eq!(c.footer.privacy.as_deref(), Some("@/privacy.md"));
        assert!(c.footer.social.is_empty());
    }

    #[test]
    fn title_is_required() {
        let e = parse("base_url: /\n").unwrap_err();
        assert!(e.message.contains("`title`"), "{}", e.message);
    }
}
