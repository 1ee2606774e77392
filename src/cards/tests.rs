use std::sync::OnceLock;

use resvg::usvg;

use super::*;

const FONT: &[u8] = include_bytes!("../../themes/campaign/cards/DejaVuSans-Bold.ttf");

const ILLUSTRATION: &[u8] = include_bytes!(
    "../../content/stories/global-study-children-deprived-of-liberty/illustration.svg"
);

const ARABIC: &str = "اعتماد قرار الجمعية العامة بشأن حقوق الطفل وحماية الأطفال المهاجرين من الاحتجاز \
     في جميع أنحاء العالم ودعوة الدول إلى إنهاء هذه الممارسة";

fn renderer() -> &'static Renderer {
    static R: OnceLock<Renderer> = OnceLock::new();
    R.get_or_init(|| Renderer::new(&[FONT.to_vec()]).unwrap())
}

/// About 300 characters, and a 60-character word (a URL) in the middle.
fn long_title() -> String {
    let url = "https://endchilddetention.example.org/stories/a-long-address-60";
    assert!(url.chars().count() >= 60);
    format!(
        "Thirty years after the Convention on the Rights of the Child, governments, United \
         Nations agencies and civil society meet again in Geneva to ask one question: {url} \
         why are children still locked up because of their migration status, and what will \
         it take for every State to end the practice for good this time around, everywhere?"
    )
}

fn story<'a>(title: &'a str, illustration: Option<&'a [u8]>) -> Card<'a> {
    Card {
        title,
        kicker: "Story",
        meta: "20 November 2019",
        site_name: "End Child Immigration Detention",
        rtl: false,
        illustration,
    }
}

fn arabic<'a>(title: &'a str, illustration: Option<&'a [u8]>) -> Card<'a> {
    Card {
        title,
        kicker: "قرار",
        meta: "A/RES/69/187",
        site_name: "إنهاء احتجاز الأطفال لأسباب تتعلق بالهجرة",
        rtl: true,
        illustration,
    }
}

/// The card's SVG parsed with the same fonts.
fn tree(card: &Card) -> usvg::Tree {
    let svg = renderer().svg(card);
    usvg::Tree::from_str(&svg, &renderer().options()).unwrap()
}

