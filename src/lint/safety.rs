//! `rally check`'s warnings about what could run a script on the site or disguise text:
//! `javascript:` links, event handlers and `<script>` in content, SVG files that hold scripts,
//! and characters that reverse the direction of a title. Scripts run in every reader's browser
//! with the site's authority, so each is pointed out where it is, even where raw HTML is
//! trusted (a story writer may have pasted it without knowing).

use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{Event, Parser, Tag};

use crate::config::RawHtml;
use crate::content::{Collection, Content, Doc};
use crate::diagnostics::Diagnostic;
use crate::load::{AssetData, Sources};
use crate::markdown::{self, RawTag};

/// All warnings of this kind for a site whose content is parsed into `content`.
pub(super) fn warnings(sources: &Sources, content: &Content, out: &mut Vec<Diagnostic>) {
    let raw = sources.config.raw_html;
    // Each entry: scripts in its body, and a reversing character in its title (or name).
    let mut entry = |d: &dyn Entry, c: Collection, key: &str, title: &str| {
        d.scripts(fate(raw, c), out);
        d.reversing(key, title, out);
    };
    for d in &content.stories {
        entry(&**d, Collection::Stories, "title", &d.meta.title);
    }
    for d in &content.resolutions {
        entry(&**d, Collection::Resolutions, "title", &d.meta.title);
    }
    for d in &content.partners {
        entry(&**d, Collection::Partners, "name", &d.meta.name);
    }
    for d in &content.pages {
        entry(&**d, Collection::Pages, "title", &d.meta.title);
    }
    for asset in &sources.assets {
        if asset.out.to_ascii_lowercase().ends_with(".svg") {
            scripts_in_svg(&asset.source, &asset.data, out);
        }
    }
}

/// What happens to a script in collection `c`, for the help text.
/// An entry of any collection, for the one loop above.
trait Entry {
    fn scripts(&self, fate: &str, out: &mut Vec<Diagnostic>);
    fn reversing(&self, key: &str, value: &str, out: &mut Vec<Diagnostic>);
}

impl<M> Entry for Doc<M> {
    fn scripts(&self, fate: &str, out: &mut Vec<Diagnostic>) {
        scripts_in_body(self, fate, out);
    }
    fn reversing(&self, key: &str, value: &str, out: &mut Vec<Diagnostic>) {
        reversing_text(self, key, value, out);
    }
}

fn fate(raw: RawHtml, c: Collection) -> &'static str {
    match (raw.allows(c), c) {
        (false, _) => {
            "rally removes it from the published page (raw HTML is cleaned in this collection, \
             see `raw_html` in site.yaml), so it does nothing; delete it"
        }
        (true, Collection::Pages) => {
            "pages keep raw HTML as written (`raw_html` in site.yaml), so it is published and \
             runs; delete it unless your web developer put it there on purpose"
        }
        (true, _) => {
            "this collection keeps raw HTML as written (`raw_html` in site.yaml), so it is \
             published and runs; delete it unless your web developer put it there on purpose"
        }
    }
}

/// `javascript:` link addresses, `<script>` elements and event handler attributes in the
/// Markdown body (code spans and blocks are text, and not looked at).
fn scripts_in_body<M>(d: &Doc<M>, fate: &str, out: &mut Vec<Diagnostic>) {
    let text = d.body_text();
    let base = d.body.start;
    let warn = |span: Range<usize>, message: String, help: String| {
        Diagnostic::warning(message)
            .at(
                &d.file.path,
                &d.file.text,
                base + span.start..base + span.end,
            )
            .help(help)
    };
    // Consecutive pieces of raw HTML (an HTML block comes line by line), as one range of the
    // body, so that a tag written over several lines is read whole.
    let mut html: Option<Range<usize>> = None;
    let flush = |html: &mut Option<Range<usize>>, out: &mut Vec<Diagnostic>| {
        if let Some(r) = html.take() {
            scan_html(&text[r.clone()], &mut |span, problem| {
                let span = r.start + span.start..r.start + span.end;
                out.push(match problem {
                    Problem::ScriptElement => warn(
                        span,
                        "a <script> element in the text".into(),
                        format!(
                            "a script in content runs in every reader's browser with the site's authority; {}",
                            fate
                        ),
                    ),
                    Problem::Handler(name) => warn(
                        span,
                        format!("the HTML attribute `{name}` runs a script"),
                        format!(
                            "event handlers run code in every reader's browser with the site's authority; {}",
                            fate
                        ),
                    ),
                    Problem::ScriptAddress(name) => warn(
                        span,
                        format!("the `{name}` address runs a script (`javascript:`)"),
                        format!(
                            "a script address runs code in the reader's browser with the site's authority; link to a page (https://...) instead; {}",
                            fate
                        ),
                    ),
                });
            });
        }
    };
    for (event, span) in Parser::new_ext(text, markdown::options()).into_offset_iter() {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => {
                let whole = text.get(span.clone()) == Some(&*h);
                match &mut html {
                    Some(r) if whole && r.end == span.start => r.end = span.end,
                    _ => {
                        flush(&mut html, out);
                        html = Some(if whole {
                            span
                        } else {
                            // Inside a quote or list the piece lacks the `>` or indentation
                            // of its lines: find it within its span.
                            match text[span.clone()].find(&*h) {
                                Some(i) => span.start + i..span.start + i + h.len(),
                                None => continue,
                            }
                        });
                    }
                }
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                flush(&mut html, out);
                if runs_script(&dest_url) {
                    out.push(warn(
                        span,
                        "this link runs a script (`javascript:`)".into(),
                        format!(
                            "a script link runs code in the reader's browser with the site's authority; link to a page (https://...) instead; {}",
                            fate
                        ),
                    ));
                }
            }
            _ => flush(&mut html, out),
        }
    }
    flush(&mut html, out);
}

