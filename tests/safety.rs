//! A build never destroys sources and never publishes what was not meant to be published:
//! output folders that would replace sources are refused before anything is touched, the
//! output shares nothing writable with the sources, and only web files under `content/` that
//! lie inside the site are published.

use std::fs;
use std::path::Path;

use crate::support::{Test, snapshot};

/// A small site with a story, a bundle image and a static file, ready to run.
fn site() -> Test {
    Test::new()
        .simple_story("a", "2020-01-01")
        .file(
            "content/stories/trip/index.md",
            "---\ntitle: Trip\ndate: 2020-01-02\nsummary: s\n---\n![A photo](photo.png)\n",
        )
        .bytes("content/stories/trip/photo.png", PNG)
        .file("static/css/extra.css", "body { color: black }\n")
        .ready()
}

/// A 1×1 PNG.
const PNG: &[u8] = crate::support::TINY_PNG;

/// Every file and folder under `dir` (folders too, so that new empty folders show).
fn tree(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .expect("prefix")
                .display()
                .to_string()
        })
        .collect();
    out.sort();
    out
}

/// Runs `rally build --output <output>` in a fresh site (optionally inside a parent folder
/// `site/`), expects it to be refused with `help`, and the whole folder to be unchanged:
/// every byte, and no new folder.
fn refused(output: &str, help: &str) {
    refused_in(site(), output, help);
}

/// [`refused`] in a prepared site.
fn refused_in(t: Test, output: &str, help: &str) {
    let before = (snapshot(t.root()), tree(t.root()));
    let out = t.args(&["build", "--output", output]).run().failure(1);
    let first = out.stderr.lines().next().unwrap_or_default().to_string();
    assert_eq!(
        first,
        format!("error: refusing to write the site into ./{output}"),
        "{}",
        out.stderr
    );
    let out = out.stderr_has(&[help]);
    assert_eq!(
        before,
        (snapshot(out.test.root()), tree(out.test.root())),
        "--output {output} changed the site folder"
    );
}

#[test]
fn output_through_a_missing_folder_into_content_is_refused() {
    refused(
        "x/../content",
        "help: that is content/, which holds your site's sources; a build replaces its output folder completely. choose another output folder, e.g. --output public",
    );
}

#[test]
fn output_through_missing_folders_into_themes_or_static_is_refused() {
    refused("y/../themes", "help: that is themes/");
    refused(
        "y/z/../../static/css",
        "help: that folder is inside static/",
    );
    refused("a/b/../../templates", "help: that is templates/");
}

#[test]
fn output_into_the_version_history_is_refused() {
    refused_in(
        site().file(".git/config", "[core]\n"),
        "x/../.git",
        "help: that is .git/, which holds the site's version history",
    );
}

#[test]
fn output_that_is_the_site_or_holds_it_is_refused() {
    refused(
        "x/../.",
        "help: that folder contains the site itself (site.yaml, content/, ...)",
    );
    // The site's own folder, reached from outside through a folder that does not exist.
    let t = site();
    let name = t
        .root()
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let before = (snapshot(t.root()), tree(t.root()));
    let out = t
        .args(&["build", "--output", &format!("x/../../{name}")])
        .run()
        .failure(1)
        .stderr_has(&["help: that folder contains the site itself"]);
    assert_eq!(before, (snapshot(out.test.root()), tree(out.test.root())));
    // Its parent.
    let out = out
        .then()
        .args(&["build", "--output", "x/../.."])
        .run()
        .failure(1);
    assert!(out.stderr.contains("that folder contains the site itself"));
}

#[test]
fn output_inside_content_is_refused() {
    refused("content/out", "help: that folder is inside content/");
}

#[test]
fn output_into_another_site_is_refused() {
    refused_in(
        site()
            .file("other/site.yaml", "title: Other\n")
            .file("other/content/about.md", "---\ntitle: About\n---\nx\n"),
        "other",
        "it holds another site or a repository (a site.yaml or .git inside)",
    );
}

#[test]
fn a_link_to_a_source_folder_is_judged_where_it_leads() {
    let t = site();
    #[cfg(unix)]
    std::os::unix::fs::symlink(t.path("content"), t.path("out")).expect("link");
    refused_in(t, "out/x", "that folder is inside content/");
}