/// Every text node of the tree, by id: its layout box and its glyphs' box.
fn texts(tree: &usvg::Tree) -> Vec<(String, usvg::Rect, usvg::Rect)> {
    fn walk(group: &usvg::Group, out: &mut Vec<(String, usvg::Rect, usvg::Rect)>) {
        for node in group.children() {
            match node {
                usvg::Node::Group(g) => walk(g, out),
                usvg::Node::Text(t) => out.push((
                    t.id().to_string(),
                    t.abs_bounding_box(),
                    t.abs_stroke_bounding_box(),
                )),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(tree.root(), &mut out);
    out
}

/// The illustration's box: the (clipped) group around each image.
fn images(tree: &usvg::Tree) -> Vec<usvg::Rect> {
    fn has_image(group: &usvg::Group) -> bool {
        group.children().iter().any(|n| match n {
            usvg::Node::Image(_) => true,
            usvg::Node::Group(g) => has_image(g),
            _ => false,
        })
    }
    tree.root()
        .children()
        .iter()
        .filter_map(|n| match n {
            usvg::Node::Image(i) => Some(i.abs_bounding_box()),
            usvg::Node::Group(g) if has_image(g) => Some(g.abs_bounding_box()),
            _ => None,
        })
        .collect()
}

fn overlaps(a: usvg::Rect, b: usvg::Rect) -> bool {
    a.left() < b.right() && b.left() < a.right() && a.top() < b.bottom() && b.top() < a.bottom()
}

/// Texts within the card minus 40 px on each side, clear of the illustration and of each other.
fn assert_inside(card: &Card) {
    let tree = tree(card);
    let texts = texts(&tree);
    let layout = renderer().layout(card);
    assert_eq!(
        texts.iter().filter(|t| t.0.starts_with("title-")).count(),
        layout.lines.len(),
        "one text node per title line"
    );
    assert!(!layout.lines.is_empty());
    let inner =
        usvg::Rect::from_ltrb(40.0, 40.0, WIDTH as f32 - 40.0, HEIGHT as f32 - 40.0).unwrap();
    let boxes = images(&tree);
    assert_eq!(boxes.len(), usize::from(card.illustration.is_some()));
    for (id, layout_box, ink) in &texts {
        for b in [layout_box, ink] {
            assert!(
                b.left() >= inner.left()
                    && b.right() <= inner.right()
                    && b.top() >= inner.top()
                    && b.bottom() <= inner.bottom(),
                "{id} at {b:?} is outside {inner:?}"
            );
            for image in &boxes {
                assert!(
                    !overlaps(*b, *image),
                    "{id} at {b:?} overlaps the illustration at {image:?}"
                );
            }
        }
    }
    for (i, a) in texts.iter().enumerate() {
        for b in &texts[i + 1..] {
            assert!(
                !overlaps(a.1, b.1),
                "{} at {:?} overlaps {} at {:?}",
                a.0,
                a.1,
                b.0,
                b.1
            );
        }
    }
}

#[test]
fn long_english_title_stays_inside_the_card() {
    let title = long_title();
    for illustration in [None, Some(ILLUSTRATION)] {
        let card = story(&title, illustration);
        assert_inside(&card);
        let layout = renderer().layout(&card);
        assert!(layout.truncated, "{layout:?}");
        assert_eq!(layout.lines.len(), 4);
        assert!(layout.lines[3].ends_with('…'));
    }
}

#[test]
fn long_word_is_broken_between_characters() {
    // A URL alone, too wide for any size.
    let url = "https://endchilddetention.example.org/stories/a-very-long-address-indeed-1234567890";
    let card = story(url, Some(ILLUSTRATION));
    assert_inside(&card);
    let layout = renderer().layout(&card);
    assert!(layout.lines.len() > 1, "{layout:?}");
    assert_eq!(layout.lines.concat(), url);
}

#[test]
fn arabic_title_stays_inside_the_card() {
    for illustration in [None, Some(ILLUSTRATION)] {
        assert_inside(&arabic(ARABIC, illustration));
    }
    let long = format!("{ARABIC} {ARABIC} {ARABIC}");
    assert_inside(&arabic(&long, Some(ILLUSTRATION)));
    // A word too long for a line is broken, its letters taking other forms.
    let word = "الاحتجاز".repeat(12);
    for title in [word.clone(), format!("حقوق الطفل {word}")] {
        let card = arabic(&title, Some(ILLUSTRATION));
        assert_inside(&card);
        assert!(renderer().layout(&card).lines.len() > 1);
    }
    assert!(renderer().layout(&arabic(&long, None)).truncated);
}

#[test]
fn arabic_title_is_right_aligned_and_shaped() {
    for illustration in [None, Some(ILLUSTRATION)] {
        let card = arabic(ARABIC, illustration);
        let tree = tree(&card);
        let right = WIDTH as f32 - MARGIN;
        let mut lines = 0;
        for (id, b, ink) in texts(&tree) {
            if !id.starts_with("title-") && id != "kicker" && id != "meta" {
                continue;
            }
            lines += 1;
            assert!(
                (b.right() - right).abs() <= 2.0,
                "{id} ends at {}",
                b.right()
            );
            assert!(ink.width() > 0.0 && b.width() > 0.0, "{id} has no glyphs");
        }
        assert!(
            lines >= 3,
            "kicker, meta and at least one title line: {lines}"
        );
        // The illustration is on the left.
        if illustration.is_some() {
            assert!(images(&tree)[0].right() < WIDTH as f32 / 2.0);
        }
        // The first words are on the first line (logical order), at the right.
        let layout = renderer().layout(&card);
        assert!(layout.lines[0].starts_with("اعتماد"), "{layout:?}");
        assert!(layout.lines.len() > 1);
    }
}

#[test]
fn lines_wider_than_estimated_are_fitted_again() {
    let r = renderer();
    let calls = std::cell::Cell::new(0);
    // Words 20 % narrower than they are, as if shaping a line made it wider than its words.
    let lying = |probes: &[(&str, fit::Style)]| {
        let mut measured = r.measure(probes, false);
        if calls.get() == 0 {
            for m in measured.iter_mut().flatten() {
                m.width *= 0.8;
            }
        }
        calls.set(calls.get() + 1);
        measured
    };
    let slot = |size| fit::Slot {
        style: style(size),
        width: 640.0,
    };
    let title = long_title();
    let kicker = "Resolution of the General Assembly of the United Nations";
    let f = fit::fit(
        &lying,
        [(&title, false), (kicker, false), ("", false), ("", false)],
        [
            slot(0.0),
            slot(KICKER_SIZE),
            slot(META_SIZE),
            slot(SITE_SIZE),
        ],
    );
    assert!(calls.get() > 2, "fitted again");
    let size = f.title.font_size;
    let mut lines: Vec<(&str, fit::Style)> = f
        .title
        .lines
        .iter()
        .map(|l| (l.as_str(), style(size)))
        .collect();
    lines.push((&f.kicker, style(KICKER_SIZE)));
    for (line, m) in lines.iter().zip(r.measure(&lines, false)) {
        let width = m.unwrap().width;
        assert!(width <= 640.0, "{line:?} is {width} px wide");
    }
    assert!(f.kicker.ends_with('…'), "{:?}", f.kicker);
}

#[test]
fn png_is_1200_by_630_and_reproducible() {
    let title = long_title();
    let card = story(&title, Some(ILLUSTRATION));
    let png = renderer().render(&card).unwrap();
    let image = image::load_from_memory(&png).unwrap();
    assert_eq!((image.width(), image.height()), (WIDTH, HEIGHT));
    assert_eq!(renderer().render(&card).unwrap(), png);
    // And from a second renderer with the same fonts.
    let other = Renderer::new(&[FONT.to_vec()]).unwrap();
    assert_eq!(other.render(&card).unwrap(), png);
    // The text is drawn: the title's first line has white pixels.
    let rgb = image.to_rgb8();
    let white = rgb.pixels().filter(|p| p.0 == [255, 255, 255]).count();
    assert!(white > 1000, "{white} white pixels");
}

#[test]
fn short_title_is_largest_and_long_title_smaller() {
    let short = renderer().layout(&story("Children are not detained", None));
    assert_eq!(short.font_size, 72.0);
    assert_eq!(short.lines, ["Children are not detained"]);
    assert!(!short.truncated);
    let title = "UN Global Study: immigration detention is never in a child's best interests";
    let medium = renderer().layout(&story(title, Some(ILLUSTRATION)));
    assert!(medium.font_size < 72.0, "{medium:?}");
    assert!(!medium.truncated);
    assert_eq!(medium.lines.join(" "), title);
    let long = renderer().layout(&story(&long_title(), None));
    assert_eq!(long.font_size, 36.0);
}

#[test]
fn hostile_text_is_escaped() {
    let hostile = [
        "</text><script>alert(1)</script> & \"quotes\" 'single' <![CDATA[x]]> &amp;",
        "control\u{0}\u{1}\u{b}\u{7f}\u{9f}\u{fffe} chars\t\n\r and \u{202e}override\u{202c}",
        "",
        "   ",
        "\u{200b}\u{200b}",
        "\u{64e}\u{64e}\u{64e}",
    ];
    for title in hostile {
        for rtl in [false, true] {
            let card = Card {
                title,
                kicker: title,
                meta: "\"&<>",
                site_name: title,
                rtl,
                illustration: Some(b"<svg><text>not closed"),
            };
            let svg = renderer().svg(&card);
            assert!(!svg.contains("<script"), "{svg}");
            usvg::Tree::from_str(&svg, &renderer().options()).unwrap();
            renderer().render(&card).unwrap();
        }
    }
    let card = story(hostile[0], None);
    let layout = renderer().layout(&card);
    assert!(layout.lines.concat().contains("</text><script>"));
    let empty = renderer().layout(&story("", None));
    assert!(empty.lines.is_empty());
}

#[test]
fn broken_illustration_is_left_out() {
    let title = "A title";
    let broken = renderer().svg(&story(title, Some(b"not svg at all")));
    assert_eq!(broken, renderer().svg(&story(title, None)));
    assert!(
        renderer()
            .svg(&story(title, Some(ILLUSTRATION)))
            .contains("<image")
    );
}

#[test]
fn no_font_is_an_error() {
    assert!(Renderer::new(&[]).is_err());
    assert!(Renderer::new(&[b"garbage".to_vec()]).is_err());
    assert!(Renderer::new(&[Vec::new()]).is_err());
    // A truncated font file.
    assert!(Renderer::new(&[FONT[..FONT.len() / 20].to_vec()]).is_err());
    assert!(Renderer::new(&[b"garbage".to_vec(), FONT.to_vec()]).is_ok());
}

#[test]
fn key_covers_every_field() {
    let base = story("Title", Some(ILLUSTRATION));
    let other_picture = b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".as_slice();
    let variants = [
        Card {
            title: "Title!",
            ..base
        },
        Card {
            kicker: "Partner",
            ..base
        },
        Card { meta: "", ..base },
        Card {
            site_name: "Other",
            ..base
        },
        Card { rtl: true, ..base },
        Card {
            illustration: None,
            ..base
        },
        Card {
            illustration: Some(other_picture),
            ..base
        },
        // The same bytes moved from one field to the next.
        Card {
            title: "Titl",
            kicker: "eStory",
            ..base
        },
    ];
    let k = key(&base);
    assert_eq!(k, key(&story("Title", Some(ILLUSTRATION))));
    // Equal texts and bytes elsewhere in memory.
    let (title, picture) = (String::from("Title"), ILLUSTRATION.to_vec());
    assert_eq!(k, key(&story(&title, Some(&picture))));
    let mut keys = vec![k];
    for v in &variants {
        let kv = key(v);
        assert!(!keys.contains(&kv), "{v:?}");
        keys.push(kv);
    }
}

#[test]
fn clusters_keep_marks_with_their_letter() {
    let word = "أُمّة";
    let c: Vec<&str> = fit::clusters(word).collect();
    assert_eq!(c, ["أُ", "مّ", "ة"]);
    assert_eq!(fit::clusters("ab").count(), 2);
    assert_eq!(base64(b"ab"), "YWI=");
    assert_eq!(base64(b"abc"), "YWJj");
    assert_eq!(base64(b"a"), "YQ==");
    assert_eq!(
        clean("  a \t\n b\u{0}c  ", 100),
        ("a bc".to_string(), false)
    );
    assert_eq!(clean("a b c", 3), ("a b".to_string(), true));
    assert_eq!(clean("a b", 3), ("a b".to_string(), false));
}

/// Writes the example cards to docs/cards/ (see `super::write_examples`).
pub(super) fn write_examples() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("content/stories/global-study-children-deprived-of-liberty");
    let index = std::fs::read_to_string(dir.join("index.md")).unwrap();
    let title = index
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .unwrap()
        .trim_matches('"');
    let illustration = std::fs::read(dir.join("illustration.svg")).unwrap();
    let card = Card {
        meta: "19 November 2019",
        ..story(title, Some(&illustration))
    };
    let out = root.join("docs/cards");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        out.join("story-long-title.png"),
        renderer().render(&card).unwrap(),
    )
    .unwrap();
    // No resolution has an Arabic translation yet: the title of
    // content/resolutions/unga-res-69-187-migrant-children-adolescents.md, in Arabic.
    let card = arabic(
        "قرار الجمعية العامة 69/187: الأطفال والمراهقون المهاجرون",
        None,
    );
    std::fs::write(
        out.join("resolution-arabic.png"),
        renderer().render(&card).unwrap(),
    )
    .unwrap();
}

/// Time per render, printed. `cargo test --release --lib cards::tests::timing -- --ignored --nocapture`
#[test]
#[ignore]
fn timing() {
    let title = long_title();
    let cards = [
        story(&title, Some(ILLUSTRATION)),
        arabic(ARABIC, None),
        story("A short title", None),
    ];
    for card in &cards {
        let png = renderer().render(card).unwrap();
        let n = 10;
        let time = |f: &dyn Fn()| {
            let start = std::time::Instant::now();
            for _ in 0..n {
                f();
            }
            start.elapsed() / n
        };
        let render = time(&|| drop(renderer().render(card)));
        let svg = time(&|| drop(renderer().svg(card)));
        let layout = time(&|| drop(renderer().layout(card)));
        println!(
            "{:.30}: render {render:?} (svg {svg:?}, of which layout {layout:?}), {} bytes",
            card.title,
            png.len()
        );
    }
}
