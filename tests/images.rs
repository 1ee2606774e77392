//! Photos (the images issue): published as resized copies in WebP and their own format,
//! upright and without metadata, offered with `srcset`, cached across builds, and every bad
//! picture a clear error.

use std::fs;

use crate::support::Test;

pub use rally::images::samples::photo_with_gps;

fn png(w: u32, h: u32) -> Vec<u8> {
    use image::ImageEncoder;
    let img = image::RgbaImage::from_fn(w, h, |x, _| image::Rgba([10, 90, 100, (x % 256) as u8]));
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgba8)
        .expect("png");
    out
}

/// A story bundle with `photo.jpg` as its picture and two more pictures in its text.
fn story_with_photo(t: Test, photo: &[u8]) -> Test {
    t.file(
        "content/stories/visit/index.md",
        "---\ntitle: A visit\ndate: 2024-05-01\nsummary: A visit to a shelter.\n\
         image:\n  src: photo.jpg\n  alt: Children drawing at a table\n---\n\
         Text.\n\n![The garden of the shelter](photo.jpg)\n\n![A drawing](drawing.png)\n",
    )
    .bytes("content/stories/visit/photo.jpg", photo)
    .bytes("content/stories/visit/drawing.png", &png(700, 300))
}

fn size_and_kind(bytes: &[u8]) -> ((usize, usize), imagesize::ImageType) {
    let s = imagesize::blob_size(bytes).expect("a picture");
    (
        (s.width, s.height),
        imagesize::image_type(bytes).expect("a picture"),
    )
}

#[test]
fn photos_are_published_as_resized_copies_without_their_location() {
    let photo = photo_with_gps(2000, 1200, 1);
    assert!(photo.windows(4).any(|w| w == b"Exif"));
    let out = story_with_photo(Test::new().builtin_theme(), &photo)
        .run()
        .success();
    use imagesize::ImageType::{Jpeg, Png, Webp};
    let expected = [
        ("photo.jpg", (1600, 960), Jpeg),
        ("photo-480w.jpg", (480, 288), Jpeg),
        ("photo-480w.webp", (480, 288), Webp),
        ("photo-960w.jpg", (960, 576), Jpeg),
        ("photo-960w.webp", (960, 576), Webp),
        ("photo-1200w.jpg", (1200, 720), Jpeg),
        ("photo-1200w.webp", (1200, 720), Webp),
        ("photo-1600w.webp", (1600, 960), Webp),
        // Never enlarged: 700 wide, so 480 and its own width.
        ("drawing.png", (700, 300), Png),
        ("drawing-480w.png", (480, 206), Png),
        ("drawing-480w.webp", (480, 206), Webp),
        ("drawing-700w.webp", (700, 300), Webp),
    ];
    for (name, size, kind) in expected {
        let bytes = fs::read(out.out_path(&format!("stories/visit/{name}")))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(size_and_kind(&bytes), (size, kind), "{name}");
        for marker in [&b"Exif"[..], b"GPS", b"II*\0"] {
            assert!(
                !bytes.windows(marker.len()).any(|w| w == marker),
                "{name} carries metadata"
            );
        }
    }
    assert!(!out.out_path("stories/visit/photo-1600w.jpg").exists());
    let page = out.output("stories/visit/index.html");
    // The story's own photo: first on the page, so not lazy.
    assert!(page.contains("<source type=\"image/webp\" srcset=\"/stories/visit/photo-480w.webp 480w, /stories/visit/photo-960w.webp 960w, /stories/visit/photo-1200w.webp 1200w, /stories/visit/photo-1600w.webp 1600w\""), "{page}");
    assert!(page.contains("srcset=\"/stories/visit/photo-480w.jpg 480w, /stories/visit/photo-960w.jpg 960w, /stories/visit/photo-1200w.jpg 1200w, /stories/visit/photo.jpg 1600w\""));
    assert!(page.contains("width=\"1600\" height=\"960\" fetchpriority=\"high\""));
    // Pictures in the text: <picture>, with their size, lazy (the story's photo comes first).
    assert!(page.contains(
        "<img src=\"/stories/visit/photo.jpg\" alt=\"The garden of the shelter\" srcset="
    ));
    assert!(page.contains("<img src=\"/stories/visit/drawing.png\" alt=\"A drawing\" srcset=\"/stories/visit/drawing-480w.png 480w, /stories/visit/drawing.png 700w\" sizes=\"(min-width: 48rem) 42rem, 100vw\" width=\"700\" height=\"300\" loading=\"lazy\""));
    assert_eq!(page.matches("<picture>").count(), 3, "{page}");
    assert_eq!(page.matches("loading=\"lazy\"").count(), 2);
    // The share card of a story with a photo is its 1200-wide copy.
    assert!(page.contains("https://example.org/stories/visit/photo-1200w.jpg"));
}