#[test]
fn a_failed_build_leaves_no_new_folders() {
    let t = site().story("bad", "title: [", "x");
    let before = tree(t.root());
    let out = t
        .args(&["build", "--output", "deploy/www/site"])
        .run()
        .failure(1);
    // The photo cache is kept: the resized photos are the same after the fix, and the next
    // build need not make them again (docs/images.md).
    let after: Vec<_> = tree(out.test.root())
        .into_iter()
        .filter(|p| !p.starts_with(".rally-cache"))
        .collect();
    assert_eq!(before, after, "{}", out.stderr);
}

#[test]
fn a_new_output_folder_with_missing_parents_is_made() {
    let out = site()
        .args(&["build", "--output", "deploy/www/../site"])
        .run()
        .success();
    assert!(out.test.path("deploy/site/stories/a/index.html").is_file());
    // `www/..` cancels out: only the folders the output really lies in are made.
    assert!(!out.test.path("deploy/www").exists());
}

#[test]
fn published_files_share_nothing_writable_with_the_sources() {
    // Its own cache: the test changes a published file, which may be a link into it.
    let out = site().own_cache().run().success();
    let t = &out.test;
    for (published, source) in [
        (
            "public/stories/trip/photo.png",
            "content/stories/trip/photo.png",
        ),
        ("public/css/extra.css", "static/css/extra.css"),
    ] {
        let before = fs::read(t.path(source)).expect("source");
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let m = fs::symlink_metadata(t.path(published)).expect("published");
            assert!(m.file_type().is_file(), "{published} is not a plain file");
            let s = fs::metadata(t.path(source)).expect("source");
            assert_ne!(m.ino(), s.ino(), "{published} is a hard link to {source}");
            // A source is copied; a photo is published as rally's own copy of it, which
            // may be a link into the cache (see the end of this test).
            if source.starts_with("static/") {
                assert_eq!(m.nlink(), 1, "{published} is a hard link");
            }
        }
        let mut f = fs::OpenOptions::new()
            .append(true)
            .open(t.path(published))
            .expect("open published file");
        std::io::Write::write_all(&mut f, b"x").expect("append");
        assert_eq!(
            before,
            fs::read(t.path(source)).expect("source"),
            "{source} changed"
        );
    }
    // The photo's copy, changed in place through `public/`, is not published again: the
    // next build makes it anew.
    let tampered = fs::read(t.path("public/stories/trip/photo.png")).expect("published");
    let again = out.then().run().success();
    let fresh = fs::read(again.out_path("stories/trip/photo.png")).expect("published");
    assert_eq!(fresh.len() + 1, tampered.len(), "the copy is whole again");
    assert!(fresh.starts_with(b"\x89PNG"));
}

#[test]
fn only_web_files_under_content_are_published_and_check_lists_the_rest() {
    let t = site()
        .bytes("content/stories/notes.docx", b"PK\x03\x04 a Word document")
        .bytes("content/stories/~$draft.docx", b"lock")
        .file(
            "content/stories/a.md.bak",
            "---\ntitle: Old draft\n---\nprivate\n",
        )
        .file("content/stories/notes.txt", "private notes\n")
        .bytes("content/stories/trip/report.pdf", b"%PDF-1.4\n")
        .bytes("content/stories/trip/voice.MP3", b"ID3");
    let out = t.run().success();
    for private in [
        "stories/notes.docx",
        "stories/~$draft.docx",
        "stories/a.md.bak",
        "stories/notes.txt",
    ] {
        assert!(!out.out_path(private).exists(), "{private} was published");
    }
    let out = out
        .exists("stories/trip/report.pdf")
        .exists("stories/trip/voice.MP3");
    let out = out.then().args(&["check"]).run().success();
    let listed: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: not published"))
        .collect();
    assert_eq!(
        listed,
        [
            "warning: not published: content/stories/a.md.bak",
            "warning: not published: content/stories/notes.docx",
            "warning: not published: content/stories/notes.txt",
        ],
        "{}",
        out.stderr
    );
    out.stderr_has(&["= help: only web files in content/ are published (images, PDF, audio, video: see docs/content.md); this one stays private."]);
}

#[test]
fn rallyignore_leaves_out_files_and_folders() {
    site()
        .file(".rallyignore", "# private material\nworking/\n*.pdf\n")
        // Not even read: a broken story in an ignored folder does not fail the build.
        .file("content/stories/working/bad.md", "---\ntitle: [\n---\n")
        .bytes("content/stories/trip/report.pdf", b"%PDF-1.4\n")
        .run()
        .success()
        .missing("stories/trip/report.pdf")
        .missing("stories/working/bad/")
        .exists("stories/trip/photo.png")
        .then()
        .args(&["check"])
        .run()
        .success()
        .stderr_lacks("not published");
}

