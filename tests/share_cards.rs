//! Share cards (the images issue): every page of the bundled site names a 1200×630 picture
//! as its `og:image`, drawn once and cached; a theme without card fonts gets none.

use std::fs;

use crate::support::{Test, snapshot};

/// The `content` of `<meta property|name="{name}" content="...">` in `html`.
fn meta<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let at = html
        .find(&format!("property=\"{name}\" content=\""))
        .or_else(|| html.find(&format!("name=\"{name}\" content=\"")))?;
    let rest = &html[at..];
    let start = rest.find("content=\"")? + "content=\"".len();
    let end = rest[start..].find('"')?;
    Some(&rest[start..start + end])
}

#[test]
fn every_page_of_the_bundled_site_has_a_share_picture() {
    let out = Test::bundled().run().success();
    let root = out.test.path("public");
    let mut pages = 0;
    let mut cards = std::collections::BTreeSet::new();
    for (path, bytes) in snapshot(&root) {
        if !path.ends_with(".html") || path.ends_with("404.html") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("utf-8");
        if html.contains("http-equiv=\"refresh\"") {
            continue;
        }
        pages += 1;
        let image = meta(&html, "og:image").unwrap_or_else(|| panic!("{path} has no og:image"));
        assert_eq!(
            meta(&html, "twitter:card"),
            Some("summary_large_image"),
            "{path}"
        );
        let alt = meta(&html, "og:image:alt").unwrap_or_default();
        assert!(!alt.trim().is_empty(), "{path}: og:image:alt");
        let file = image
            .strip_prefix("https://endchilddetention.example.org/")
            .unwrap_or_else(|| panic!("{path}: {image} is not an address of the site"));
        let bytes = fs::read(root.join(file)).unwrap_or_else(|e| panic!("{path}: {file}: {e}"));
        let size = imagesize::blob_size(&bytes).expect("a picture");
        let kind = imagesize::image_type(&bytes).expect("a picture");
        assert!(
            matches!(kind, imagesize::ImageType::Png | imagesize::ImageType::Jpeg),
            "{path}: {file} is {kind:?}: social networks want PNG or JPEG"
        );
        assert_eq!(
            (
                meta(&html, "og:image:width"),
                meta(&html, "og:image:height")
            ),
            (
                Some(size.width.to_string().as_str()),
                Some(size.height.to_string().as_str())
            ),
            "{path}"
        );
        if file.ends_with("share-card.png") {
            assert_eq!((size.width, size.height), (1200, 630), "{file}");
            cards.insert(file.to_string());
        }
    }
    assert!(pages > 130, "{pages} pages");
    // Entries in four languages, home and sections: hundreds of cards, each once.
    assert!(cards.len() > 100, "{} cards", cards.len());
    assert!(cards.contains("ar/stories/global-study-children-deprived-of-liberty/share-card.png"));
    assert!(cards.contains("resolutions/share-card.png"));
}

#[test]
fn a_second_build_draws_no_card_and_an_edit_draws_one() {
    let t = Test::new()
        .own_cache()
        .builtin_theme()
        .simple_story("first", "2024-01-01")
        .simple_story("second", "2024-02-01")
        .resolution(
            "res",
            "title: A resolution\nsymbol: A/RES/1/1\nbody: UN General Assembly\nadopted: 2016\nkind: resolution",
            "",
        );
    let cards = |t: &Test| -> Vec<(String, std::time::SystemTime)> {
        let mut v: Vec<_> = fs::read_dir(t.path(".rally-cache/cards"))
            .expect("cards cached")
            .map(|e| {
                let e = e.expect("entry");
                (
                    e.file_name().to_string_lossy().into_owned(),
                    e.metadata().expect("meta").modified().expect("mtime"),
                )
            })
            .collect();
        v.sort();
        v
    };
    let first = t.run().success().then();
    let drawn = cards(&first);
    // Home, three sections, the search page, two stories, one resolution.
    assert_eq!(drawn.len(), 8, "{drawn:?}");
    let site = snapshot(&first.path("public"));
    // Published as links to the cache (same disk), not copies.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let published = fs::metadata(first.path("public/stories/first/share-card.png"))
            .expect("card published");
        let cached: Vec<u64> = drawn
            .iter()
            .map(|(name, _)| {
                fs::metadata(first.path(&format!(".rally-cache/cards/{name}")))
                    .expect("cached")
                    .ino()
            })
            .collect();
        assert!(cached.contains(&published.ino()), "a link to the cache");
    }
    let again = first.run().success().then();
    assert_eq!(cards(&again), drawn, "nothing drawn again");
    assert_eq!(
        snapshot(&again.path("public")),
        site,
        "the same site, byte for byte"
    );
    let story = again
        .read("content/stories/first.md")
        .replace("Story first", "The first story, renamed");
    let edited = again
        .file("content/stories/first.md", &story)
        .run()
        .success()
        .then();
    let after = cards(&edited);
    assert_eq!(after.len(), 9, "one new card: {after:?}");
    assert!(
        drawn.iter().all(|d| after.contains(d)),
        "the others untouched"
    );
}

#[test]
fn a_theme_without_card_fonts_gets_no_card_and_no_error() {
    Test::new()
        .simple_story("first", "2024-01-01")
        .template(
            "story.html",
            "{% extends \"base.html\" %}{% block content %}[{% if share_card is defined %}card{% else %}none{% endif %}]{% endblock content %}",
        )
        .run()
        .success()
        .page("stories/first/index.html", "[none]")
        .missing("stories/first/share-card.png");
}
