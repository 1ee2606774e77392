//! What the static host reads besides the pages: the redirect pages of aliases, and at the
//! site's root `_redirects` (the aliases again, for hosts that redirect themselves) and
//! `_headers` (security headers, and long caching for fingerprinted files), in the format
//! Netlify and Cloudflare Pages document. Made in Rust, not by the theme: they follow from
//! the content and the settings, and a theme could only get them wrong.
//!
//! A site's own `static/_redirects` or `static/_headers` comes first in the file, as written.

use std::sync::Arc;

use base64::Engine as _;
use sha2::Digest as _;

use crate::link::Site;
use crate::link::aliases::Redirect;
use crate::load::SourceText;
use crate::routes;
use crate::strings::Strings;

/// The files of this language's site: its redirect pages, and at the root the host files.
pub(super) fn files(
    site: &Site,
    strings: &Strings,
    templates: &[SourceText],
    host_files: &std::collections::BTreeMap<String, Arc<str>>,
) -> Vec<(String, Arc<[u8]>)> {
    let mut out: Vec<(String, Arc<[u8]>)> = site
        .redirects
        .iter()
        .map(|r| {
            (
                r.file.clone(),
                redirect_page(site, strings, r).into_bytes().into(),
            )
        })
        .collect();
    if site.prefix().is_empty() {
        let own = |name: &str| host_files.get(name).map(|t| &**t).unwrap_or_default();
        let redirects = redirects_file(site, &site.langs.redirects, own(routes::REDIRECTS));
        if !redirects.is_empty() {
            out.push((routes::REDIRECTS.into(), redirects.into_bytes().into()));
        }
        let headers = headers_file(site, templates, own(routes::HEADERS));
        out.push((routes::HEADERS.into(), headers.into_bytes().into()));
    }
    out
}

/// The page at an old address: sends the visitor on at once (`refresh`), tells search
/// engines where the page is now (`canonical`, `noindex`), and shows a link for browsers
/// that do not follow.
fn redirect_page(site: &Site, strings: &Strings, r: &Redirect) -> String {
    let lang = &*site.lang.code;
    let text = |key: &str, english: &str| {
        strings
            .format(lang, key, None)
            .unwrap_or_else(|_| english.to_string())
    };
    let url = site.url(&r.to);
    let permalink = site.permalink(&r.to);
    format!(
        "<!doctype html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n<meta name=\"robots\" content=\"noindex\">\n\
         <link rel=\"canonical\" href=\"{permalink}\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={url}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n</head>\n\
         <body>\n<p>{moved} <a href=\"{url}\">{permalink}</a></p>\n</body>\n</html>\n",
        lang = escape(lang),
        dir = escape(site.lang.dir.as_str()),
        title = escape(&text("redirect-title", "This page has moved")),
        moved = escape(&text("redirect-notice", "This page is now at")),
        url = escape(&url),
        permalink = escape(&permalink),
    )
}

/// `_redirects`: the site's own lines, then one `from to 301` line per alias (Netlify's and
/// Cloudflare's format), or nothing when there are neither.
fn redirects_file(site: &Site, redirects: &[Redirect], own: &str) -> String {
    if redirects.is_empty() && own.is_empty() {
        return String::new();
    }
    let mut out = own_lines(own);
    out.push_str("# Aliases from the content's front matter (written by rally).\n");
    for r in redirects {
        out.push_str(&format!(
            "{} {} 301\n",
            path_for_host(&site.url(&r.from)),
            path_for_host(&site.url(&r.to))
        ));
    }
    out
}

/// `_headers`: the site's own rules, then security headers for every address and a year's
/// caching for the fingerprinted files (their name changes with their content).
fn headers_file(site: &Site, templates: &[SourceText], own: &str) -> String {
    let mut out = own_lines(own);
    out.push_str("# Written by rally: security headers for every page, long caching for files whose name has their digest.\n");
    out.push_str(&format!("{}*\n", site.base_path));
    out.push_str(&format!(
        "  Content-Security-Policy: {}\n",
        content_security_policy(site, templates)
    ));
    out.push_str("  X-Content-Type-Options: nosniff\n");
    out.push_str("  Referrer-Policy: strict-origin-when-cross-origin\n");
    out.push_str("  X-Frame-Options: SAMEORIGIN\n");
    for file in site.fingerprints.values() {
        out.push_str(&format!(
            "{}\n  Cache-Control: public, max-age=31536000, immutable\n",
            path_for_host(&site.url(file))
        ));
    }
    out
}

