//! Where everything is published: the only code that turns an entry, a list page, a tag, the
//! feed or the sitemap into its place in the output. Pages live in folders (`stories/a/`,
//! the address a reader sees) holding an `index.html`; other outputs are files. Claiming a
//! place, and reporting two claimants of one, is `link`'s (`link/routes.rs`), by these names.
//!
//! One module because every feature moves or adds places: the language prefix on every
//! address (`prefix`: `""` for the default language, `es/` for Spanish), redirects that claim
//! old ones, a site served under a subpath.

use std::borrow::Cow;

use crate::collection::Collection;

/// The file a page's folder holds.
pub const PAGE_FILE: &str = "index.html";
/// The home page's folder: the site's root.
pub const HOME: &str = "";
/// The page shown for addresses that do not exist (a file: static hosts look for it).
pub const NOT_FOUND: &str = "404.html";
pub const RESOLUTIONS: &str = "resolutions/";
pub const PARTNERS: &str = "partners/";
pub const TAGS: &str = "tags/";
/// The search page (see [`crate::search`]).
pub const SEARCH: &str = "search/";
/// The Atom feed of the stories.
pub const FEED: &str = "stories/atom.xml";
pub const JSON_FEED: &str = "stories/feed.json";
/// The feeds of the resolutions, newest adopted first.
pub const RESOLUTIONS_FEED: &str = "resolutions/atom.xml";
pub const RESOLUTIONS_JSON_FEED: &str = "resolutions/feed.json";
/// The file names of a feed in its list's folder: a tag's feeds are beside its first page
/// (`tags/detention/atom.xml`), as the stories' are beside theirs.
pub const ATOM_FILE: &str = "atom.xml";
pub const JSON_FEED_FILE: &str = "feed.json";
pub const SITEMAP: &str = "sitemap.xml";
/// For crawlers, at the site's root only: where each language's sitemap is.
pub const ROBOTS: &str = "robots.txt";
/// Rules for the static host (Netlify, Cloudflare Pages): redirects from aliases and the
/// headers every page is served with. At the site's root only.
pub const REDIRECTS: &str = "_redirects";
pub const HEADERS: &str = "_headers";
pub const HOST_FILES: [&str; 2] = [REDIRECTS, HEADERS];

/// The folder of an entry: `stories/launch/`; a page's is its id (`about/`).
pub fn entry(prefix: &str, c: Collection, id: &str) -> String {
    match c {
        Collection::Pages => format!("{prefix}{id}/"),
        c => format!("{prefix}{}/{id}/", c.folder()),
    }
}

/// The folder of page `n` (from 1) of the list of all stories.
pub fn stories(prefix: &str, n: usize) -> Cow<'static, str> {
    match (prefix, n <= 1) {
        ("", true) => Cow::Borrowed("stories/"),
        (p, true) => Cow::Owned(format!("{p}stories/")),
        (p, false) => Cow::Owned(format!("{p}stories/page/{n}/")),
    }
}

/// The folder of page `n` (from 1) of a tag's story list.
pub fn tag(prefix: &str, slug: &str, n: usize) -> String {
    if n <= 1 {
        format!("{prefix}{TAGS}{slug}/")
    } else {
        format!("{prefix}{TAGS}{slug}/page/{n}/")
    }
}

/// The feed `file` ([`ATOM_FILE`] or [`JSON_FEED_FILE`]) of a tag's stories.
pub fn tag_feed(prefix: &str, slug: &str, file: &str) -> String {
    format!("{prefix}{TAGS}{slug}/{file}")
}

/// Part `n` (from 1) of a sitemap too long for one file: `sitemap.xml` is then the index
/// of its parts (see `render/sitemap.rs`).
pub fn sitemap_part(prefix: &str, n: usize) -> String {
    format!("{prefix}sitemap-{n}.xml")
}

/// `place` (one of the constants above) in the language whose folder is `prefix`.
pub fn within<'a>(prefix: &str, place: &'a str) -> Cow<'a, str> {
    if prefix.is_empty() {
        Cow::Borrowed(place)
    } else {
        Cow::Owned(format!("{prefix}{place}"))
    }
}

/// The share card (`og:image`) of the page in `folder` (see [`crate::share`]).
pub fn share_card(folder: &str) -> String {
    format!("{folder}{SHARE_CARD}")
}
/// The file name of a page's share card.
pub const SHARE_CARD: &str = "share-card.png";

/// The folder of the language whose code is `code`, the default language's being the root.
pub fn prefix(code: &str, default: bool) -> String {
    if default {
        String::new()
    } else {
        format!("{code}/")
    }
}

/// The file of the page in `folder`.
pub fn page_file(folder: &str) -> String {
    format!("{folder}{PAGE_FILE}")
}

/// The folder of a page's file, or None for a file that is not a page's.
pub fn folder_of(file: &str) -> Option<&str> {
    file.strip_suffix(PAGE_FILE)
        .filter(|f| f.is_empty() || f.ends_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places() {
        assert_eq!(entry("", Collection::Stories, "launch"), "stories/launch/");
        assert_eq!(
            entry("es/", Collection::Stories, "launch"),
            "es/stories/launch/"
        );
        assert_eq!(entry("", Collection::Pages, "about"), "about/");
        assert_eq!(entry("ar/", Collection::Pages, "about"), "ar/about/");
        assert_eq!(stories("", 1), "stories/");
        assert_eq!(stories("", 3), "stories/page/3/");
        assert_eq!(stories("fr/", 1), "fr/stories/");
        assert_eq!(stories("fr/", 2), "fr/stories/page/2/");
        assert_eq!(tag("", "detention", 1), "tags/detention/");
        assert_eq!(tag("", "detention", 2), "tags/detention/page/2/");
        assert_eq!(tag("es/", "detention", 2), "es/tags/detention/page/2/");
        assert_eq!(within("es/", FEED), "es/stories/atom.xml");
        assert_eq!(within("", SITEMAP), "sitemap.xml");
        assert_eq!(
            tag_feed("es/", "detention", ATOM_FILE),
            "es/tags/detention/atom.xml"
        );
        assert_eq!(sitemap_part("fr/", 2), "fr/sitemap-2.xml");
        assert_eq!(page_file(HOME), "index.html");
        assert_eq!(page_file(&within("es/", HOME)), "es/index.html");
        assert_eq!(page_file(&stories("", 2)), "stories/page/2/index.html");
        assert_eq!(folder_of("stories/a/index.html"), Some("stories/a/"));
        assert_eq!(folder_of("index.html"), Some(""));
        assert_eq!(folder_of("404.html"), None);
        assert_eq!(folder_of("xindex.html"), None);
    }
}