/// What [`scan_html`] finds.
enum Problem {
    ScriptElement,
    /// An `on…` attribute, with its name.
    Handler(String),
    /// An attribute whose value is a `javascript:` address, with the attribute's name.
    ScriptAddress(String),
}

/// Calls `found` with the range and kind of every script in `html`.
fn scan_html(html: &str, found: &mut dyn FnMut(Range<usize>, Problem)) {
    markdown::scan_tags(html, |tag: &RawTag| {
        if tag.closing {
            return true;
        }
        if tag.name.eq_ignore_ascii_case(b"script") {
            found(tag.span.clone(), Problem::ScriptElement);
        }
        for (name, value) in tag.attributes {
            let n = &html[name.clone()];
            if is_handler(n) {
                found(name.clone(), Problem::Handler(n.to_ascii_lowercase()));
            } else if let Some(v) = value
                && runs_script(&decode_entities(&html[v.clone()]))
            {
                found(
                    name.start..v.end,
                    Problem::ScriptAddress(n.to_ascii_lowercase()),
                );
            }
        }
        true
    });
}

/// `onclick`, `onerror`, `ONLOAD`: an event handler attribute (the shortest events have
/// three letters, `oncut`; `one` is not one).
fn is_handler(name: &str) -> bool {
    name.len() >= 5
        && name.as_bytes()[..2].eq_ignore_ascii_case(b"on")
        && name[2..].bytes().all(|c| c.is_ascii_alphabetic())
}

/// Whether a browser would run `address` as a script: `javascript:` (or `vbscript:`) after
/// the browser drops tabs and line breaks anywhere, and spaces and control characters in front.
fn runs_script(address: &str) -> bool {
    let cleaned: String = address
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(11)
        .collect::<String>()
        .to_ascii_lowercase();
    cleaned.starts_with("javascript:") || cleaned.starts_with("vbscript:")
}

