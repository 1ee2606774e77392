//! `{{< share text="..." >}}`: links that share a page (the site's home unless `url` says
//! otherwise) by email and on social networks through their plain share addresses, with no
//! script from any of them.

use super::{Call, Embed};
use crate::diagnostics::Diagnostic;
use crate::render::urlencode;

pub(super) fn check<M>(c: &Call<M>, errs: &mut Vec<Diagnostic>) -> Option<Embed> {
    let url = match c.opt("url") {
        Some(u) => c.config_url(&u, "the address to share", errs)?,
        None => c.ctx.site_url.to_string(),
    };
    if !url.starts_with("https://") && !url.starts_with("http://") {
        errs.push(
            c.err(format!("share links need a full address, and {url:?} is not one"))
                .help("set `base_url` in site.yaml to the address the site is published at (https://...), or give url=\"https://...\""),
        );
        return None;
    }
    let text = c.opt("text").unwrap_or_default();
    Some(Embed::Share {
        title: c.opt("title"),
        links: links(&url, &text),
    })
}

/// Each network's name and share address for `url` with `text`.
fn links(url: &str, text: &str) -> Vec<(String, String)> {
    let (u, t) = (urlencode(url), urlencode(text));
    let with_text = if text.is_empty() {
        u.clone()
    } else {
        urlencode(&format!("{text} {url}"))
    };
    let email_body = if text.is_empty() {
        u.clone()
    } else {
        urlencode(&format!("{text}\n\n{url}"))
    };
    let subject = if text.is_empty() { &u } else { &t };
    [
        (
            "Email",
            format!("mailto:?subject={subject}&body={email_body}"),
        ),
        (
            "Bluesky",
            format!("https://bsky.app/intent/compose?text={with_text}"),
        ),
        (
            "Facebook",
            format!("https://www.facebook.com/sharer/sharer.php?u={u}"),
        ),
        (
            "LinkedIn",
            format!("https://www.linkedin.com/sharing/share-offsite/?url={u}"),
        ),
        ("WhatsApp", format!("https://wa.me/?text={with_text}")),
        ("X", format!("https://x.com/intent/post?text={t}&url={u}")),
    ]
    .into_iter()
    .map(|(n, h)| (n.to_string(), h))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_addresses_are_encoded() {
        let l = links("https://a.org/x?y=1", "Free \"all\" <children>");
        assert_eq!(
            l[0].1,
            "mailto:?subject=Free%20%22all%22%20%3Cchildren%3E&body=Free%20%22all%22%20%3Cchildren%3E%0A%0Ahttps%3A%2F%2Fa.org%2Fx%3Fy%3D1"
        );
        assert!(l.iter().all(|(_, h)| !h.contains(['"', '<', ' '])));
    }
}
