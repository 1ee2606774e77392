//! `{{< video url="..." title="..." >}}`: a YouTube or Vimeo video, played from the host's
//! privacy-friendly address, which the page loads nothing from until the reader asks.

use super::{Call, Embed};
use crate::diagnostics::Diagnostic;
use crate::markdown::LinkKind;

/// Shown when `url` is missing.
const URL_EXAMPLE: &str =
    "{{< video url=\"https://www.youtube.com/watch?v=ID\" title=\"What the video shows\" >}}";
/// Shown when `title` is missing.
const TITLE_EXAMPLE: &str =
    "{{< video url=\"https://vimeo.com/123\" title=\"Launch in Geneva\" >}}";

pub(super) fn check<M>(c: &Call<M>, errs: &mut Vec<Diagnostic>) -> Option<Embed> {
    let url = c.need("url", URL_EXAMPLE, errs);
    let title = c.need("title", TITLE_EXAMPLE, errs);
    let poster = c
        .opt("poster")
        .and_then(|p| c.url(&p, LinkKind::Image, errs));
    match (url, title) {
        (Some(url), Some(title)) => match video_embed_url(&url) {
            Some(embed_url) => Some(Embed::Video {
                url,
                embed_url,
                title,
                poster,
            }),
            None => {
                errs.push(c.err(format!("`{url}` is not a YouTube or Vimeo video address")).help(
                    "use the address of the video's page, e.g. https://www.youtube.com/watch?v=ID or https://vimeo.com/123456",
                ));
                None
            }
        },
        _ => None,
    }
}

/// The privacy-friendly player address of a YouTube or Vimeo video page.
fn video_embed_url(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let id_ok = |id: &str| {
        !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    if let Some(q) = rest.strip_prefix("youtube.com/watch?") {
        let id = q.split('&').find_map(|kv| kv.strip_prefix("v="))?;
        return id_ok(id)
            .then(|| format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1"));
    }
    if let Some(id) = rest.strip_prefix("youtu.be/") {
        let id = id.split(['?', '&']).next()?;
        return id_ok(id)
            .then(|| format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1"));
    }
    if let Some(id) = rest.strip_prefix("vimeo.com/") {
        let id = id.split(['?', '/']).next()?;
        return (id_ok(id) && id.chars().all(|c| c.is_ascii_digit()))
            .then(|| format!("https://player.vimeo.com/video/{id}?autoplay=1&dnt=1"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn video_addresses() {
        assert_eq!(
            video_embed_url("https://www.youtube.com/watch?v=abc_-1&t=3").as_deref(),
            Some("https://www.youtube-nocookie.com/embed/abc_-1?autoplay=1")
        );
        assert!(video_embed_url("https://youtu.be/xyz").is_some());
        assert!(video_embed_url("https://vimeo.com/12345").is_some());
        assert!(video_embed_url("https://example.org/v.mp4").is_none());
        assert!(video_embed_url("https://youtube.com/watch?v=\"><script>").is_none());
    }
}