/// Decodes the character references a browser decodes in an attribute value and that can
/// hide a scheme (`&#106;`, `&#x6A;`, `&colon;`, `&Tab;`, `&NewLine;`); others stay as written.
fn decode_entities(v: &str) -> String {
    if !v.contains('&') {
        return v.to_string();
    }
    let mut out = String::with_capacity(v.len());
    let mut rest = v;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let named = [("&colon;", ':'), ("&tab;", '\t'), ("&newline;", '\n')]
            .into_iter()
            .find(|(n, _)| {
                rest.len() >= n.len()
                    && rest.is_char_boundary(n.len())
                    && rest[..n.len()].eq_ignore_ascii_case(n)
            });
        if let Some((n, c)) = named {
            out.push(c);
            rest = &rest[n.len()..];
            continue;
        }
        let (digits, radix, skip) = match rest.as_bytes().get(1..3) {
            Some([b'#', b'x' | b'X']) => (&rest[3..], 16, 3),
            Some([b'#', _]) => (&rest[2..], 10, 2),
            _ => ("", 10, 0),
        };
        let len = digits
            .bytes()
            .take_while(|c| (*c as char).is_digit(radix))
            .count();
        let decoded = (skip > 0 && len > 0)
            .then(|| u32::from_str_radix(&digits[..len.min(8)], radix).ok())
            .flatten()
            .and_then(char::from_u32);
        match decoded {
            Some(c) => {
                out.push(c);
                let mut used = skip + len;
                if rest.as_bytes().get(used) == Some(&b';') {
                    used += 1;
                }
                rest = &rest[used..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// An SVG file among the site's files that holds a script: opened on its own (anyone can
/// link straight to it), it runs with the site's authority. One warning per file, at the
/// first script, naming what was found.
fn scripts_in_svg(path: &str, data: &AssetData, out: &mut Vec<Diagnostic>) {
    let bytes: std::borrow::Cow<[u8]> = match data {
        AssetData::File(p, _) => match std::fs::read(p) {
            Ok(b) => b.into(),
            // A file that cannot be read now is reported by the build.
            Err(_) => return,
        },
        AssetData::Embedded(b) => (*b).into(),
    };
    let text: Arc<str> = Arc::from(String::from_utf8_lossy(&bytes).as_ref());
    let mut first: Option<Range<usize>> = None;
    let mut kinds: Vec<String> = Vec::new();
    scan_html(&text, &mut |span, problem| {
        first.get_or_insert(span);
        let kind = match problem {
            Problem::ScriptElement => "a <script> element".to_string(),
            Problem::Handler(name) => format!("an `{name}` attribute"),
            Problem::ScriptAddress(name) => format!("a `javascript:` address in `{name}`"),
        };
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    });
    if let Some(span) = first {
        out.push(
            Diagnostic::warning(format!("this SVG image can run scripts: {}", kinds.join(", ")))
                .at(path, &text, span)
                .help(
                    "an SVG file opened on its own (anyone can link straight to it) runs its scripts with the site's authority; \
                     remove the scripts and on... attributes (an SVG optimiser such as SVGO does it), or use a PNG instead",
                ),
        );
    }
}

/// Characters that change the direction of the text after them until the end of the line:
/// they can make a title read differently from what it is (U+202A–U+202E, U+2066–U+2069).
fn is_direction_override(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A title (or name) holding a direction override, pointed at the character when the file
/// has it as written.
fn reversing_text<M>(d: &Doc<M>, key: &str, value: &str, out: &mut Vec<Diagnostic>) {
    let Some(c) = value.chars().find(|c| is_direction_override(*c)) else {
        return;
    };
    let mut span = d.locate(key, value);
    if let Some(i) = d.file.text.get(span.clone()).and_then(|t| t.find(c)) {
        span = span.start + i..span.start + i + c.len_utf8();
    } else if let Some(i) = d.file.text.get(d.meta_span.clone()).and_then(|t| t.find(c)) {
        let at = d.meta_span.start + i;
        span = at..at + c.len_utf8();
    }
    out.push(
        Diagnostic::warning(format!(
            "the {key} contains an invisible character that reverses the direction of the text (U+{:04X})",
            u32::from(c)
        ))
        .at(&d.file.path, &d.file.text, span)
        .help(format!(
            "it makes the {key} show in a different order from how it is written, in pages, lists, feeds and search results, \
             which can disguise what it says; delete it (retype the {key} rather than pasting it)"
        )),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_addresses_through_the_usual_disguises() {
        for a in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " \u{1}javascript:x",
            "java\tscript:x",
            "java\nscript:x",
            "vbscript:x",
        ] {
            assert!(runs_script(a), "{a:?}");
        }
        for a in [
            "https://example.org/javascript:",
            "/javascript/",
            "javascript",
        ] {
            assert!(!runs_script(a), "{a:?}");
        }
        assert!(runs_script(&decode_entities("&#106;avascript&colon;x")));
        assert!(runs_script(&decode_entities("&#x6A;ava&Tab;script:x")));
        assert!(runs_script(&decode_entities("&#0000106avascript:x")));
        assert_eq!(decode_entities("a&amp;b&#;&#xZZ;&"), "a&amp;b&#;&#xZZ;&");
    }

    #[test]
    fn handlers_and_scripts_in_html() {
        let html = "<p onclick=\"x()\">a</p><img src=x\nONERROR=y><a title='on=1' href=' javascript:z'>\
                    <script>s</script><b data-on=\"1\" one>";
        let mut found = Vec::new();
        scan_html(html, &mut |span, p| {
            found.push((
                html[span].to_string(),
                match p {
                    Problem::ScriptElement => "script".to_string(),
                    Problem::Handler(n) => n,
                    Problem::ScriptAddress(n) => format!("address {n}"),
                },
            ))
        });
        let kinds: Vec<&str> = found.iter().map(|(_, k)| k.as_str()).collect();
        assert_eq!(
            kinds,
            ["onclick", "onerror", "address href", "script"],
            "{found:?}"
        );
        assert_eq!(found[1].0, "ONERROR");
        assert_eq!(found[2].0, "href=' javascript:z");
    }

    #[test]
    fn direction_overrides() {
        assert!(is_direction_override('\u{202e}') && is_direction_override('\u{2067}'));
        assert!(!is_direction_override('\u{200f}') && !is_direction_override('a'));
    }
}