#[test]
fn the_first_picture_of_a_page_without_its_own_photo_is_not_lazy() {
    Test::new()
        .builtin_theme()
        .file(
            "content/about.md",
            "---\ntitle: About\n---\n![One](a.png)\n\n![Two](a.png)\n",
        )
        .bytes("content/a.png", &png(600, 200))
        .run()
        .success()
        .page("about/index.html", "<picture><source type=\"image/webp\" srcset=\"/a-480w.webp 480w, /a-600w.webp 600w\"")
        .page("about/index.html", "alt=\"One\" srcset=\"/a-480w.png 480w, /a.png 600w\" sizes=\"(min-width: 48rem) 42rem, 100vw\" width=\"600\" height=\"200\" decoding=\"async\">")
        .page("about/index.html", "alt=\"Two\" srcset=\"/a-480w.png 480w, /a.png 600w\" sizes=\"(min-width: 48rem) 42rem, 100vw\" width=\"600\" height=\"200\" loading=\"lazy\"");
}

#[test]
fn a_photo_taken_sideways_is_published_upright() {
    // EXIF orientation 6: stored 1000×600, shown turned a quarter.
    let out = story_with_photo(Test::new(), &photo_with_gps(1000, 600, 6))
        .run()
        .success();
    let bytes = fs::read(out.out_path("stories/visit/photo.jpg")).expect("photo");
    assert_eq!(size_and_kind(&bytes).0, (600, 1000));
}

#[test]
fn a_second_build_encodes_nothing_and_gives_the_same_site() {
    let t = story_with_photo(Test::new().own_cache(), &photo_with_gps(1300, 800, 1));
    let first = t
        .run()
        .success()
        .stderr_has(&["2 photos (2 resized now, 0 from .rally-cache/)"]);
    let site = crate::support::snapshot(&first.test.path("public"));
    let cache = crate::support::snapshot(&first.test.path(".rally-cache"));
    let stamps = |t: &Test| -> Vec<std::time::SystemTime> {
        let mut v = Vec::new();
        for e in walkdir::WalkDir::new(t.path(".rally-cache")) {
            let e = e.expect("entry");
            if e.file_type().is_file() {
                v.push(e.metadata().expect("meta").modified().expect("mtime"));
            }
        }
        v
    };
    let before = stamps(&first.test);
    assert!(!cache.is_empty());
    let again = first
        .then()
        .run()
        .success()
        .stderr_has(&["2 photos (0 resized now, 2 from .rally-cache/)"]);
    assert_eq!(crate::support::snapshot(&again.test.path("public")), site);
    assert_eq!(stamps(&again.test), before, "no cached file rewritten");
    // Other settings: made again.
    let cfg = again.test.read("site.yaml") + "images:\n  quality: 60\n";
    again
        .test
        .file("site.yaml", &cfg)
        .run()
        .success()
        .stderr_has(&["2 photos (2 resized now, 0 from .rally-cache/)"]);
}

#[test]
fn settings_choose_the_widths_and_bad_settings_are_errors() {
    let t = story_with_photo(Test::new(), &photo_with_gps(1300, 800, 1));
    let cfg = t.read("site.yaml");
    let t = t
        .file(
            "site.yaml",
            &format!("{cfg}images:\n  widths: [300, 600]\n"),
        )
        .run()
        .success()
        .exists("stories/visit/photo-300w.webp")
        .missing("stories/visit/photo-480w.webp")
        .then();
    let size = size_and_kind(&fs::read(t.path("public/stories/visit/photo.jpg")).unwrap()).0;
    assert_eq!(size, (600, 369));
    for (bad, says) in [
        ("images:\n  widths: []\n", "`images.widths` lists no width"),
        (
            "images:\n  widths: [0]\n",
            "widths go from 16 to 8192 pixels",
        ),
        ("images:\n  quality: 101\n", "`images.quality` is 101"),
        ("images:\n  width: [300]\n", "width"),
    ] {
        t.test_file("site.yaml", &format!("{cfg}{bad}"))
            .args(&["build"])
            .run()
            .failure(1)
            .stderr_has(&[says, "site.yaml:5"]);
    }
}

trait TestFile {
    fn test_file(&self, rel: &str, text: &str) -> Test;
}
impl TestFile for Test {
    /// A fresh copy of this site with one file replaced.
    fn test_file(&self, rel: &str, text: &str) -> Test {
        let t = Test::new();
        crate::support::copy_dir(self.root(), t.root());
        t.file(rel, text)
    }
}

