//! Links from a text to a page in another language: the address a link hook returns
//! carries the language ([`with_hreflang`]), and the link is written with `hreflang`.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::Events;

/// Separates an address from the language of the page it leads to, in what a [`LinkHook`]
/// returns: a control character, which no address in content can hold (they are refused).
pub(super) const HREFLANG: char = '\u{1}';

/// An address for a [`LinkHook`] to return that leads to a page in the language `lang`: the
/// link gets `hreflang` (trusted texts only: an untrusted text's links stay plain).
pub fn with_hreflang(url: String, lang: &str) -> String {
    let mut url = url;
    url.push(HREFLANG);
    url.push_str(lang);
    url
}

impl<'a> Events<'a, '_> {
    /// A link whose address carries a language ([`with_hreflang`]) written as HTML with
    /// `hreflang`, and its end. In an untrusted text the language is dropped: its HTML is
    /// cleaned, and a link split across two HTML events would not survive that.
    pub(super) fn with_hreflang(&mut self, event: Event<'a>) -> Event<'a> {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if dest_url.contains(HREFLANG) => {
                let (url, lang) = dest_url.split_once(HREFLANG).unwrap_or((&dest_url, ""));
                if self.clean {
                    return Event::Start(Tag::Link {
                        link_type,
                        dest_url: CowStr::from(url.to_string()),
                        title,
                        id,
                    });
                }
                let mut html = String::from("<a href=\"");
                let _ = pulldown_cmark_escape::escape_href(&mut html, url);
                html.push_str("\" hreflang=\"");
                let _ = pulldown_cmark_escape::escape_html(&mut html, lang);
                if !title.is_empty() {
                    html.push_str("\" title=\"");
                    let _ = pulldown_cmark_escape::escape_html(&mut html, &title);
                }
                html.push_str("\">");
                self.open_hreflang = true;
                Event::InlineHtml(CowStr::from(html))
            }
            Event::End(TagEnd::Link) if self.open_hreflang => {
                self.open_hreflang = false;
                Event::InlineHtml(CowStr::Borrowed("</a>"))
            }
            e => e,
        }
    }
}