/// The site's own lines, ending in a newline.
fn own_lines(own: &str) -> String {
    let mut out = own.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// The Content-Security-Policy the site's pages work under: nothing but its own files, the
/// theme's inline scripts by their digest, WebAssembly for search, the table alignments
/// Markdown writes as `style` attributes (by digest: `'unsafe-hashes'` allows those three
/// and nothing else), the video players of video embeds, and forms posting only to the
/// configured endpoints. No `unsafe-inline`.
pub(crate) fn content_security_policy(site: &Site, templates: &[SourceText]) -> String {
    let mut script = vec!["'self'".to_string()];
    let search = templates.iter().any(|t| {
        t.path == crate::search::TEMPLATE || t.path == format!("theme/{}", crate::search::TEMPLATE)
    });
    if search {
        // Pagefind's index runs as WebAssembly.
        script.push("'wasm-unsafe-eval'".into());
    }
    for s in inline_scripts(templates) {
        script.push(digest(&s));
    }
    // Markdown tables' column alignment is the one `style` attribute pages hold.
    let styles: Vec<String> = ["left", "center", "right"]
        .iter()
        .map(|a| digest(&format!("text-align: {a}")))
        .collect();
    let mut forms = vec!["'self'".to_string()];
    for kind in crate::config::Forms::KINDS {
        let endpoint = site
            .config
            .forms
            .get(kind)
            .and_then(|f| f.endpoint.as_deref());
        if let Some(Ok(crate::config::Endpoint::Https { host, .. })) =
            endpoint.map(crate::config::endpoint)
        {
            let origin = format!("https://{host}");
            if !forms.contains(&origin) {
                forms.push(origin);
            }
        }
    }
    if site.config.forms.contact_email.is_some() {
        forms.push("mailto:".into());
    }
    format!(
        "default-src 'self'; script-src {}; style-src 'self' 'unsafe-hashes' {}; \
         img-src 'self' data: https:; media-src 'self' https:; \
         frame-src https://www.youtube-nocookie.com https://player.vimeo.com; \
         form-action {}; base-uri 'self'; object-src 'none'; frame-ancestors 'self'",
        script.join(" "),
        styles.join(" "),
        forms.join(" ")
    )
}

/// A CSP source allowing exactly `text` as a script or a style attribute.
fn digest(text: &str) -> String {
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(text.as_bytes()))
    )
}

/// The text of each inline script of the templates (not data blocks such as JSON-LD, not
/// scripts with `src`), as the page will hold it. A script built from template values cannot
/// be known before it is rendered, so it is left out (and blocked): the theme's docs say to
/// keep inline scripts fixed.
fn inline_scripts(templates: &[SourceText]) -> Vec<String> {
    let mut out = Vec::new();
    for t in templates {
        let text = &*t.text;
        let mut rest = text;
        while let Some(start) = rest.find("<script") {
            let after = &rest[start + "<script".len()..];
            let Some(tag_end) = after.find('>') else {
                break;
            };
            let attrs = &after[..tag_end];
            let body_start = &after[tag_end + 1..];
            let Some(close) = body_start.find("</script>") else {
                break;
            };
            let body = &body_start[..close];
            rest = &body_start[close..];
            let data_block = attrs.contains("type=")
                && !attrs.contains("module")
                && !attrs.contains("javascript");
            if attrs.contains("src=") || data_block || body.trim().is_empty() {
                continue;
            }
            if body.contains("{{") || body.contains("{%") || body.contains("{#") {
                continue;
            }
            if !out.iter().any(|s: &String| s == body) {
                out.push(body.to_string());
            }
        }
    }
    out
}

/// An address as a line of `_redirects` or `_headers` holds it: spaces would split the line.
fn path_for_host(p: &str) -> String {
    p.replace(' ', "%20")
}

fn escape(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    // Writing into a Vec cannot fail.
    let _ = super::filters::escape_html(s, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_the_fixed_executable_ones() {
        let t = |text: &str| SourceText::new("theme/base.html", Arc::from(text));
        let found = inline_scripts(&[t(concat!(
            "<script>a()</script>",
            "<script src=\"x.js\"></script>",
            "<script type=\"application/ld+json\">{}</script>",
            "<script type=\"module\">b()</script>",
            "<script>var t = \"{{ page.title }}\"</script>",
            "<script>a()</script>",
        ))]);
        assert_eq!(found, vec!["a()".to_string(), "b()".to_string()]);
    }
}