#[test]
fn a_file_that_is_not_the_picture_it_claims_to_be_is_an_error() {
    let t = Test::new();
    let t = story_with_photo(t, b"this is a text file, not a photo")
        .run()
        .failure(1)
        .stderr_has(&[
            "`content/stories/visit/photo.jpg` is not a picture rally can read",
            "save it again as JPEG or PNG",
            "the previous site was left unchanged",
        ])
        .then();
    assert!(!t.path("public/index.html").exists());
    // A PNG under a .jpg name.
    story_with_photo(Test::new(), &png(300, 200))
        .run()
        .failure(1)
        .stderr_has(&[
            "is a PNG picture under another format's name",
            "rename the file to end in .png",
        ]);
    // A picture claiming to be 60,000 pixels square (a decompression bomb): refused, no
    // memory exhausted.
    let mut bomb = png(1, 1);
    bomb[16..20].copy_from_slice(&60_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&60_000u32.to_be_bytes());
    story_with_photo(Test::new(), &bomb)
        .run()
        .failure(1)
        .stderr_has(&["is not a picture rally can read"]);
}

#[test]
fn a_large_original_is_a_warning_with_its_size() {
    // Noise does not compress: about 1.6 MB.
    let mut state = 0x2545_f491_u32;
    let img = image::RgbImage::from_fn(900, 600, |_, _| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        image::Rgb([state as u8, (state >> 8) as u8, (state >> 16) as u8])
    });
    let mut photo = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut photo, 100)
        .encode_image(&img)
        .expect("jpeg");
    assert!(photo.len() > 1_000_000, "{}", photo.len());
    let t = story_with_photo(Test::new(), &photo);
    let cfg = t.read("site.yaml");
    t.file("site.yaml", &format!("{cfg}images:\n  warn_above_mb: 1\n"))
        .run()
        .success()
        .stderr_has(&[
            &format!(
                "`content/stories/visit/photo.jpg` is {:.1} MB: a large original",
                photo.len() as f64 / 1e6
            ),
            "`images.warn_above_mb` in site.yaml",
        ]);
}

#[test]
fn front_matter_pictures_need_alt_and_decorative_ones_say_so() {
    let t = Test::new()
        .builtin_theme()
        .file(
            "content/stories/visit/index.md",
            "---\ntitle: A visit\ndate: 2024-05-01\nsummary: S.\nimage:\n  src: photo.jpg\n---\nText.\n",
        )
        .bytes("content/stories/visit/photo.jpg", &photo_with_gps(600, 400, 1))
        .run()
        .failure(1)
        .stderr_has(&["content/stories/visit/index.md:5", "alt"])
        .then();
    t.file(
        "content/stories/visit/index.md",
        "---\ntitle: A visit\ndate: 2024-05-01\nsummary: S.\nimage:\n  src: photo.jpg\n  alt: \"\"\n---\nText.\n",
    )
    .run()
    .success()
    .page("stories/visit/index.html", "<img src=\"/stories/visit/photo.jpg\" alt=\"\" srcset=");
}

#[test]
fn a_missing_picture_is_an_error_naming_page_and_line() {
    Test::new()
        .story(
            "visit",
            "title: A visit\ndate: 2024-05-01\nsummary: S.",
            "Text.\n\n![The garden](garden.jpg)\n",
        )
        .run()
        .failure(1)
        .stderr_has(&[
            "the image `garden.jpg` does not exist",
            "content/stories/visit.md:8:15",
        ]);
}

#[test]
fn gifs_and_drawings_pass_through_and_odd_names_stay_addressable() {
    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec();
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"/>".to_vec();
    let out = Test::new()
        .builtin_theme()
        .args(&["build", "--base-url", "https://example.org/campaign/"])
        .file(
            "content/about.md",
            "---\ntitle: About\n---\n![A](moving.gif)\n\n![B](plan.svg)\n\n![C](<my photo, 2024.jpg>)\n",
        )
        .bytes("content/moving.gif", &gif)
        .bytes("content/plan.svg", &svg)
        .bytes("content/my photo, 2024.jpg", &photo_with_gps(700, 400, 1))
        .run()
        .success();
    assert_eq!(fs::read(out.out_path("moving.gif")).unwrap(), gif);
    assert_eq!(fs::read(out.out_path("plan.svg")).unwrap(), svg);
    assert!(out.out_path("my photo, 2024-480w.webp").is_file());
    out.page(
        "about/index.html",
        "srcset=\"/campaign/my%20photo%2C%202024-480w.webp 480w, /campaign/my%20photo%2C%202024-700w.webp 700w\"",
    )
    .page_lacks("about/index.html", "moving-");
}

#[test]
fn check_reports_a_bad_picture_and_writes_nothing() {
    let t = story_with_photo(Test::new().own_cache(), &photo_with_gps(900, 600, 1))
        .args(&["check"])
        .run()
        .success()
        .then();
    assert!(
        !t.path(".rally-cache").exists(),
        "rally check wrote a cache"
    );
    assert!(!t.path("public").exists());
    t.bytes("content/stories/visit/photo.jpg", b"not a photo")
        .args(&["check"])
        .run()
        .failure(1)
        .stderr_has(&["`content/stories/visit/photo.jpg` is not a picture rally can read"]);
}
