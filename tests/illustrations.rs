//! Every story of the bundled campaign site has an illustration (issue 19, section 3): drawn
//! for the campaign as a small, self-contained SVG beside the story in its bundle, shown at the
//! top of the story and on its card, and described in words for people who cannot see it.

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{Outcome, Test};

/// The heaviest an illustration may be; they are a few flat shapes, drawn by hand.
const MAX_BYTES: u64 = 10 * 1024;

/// The repository's stories, as ids: `content/stories/<id>.md` or `<id>/index.md`.
fn story_ids() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/stories");
    let mut ids: Vec<String> = fs::read_dir(&dir)
        .expect("read content/stories")
        .map(|e| e.expect("entry").path())
        .filter_map(|p| {
            let name = p.file_name()?.to_string_lossy().into_owned();
            if p.is_dir() && p.join("index.md").is_file() {
                Some(name)
            } else {
                name.strip_suffix(".md").map(str::to_string)
            }
        })
        .collect();
    ids.sort();
    assert!(ids.len() >= 10, "too few stories found: {ids:?}");
    ids
}

/// Every `.svg` file under `dir`.
fn svgs(dir: &Path, found: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).expect("read dir") {
        let path = e.expect("entry").path();
        if path.is_dir() {
            svgs(&path, found);
        } else if path.extension().is_some_and(|x| x == "svg") {
            found.push(path);
        }
    }
}

/// The value of the attribute `name` in `tag`.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// The `<img …>` tags of `html`.
fn imgs(html: &str) -> Vec<&str> {
    html.match_indices("<img ")
        .map(|(i, _)| {
            let end = html[i..].find('>').expect("unclosed img") + i + 1;
            &html[i..end]
        })
        .collect()
}

/// The story cards (`<article class="card story-card …">…</article>`) of a page.
fn story_cards(html: &str) -> Vec<&str> {
    html.match_indices("<article class=\"card story-card")
        .map(|(i, _)| {
            let end = html[i..].find("</article>").expect("unclosed card") + i;
            &html[i..end]
        })
        .collect()
}

fn built() -> Outcome {
    Test::bundled().run().success()
}

#[test]
fn every_story_page_shows_its_illustration_described_in_words() {
    let out = built();
    let mut problems = Vec::new();
    for id in story_ids() {
        let page = out.output(&format!("stories/{id}/"));
        let Some(at) = page.find("<figure class=\"story-hero") else {
            problems.push(format!("stories/{id}/ has no picture at the top"));
            continue;
        };
        let hero = imgs(&page[at..]).into_iter().next().unwrap_or_default();
        let src = attr(hero, "src").unwrap_or_default();
        let alt = attr(hero, "alt").unwrap_or_default();
        if !src.starts_with(&format!("/stories/{id}/")) || !src.ends_with(".svg") {
            problems.push(format!(
                "stories/{id}/: the picture is not an SVG of its bundle: {src:?}"
            ));
        }
        if alt.trim().len() < 20 {
            problems.push(format!(
                "stories/{id}/: the picture's alt text says too little: {alt:?}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_story_card_on_the_list_of_stories_has_a_picture() {
    let out = built();
    let mut pages = vec!["stories/".to_string()];
    for n in 2.. {
        let page = format!("stories/page/{n}/");
        if !out.out_path(&page).is_file() {
            break;
        }
        pages.push(page);
    }
    let mut cards = 0;
    let mut problems = Vec::new();
    for page in &pages {
        for card in story_cards(&out.output(page)) {
            cards += 1;
            let img = imgs(card)
                .into_iter()
                .find(|t| t.contains("class=\"card-img\""));
            match img.and_then(|t| attr(t, "alt")) {
                Some(alt) if !alt.trim().is_empty() => {}
                _ => problems.push(format!(
                    "{page}: a card without a described picture:\n{card}"
                )),
            }
        }
    }
    assert_eq!(cards, story_ids().len(), "cards on {pages:?}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_illustrations_are_small_self_contained_svgs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/stories");
    let mut files = Vec::new();
    svgs(&dir, &mut files);
    assert!(
        files.len() >= story_ids().len(),
        "fewer SVGs than stories: {files:?}"
    );
    let mut problems = Vec::new();
    for path in &files {
        let name = path.strip_prefix(&dir).unwrap_or(path).display();
        let bytes = fs::metadata(path).expect("stat").len();
        if bytes >= MAX_BYTES {
            problems.push(format!("{name}: {bytes} bytes"));
        }
        let text = fs::read_to_string(path).expect("read svg");
        let lower = text.to_lowercase();
        for bad in ["<script", "<image", "<foreignobject", "<text", "data:"] {
            if lower.contains(bad) {
                problems.push(format!("{name}: contains {bad}"));
            }
        }
        let doc = match roxmltree::Document::parse(&text) {
            Ok(doc) => doc,
            Err(e) => {
                problems.push(format!("{name}: not well-formed XML: {e}"));
                continue;
            }
        };
        let root = doc.root_element();
        if root.tag_name().name() != "svg"
            || root.tag_name().namespace() != Some("http://www.w3.org/2000/svg")
        {
            problems.push(format!(
                "{name}: the root is not an <svg> with the SVG xmlns"
            ));
        }
        if root.attribute("viewBox") != Some("0 0 1200 630") {
            problems.push(format!("{name}: viewBox is not \"0 0 1200 630\""));
        }
        for node in doc.descendants().filter(|n| n.is_element()) {
            for a in node.attributes().filter(|a| a.name() == "href") {
                if !a.value().starts_with('#') {
                    problems.push(format!("{name}: links outside itself: {}", a.value()));
                }
            }
            for a in node.attributes() {
                if a.value().contains("url(") && !a.value().contains("url(#") {
                    problems.push(format!("{name}: loads {}", a.value()));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
