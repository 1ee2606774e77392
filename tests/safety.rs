//! A build never destroys sources and never publishes what was not meant to be published:
//! output folders that would replace sources are refused before anything is touched, the
//! output shares nothing writable with the sources, and only web files under `content/` that
//! lie inside the site are published.

mod support;

use std::fs;
use std::path::Path;

use support::{Test, snapshot};

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
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0,
    1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0x0d, 0x49, 0x44, 0x41, 0x54,
    0x78, 0x9c, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0d, 0x0a, 0x2d, 0xb4, 0, 0, 0, 0, 0x49, 0x45, 0x4e,
    0x44, 0xae, 0x42, 0x60, 0x82,
];

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
    let t = site();
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
    let t = site().file(".git/config", "[core]\n");
    let before = snapshot(t.root());
    let out = t
        .args(&["build", "--output", "x/../.git"])
        .run()
        .failure(1)
        .stderr_has(&["help: that is .git/, which holds the site's version history"]);
    assert_eq!(before, snapshot(out.test.root()));
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
    let t = site()
        .file("other/site.yaml", "title: Other\n")
        .file("other/content/about.md", "---\ntitle: About\n---\nx\n");
    let before = snapshot(t.root());
    let out = t
        .args(&["build", "--output", "other"])
        .run()
        .failure(1)
        .stderr_has(&["it holds another site or a repository (a site.yaml or .git inside)"]);
    assert_eq!(before, snapshot(out.test.root()));
}

#[test]
fn a_link_to_a_source_folder_is_judged_where_it_leads() {
    let t = site();
    #[cfg(unix)]
    std::os::unix::fs::symlink(t.path("content"), t.path("out")).expect("link");
    let before = snapshot(t.root());
    let out = t
        .args(&["build", "--output", "out/x"])
        .run()
        .failure(1)
        .stderr_has(&["that folder is inside content/"]);
    assert_eq!(before, snapshot(out.test.root()));
}

#[test]
fn a_failed_build_leaves_no_new_folders() {
    let t = site().story("bad", "title: [", "x");
    let before = tree(t.root());
    let out = t
        .args(&["build", "--output", "deploy/www/site"])
        .run()
        .failure(1);
    assert_eq!(before, tree(out.test.root()), "{}", out.stderr);
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
    let out = site().run().success();
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
            assert_eq!(m.nlink(), 1, "{published} is a hard link");
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
}