#[cfg(unix)]
#[test]
fn links_are_never_published_as_links_nor_followed_out_of_the_site() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("temp");
    fs::write(outside.path().join("secret.png"), "SECRET OUTSIDE").expect("write");
    let t = site()
        .file(".git/config", "[remote] token = SECRET GIT\n")
        .bytes("static/img/logo.png", PNG);
    symlink("../../.git/config", t.path("content/stories/x.txt")).expect("link");
    symlink("../../.git/config", t.path("content/stories/config.png")).expect("link");
    symlink(
        outside.path().join("secret.png"),
        t.path("content/stories/outside.png"),
    )
    .expect("link");
    symlink(outside.path(), t.path("content/linked")).expect("link");
    symlink(
        "../../static/img/logo.png",
        t.path("content/stories/logo.png"),
    )
    .expect("link");
    let out = t.run().success().stderr_has(&[
        "warning: skipped a link to something outside the site folder (or to a hidden file)",
    ]);
    for leaked in [
        "stories/x.txt",
        "stories/config.png",
        "stories/outside.png",
        "linked/secret.png",
    ] {
        assert!(!out.out_path(leaked).exists(), "{leaked} was published");
    }
    let logo = out.out_path("stories/logo.png");
    let m = fs::symlink_metadata(&logo).expect("logo published");
    assert!(
        m.file_type().is_file(),
        "a link inside the site is published as a copy"
    );
    // Read through the link and published as its resized copy (docs/images.md).
    let size = imagesize::blob_size(&fs::read(&logo).expect("read")).expect("a picture");
    assert_eq!((size.width, size.height), (1, 1));
    for (path, bytes) in snapshot(&out.test.path("public")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("SECRET"), "{path} holds a secret");
    }
}

#[test]
fn a_theme_outside_themes_is_refused_with_its_line() {
    let t = site();
    let cfg = t
        .read("site.yaml")
        .replace("theme: test", "theme: \"../../../../tmp/x\"");
    let out = t.file("site.yaml", &cfg).run().failure(1);
    assert!(
        out.stderr.starts_with(
            "error: `theme` must be the name of a folder in themes/, not \"../../../../tmp/x\"\n  ┌─ site.yaml:3:9\n"
        ),
        "{}",
        out.stderr
    );
    out.stderr_has(&["help: write only the folder's name (letters, digits, - and _)"])
        .missing("");
}

#[test]
fn a_large_story_builds_with_a_warning_and_a_giant_one_is_refused_unread() {
    let body = "Children belong in communities, not in detention.\n\n".repeat(110_000);
    assert!(body.len() > 5 << 20);
    let out = site()
        .story("long", "title: Long\ndate: 2020-01-01\nsummary: s", &body)
        .run()
        .success()
        .stderr_has(&[
            "warning: this file is 5.4 MB, more than the 5 MB a page should be",
            "content/stories/long.md",
            "help: split it into several stories or pages",
        ])
        .exists("stories/long/");
    // 101 MB, made without writing it (a sparse file): refused before it is read.
    let t = out.then();
    let f = fs::File::create(t.path("content/stories/giant.md")).expect("create");
    f.set_len(101 << 20).expect("size");
    let before = snapshot(&t.path("public"));
    let out = t.run().failure(1).stderr_has(&[
        "error: this file is 101 MB; rally reads text files of at most 100 MB",
        "content/stories/giant.md",
    ]);
    assert_eq!(before, snapshot(&out.test.path("public")));
}

#[test]
fn a_broken_rallyignore_line_is_a_warning_and_the_rest_still_applies() {
    site()
        .bytes(
            ".rallyignore",
            b"content/stories/a[.md\n\xff\xfe binary\n*.pdf\n",
        )
        .bytes("content/stories/trip/report.pdf", b"%PDF-1.4\n")
        .run()
        .success()
        .stderr_has(&[
            "warning: this line of .rallyignore was not understood: it is not UTF-8 text\n  ┌─ .rallyignore:2:1",
        ])
        .missing("stories/trip/report.pdf")
        .exists("stories/a/");
}
