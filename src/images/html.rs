//! The HTML of a photo with its copies: `srcset` lists, and the rewriting of `<img>` tags in
//! rendered texts into `<picture>` elements with `sizes`, `width`, `height` and lazy loading.

use crate::load::Variants;

/// A `srcset` value: each copy's URL (`base` + output path) and width.
pub fn srcset(base: &str, list: &[(String, u32)]) -> String {
    let mut out = String::new();
    for (path, w) in list {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(base);
        // A space or a comma would split the list; `&` and `"` would need escaping in HTML.
        for c in path.chars() {
            match c {
                ' ' => out.push_str("%20"),
                ',' => out.push_str("%2C"),
                '"' => out.push_str("%22"),
                '&' => out.push_str("%26"),
                c => out.push(c),
            }
        }
        out.push(' ');
        out.push_str(&w.to_string());
        out.push('w');
    }
    out
}

/// What [`rewrite_images`] needs to know about a picture: its copies and its size.
pub struct Photo<'a> {
    pub variants: &'a Variants,
    pub size: (u32, u32),
}

/// Rewrites the `<img>` tags of `html` whose `src` is a photo with copies (`lookup` answers
/// for a decoded `src`) into `<picture>` elements; every picture is lazy except, when
/// `first_eager` is set, the first one (the first image of a page is seen at once). Returns
/// None when nothing changed. Tags this does not understand are left as they are.
pub fn rewrite_images<'a>(
    html: &str,
    base: &str,
    sizes: &str,
    mut first_eager: bool,
    lookup: &dyn Fn(&str) -> Option<Photo<'a>>,
) -> Option<String> {
    if !html.contains("<img ") {
        return None;
    }
    let mut out = String::with_capacity(html.len() + 512);
    let mut rest = html;
    let mut changed = false;
    while let Some(at) = rest.find("<img ") {
        out.push_str(&rest[..at]);
        let tag_rest = &rest[at..];
        let Some(end) = tag_rest.find('>') else {
            break;
        };
        let tag = &tag_rest[..=end];
        match picture(tag, base, sizes, first_eager, lookup) {
            Some(p) => {
                out.push_str(&p);
                changed = true;
                first_eager = false;
            }
            None => out.push_str(tag),
        }
        rest = &tag_rest[end + 1..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// The attributes of a tag written by pulldown-cmark or the sanitiser: `name="value"`
/// pairs; None if the tag has any other shape.
fn attributes(tag: &str) -> Option<Vec<(&str, &str)>> {
    let mut s = tag
        .strip_prefix("<img")?
        .trim_end_matches('>')
        .trim_end_matches('/');
    let mut out = Vec::new();
    loop {
        s = s.trim_start();
        if s.is_empty() {
            return Some(out);
        }
        let eq = s.find('=')?;
        let name = &s[..eq];
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return None;
        }
        let value_rest = s[eq + 1..].strip_prefix('"')?;
        let close = value_rest.find('"')?;
        out.push((name, &value_rest[..close]));
        s = &value_rest[close + 1..];
    }
}

fn picture<'a>(
    tag: &str,
    base: &str,
    sizes: &str,
    eager: bool,
    lookup: &dyn Fn(&str) -> Option<Photo<'a>>,
) -> Option<String> {
    let attrs = attributes(tag)?;
    let has = |n: &str| attrs.iter().any(|(k, _)| k.eq_ignore_ascii_case(n));
    if has("srcset") {
        return None;
    }
    let src = attrs.iter().find(|(k, _)| *k == "src")?.1;
    let photo = lookup(&src.replace("&amp;", "&"))?;
    let v = photo.variants;
    let mut img = String::from("<img");
    for (k, val) in &attrs {
        img.push_str(&format!(" {k}=\"{val}\""));
    }
    let fallback = if v.fallback.is_empty() {
        &v.webp
    } else {
        &v.fallback
    };
    img.push_str(&format!(
        " srcset=\"{}\" sizes=\"{sizes}\"",
        srcset(base, fallback)
    ));
    if !has("width") && !has("height") {
        img.push_str(&format!(
            " width=\"{}\" height=\"{}\"",
            photo.size.0, photo.size.1
        ));
    }
    if !has("loading") && !eager {
        img.push_str(" loading=\"lazy\"");
    }
    if !has("decoding") {
        img.push_str(" decoding=\"async\"");
    }
    img.push('>');
    if v.fallback.is_empty() {
        return Some(img);
    }
    Some(format!(
        "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\">{img}</picture>",
        srcset(base, &v.webp)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variants() -> Variants {
        Variants {
            webp: vec![
                ("s/a b-480w.webp".into(), 480),
                ("s/a b-960w.webp".into(), 960),
            ],
            fallback: vec![("s/a b-480w.jpg".into(), 480), ("s/a b.jpg".into(), 960)],
        }
    }

    #[test]
    fn photos_in_texts_become_pictures_lazy_after_the_first() {
        let v = variants();
        let html = "<p><img src=\"/s/a%20b.jpg\" alt=\"A &amp; B\" /></p>\n\
                    <p><img src=\"/s/a%20b.jpg\" alt=\"again\" title=\"t\" /> \
                    <img src=\"https://example.org/x.jpg\" alt=\"far\" /></p>";
        let lookup = |src: &str| {
            (src == "/s/a%20b.jpg").then_some(Photo {
                variants: &v,
                size: (960, 640),
            })
        };
        let out = rewrite_images(html, "/", "100vw", true, &lookup).unwrap();
        assert_eq!(out.matches("<picture>").count(), 2);
        assert!(out.contains(
            "<source type=\"image/webp\" srcset=\"/s/a%20b-480w.webp 480w, /s/a%20b-960w.webp 960w\" sizes=\"100vw\">"
        ));
        assert!(out.contains(
            "<img src=\"/s/a%20b.jpg\" alt=\"A &amp; B\" srcset=\"/s/a%20b-480w.jpg 480w, /s/a%20b.jpg 960w\" sizes=\"100vw\" width=\"960\" height=\"640\" decoding=\"async\"></picture>"
        ));
        assert_eq!(out.matches("loading=\"lazy\"").count(), 1, "{out}");
        assert!(out.contains("title=\"t\""));
        assert!(out.contains("<img src=\"https://example.org/x.jpg\" alt=\"far\" />"));
        // Without an eager first one, all are lazy.
        let out = rewrite_images(html, "/", "100vw", false, &lookup).unwrap();
        assert_eq!(out.matches("loading=\"lazy\"").count(), 2);
    }

    #[test]
    fn odd_tags_and_texts_without_photos_are_left_alone() {
        let v = variants();
        let lookup = |_: &str| {
            Some(Photo {
                variants: &v,
                size: (1, 1),
            })
        };
        for html in [
            "<p>no pictures</p>",
            "<img src='/x.jpg'>",
            "<img src=\"/x.jpg\" srcset=\"/y.jpg 2x\">",
            "<img src=\"/x.jpg\"",
            "<code>&lt;img src=\"/x.jpg\"&gt;</code>",
        ] {
            assert_eq!(
                rewrite_images(html, "/", "100vw", true, &lookup),
                None,
                "{html}"
            );
        }
    }
}
