//! `rally serve` end to end: a real server on an ephemeral port, real file edits, reload
//! events read from the server-sent event stream, pages fetched over HTTP.

mod support;

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use support::Test;

struct Server {
    child: Child,
    url: String,
    events: mpsc::Receiver<String>,
    agent: ureq::Agent,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

impl Server {
    fn start(t: &Test) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rally"))
            .args(["serve", "--port", "0", "--root"])
            .arg(t.root())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start rally serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read url");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .trim_end_matches('/')
            .to_string();
        // Listen to the event stream in the background.
        let (tx, events) = mpsc::channel();
        let stream_url = format!("{url}/__rally/events");
        std::thread::spawn(move || {
            let Ok(resp) = ureq::Agent::new_with_defaults().get(&stream_url).call() else {
                return;
            };
            let reader = BufReader::new(resp.into_body().into_reader());
            for line in reader.lines() {
                let Ok(line) = line else { return };
                if let Some(data) = line.strip_prefix("data: ")
                    && tx.send(data.to_string()).is_err()
                {
                    return;
                }
            }
        });
        let s = Server {
            child,
            url,
            events,
            agent: agent(),
        };
        s.wait_for("ready", |m| m == "{}");
        s
    }

    fn get(&self, path: &str) -> (u16, String) {
        let mut resp = self
            .agent
            .get(&format!("{}{path}", self.url))
            .call()
            .expect("GET");
        let status = resp.status().as_u16();
        let mut body = String::new();
        let _ = resp.body_mut().as_reader().read_to_string(&mut body);
        (status, body)
    }

    /// Waits for an event for which `pred` holds; fails after 10 seconds.
    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(m) if pred(&m) => return m,
                Ok(_) => continue,
                Err(_) => panic!("no event for {what} within 10 s"),
            }
        }
    }
}

fn site() -> Test {
    Test::new()
        .simple_story("first", "2020-01-01")
        .simple_story("second", "2020-02-01")
        .resolution(
            "res",
            "title: R\nbody: UN General Assembly\nadopted: 2016\nkind: resolution",
            "",
        )
        .ready()
}

#[test]
fn edits_creates_renames_and_deletes_reach_the_browser() {
    let t = site();
    let s = Server::start(&t);
    let (status, body) = s.get("/stories/first/");
    assert_eq!(status, 200);
    assert!(
        body.contains("Story first") && body.contains("/__rally/events"),
        "{body}"
    );

    // Edit: the story's page is reported and serves the new text.
    fs::write(
        t.path("content/stories/first.md"),
        "---\ntitle: \"First, edited\"\ndate: 2020-01-01\nsummary: s\n---\nNew words.\n",
    )
    .expect("edit");
    let m = s.wait_for("edit", |m| m.contains("\"/stories/first/\""));
    assert!(
        m.contains("\"/stories/second/\""),
        "its neighbour links to it by title: {m}"
    );
    assert!(
        !m.contains("\"/resolutions/res/\""),
        "unrelated pages are not reported: {m}"
    );
    assert!(s.get("/stories/first/").1.contains("First, edited"));

    // Create.
    fs::write(
        t.path("content/stories/third.md"),
        "---\ntitle: Third\ndate: 2020-03-01\nsummary: s\n---\n",
    )
    .expect("create");
    s.wait_for("create", |m| m.contains("\"/stories/third/\""));
    assert_eq!(s.get("/stories/third/").0, 200);

    // Rename, as editors that save through a temporary file do.
    fs::rename(
        t.path("content/stories/third.md"),
        t.path("content/stories/renamed.md"),
    )
    .expect("rename");
    s.wait_for("rename", |m| {
        m.contains("\"/stories/renamed/\"") && m.contains("\"/stories/third/\"")
    });
    assert_eq!(s.get("/stories/renamed/").0, 200);
    assert_eq!(s.get("/stories/third/").0, 404);

    // Delete.
    fs::remove_file(t.path("content/stories/renamed.md")).expect("delete");
    s.wait_for("delete", |m| m.contains("\"/stories/renamed/\""));
    let (status, body) = s.get("/stories/renamed/");
    assert_eq!(status, 404);
    assert!(body.contains("not found"), "the site's 404 page: {body}");
}

#[test]
fn template_and_css_changes() {
    let t = site().file("static/site.css", "body { color: black }");
    let s = Server::start(&t);
    fs::write(
        t.path("themes/test/templates/story.html"),
        "{% extends \"base.html\" %}{% block content %}NEW TEMPLATE {{ page.title }}{% endblock content %}",
    )
    .expect("template");
    let m = s.wait_for("template", |m| m.contains("\"/stories/first/\""));
    assert!(
        !m.contains("\"/resolutions/res/\""),
        "pages not using story.html stay: {m}"
    );
    assert!(
        s.get("/stories/first/")
            .1
            .contains("NEW TEMPLATE Story first")
    );

    fs::write(t.path("static/site.css"), "body { color: navy }").expect("css");
    let m = s.wait_for("css", |m| m.contains("site.css"));
    assert!(m.contains("\"css\":true"), "{m}");
    let mut resp = s
        .agent
        .get(&format!("{}/site.css", s.url))
        .call()
        .expect("css");
    assert_eq!(
        resp.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/css; charset=utf-8")
    );
    assert!(
        resp.body_mut()
            .read_to_string()
            .expect("body")
            .contains("navy")
    );
}

#[test]
fn errors_show_an_overlay_until_fixed() {
    let t = site();
    let s = Server::start(&t);
    let good = fs::read_to_string(t.path("content/stories/first.md")).expect("read");
    fs::write(
        t.path("content/stories/first.md"),
        good.replace("summary:", "sumary:"),
    )
    .expect("break");
    s.wait_for("error", |m| m.contains("\"error\":true"));
    for path in ["/stories/first/", "/", "/resolutions/res/", "/nowhere/"] {
        let body = s.get(path).1;
        assert!(
            body.contains("rally-error-overlay"),
            "{path} lacks the overlay"
        );
        assert!(
            body.contains("content/stories/first.md:4:1"),
            "{path}: {body}"
        );
        assert!(body.contains("unknown key `sumary`"));
    }
    // The last good page is still served under the overlay.
    assert!(s.get("/stories/first/").1.contains("Story first"));
    fs::write(t.path("content/stories/first.md"), &good).expect("fix");
    s.wait_for("fix", |m| m.contains("\"error\":true"));
    assert!(!s.get("/stories/first/").1.contains("rally-error-overlay"));
}

#[test]
fn only_get_and_head_and_nothing_outside_the_site() {
    let t = site();
    let outside = t.path("../secret-outside.txt");
    fs::write(&outside, "secret").expect("outside file");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, t.path("content/stories/leak.txt")).expect("symlink");
    let s = Server::start(&t);
    for method in ["POST", "PUT", "DELETE"] {
        let resp = s
            .agent
            .run(
                ureq::http::Request::builder()
                    .method(method)
                    .uri(format!("{}/", s.url))
                    .body(())
                    .expect("req"),
            )
            .expect(method);
        assert_eq!(resp.status().as_u16(), 405, "{method}");
    }
    let head = s
        .agent
        .head(&format!("{}/stories/first/", s.url))
        .call()
        .expect("HEAD");
    assert_eq!(head.status().as_u16(), 200);
    for bad in [
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc/passwd",
        "/stories/..%5c..%5csite.yaml",
        "/%2e%2e/site.yaml",
    ] {
        let (status, body) = s.get(bad);
        assert!(status == 400 || status == 404, "{bad}: {status}");
        assert!(!body.contains("title: Test site"), "{bad} leaked site.yaml");
    }
    let (status, body) = s.get("//etc/passwd");
    assert_eq!(status, 404);
    assert!(!body.contains("root:"));
    let (status, body) = s.get("/stories/leak.txt");
    assert_eq!(
        status, 404,
        "a symlink out of the site is not served: {body}"
    );
    assert_eq!(s.get("/stories").0, 301);
    let _ = fs::remove_file(outside);
}

/// A folder outside the site with one file holding a secret line.
fn outside(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("outside dir");
    let file = dir.path().join(name);
    fs::write(&file, text).expect("outside file");
    (dir, file)
}

const SECRET: &str = "SECRET-3f7a9c root:x:0:0";

/// Every page the server answers with, for checking that something never shows.
fn some_pages(s: &Server) -> Vec<(String, u16, String)> {
    [
        "/",
        "/stories/",
        "/stories/first/",
        "/stories/leak/",
        "/stories/ext/",
        "/nowhere/",
    ]
    .iter()
    .map(|p| {
        let (status, body) = s.get(p);
        (p.to_string(), status, body)
    })
    .collect()
}

/// Issue #16 §2: `content/stories/leak.md -> /etc/passwd` made while serve runs put the
/// file's first line in the error overlay (before: the overlay showed it; after: the link is
/// skipped with a warning, as `rally build` does).
#[cfg(unix)]
#[test]
fn a_link_made_during_serve_to_a_file_outside_is_never_read() {
    let t = site();
    let (_dir, secret) = outside("passwd", &format!("{SECRET}\nmore\n"));
    let s = Server::start(&t);
    std::os::unix::fs::symlink(&secret, t.path("content/stories/leak.md")).expect("symlink");
    // An edit after the link, to know the link has been handled.
    let first = t.read("content/stories/first.md");
    fs::write(
        t.path("content/stories/first.md"),
        first.replace("Text.", "Marker."),
    )
    .expect("marker edit");
    s.wait_for("the marker edit", |m| {
        m.contains("\"/stories/first/\"") || m.contains("\"error\":true")
    });
    for (path, status, body) in some_pages(&s) {
        assert!(
            !body.contains("SECRET-3f7a9c"),
            "{path} ({status}) shows the outside file:\n{body}"
        );
    }
    assert_eq!(s.get("/stories/leak/").0, 404);
    assert!(s.get("/stories/first/").1.contains("Marker."));
}

/// Issue #16 §2: a bundle image replaced during serve by a link to a file outside the site
/// was served (before: 200 with the outside bytes; after: 404).
#[cfg(unix)]
#[test]
fn a_bundle_image_replaced_by_a_link_outside_is_not_served() {
    let t = site()
        .file(
            "content/stories/trip/index.md",
            "---\ntitle: Trip\ndate: 2020-01-01\nsummary: s\n---\n![photo](photo.png)\n",
        )
        .file("content/stories/trip/photo.png", "PNG inside");
    let (_dir, secret) = outside("photo.png", SECRET);
    let s = Server::start(&t);
    let (status, body) = s.get("/stories/trip/photo.png");
    assert_eq!(status, 200);
    assert!(body.contains("PNG inside"));
    fs::remove_file(t.path("content/stories/trip/photo.png")).expect("rm");
    std::os::unix::fs::symlink(&secret, t.path("content/stories/trip/photo.png")).expect("symlink");
    // The link is skipped, so the story's picture is missing: an error, and the last good
    // site stays on show, with its list of files to copy.
    s.wait_for("the missing picture", |m| m.contains("\"error\":true"));
    let (status, body) = s.get("/stories/trip/photo.png");
    assert!(!body.contains("SECRET-3f7a9c"), "served the outside file");
    assert_eq!(status, 404, "{body}");
}

/// Issue #16 §2: a linked folder skipped at start was rendered after an edit inside it
/// (before: `/stories/ext/` appeared with the outside text; after: still 404).
#[cfg(unix)]
#[test]
fn a_linked_folder_outside_stays_out_after_an_edit_inside_it() {
    let t = site();
    let (dir, _) = outside(
        "index.md",
        "---\ntitle: Outside\ndate: 2020-01-05\nsummary: s\n---\nOutside.\n",
    );
    std::os::unix::fs::symlink(dir.path(), t.path("content/stories/ext")).expect("symlink");
    let s = Server::start(&t);
    assert_eq!(s.get("/stories/ext/").0, 404, "skipped at start");
    fs::write(
        t.path("content/stories/ext/index.md"),
        format!("---\ntitle: Outside\ndate: 2020-01-05\nsummary: s\n---\n{SECRET}\n"),
    )
    .expect("edit inside the linked folder");
    let first = t.read("content/stories/first.md");
    fs::write(
        t.path("content/stories/first.md"),
        first.replace("Text.", "Marker."),
    )
    .expect("marker edit");
    s.wait_for("the marker edit", |m| {
        m.contains("\"/stories/first/\"") || m.contains("\"error\":true")
    });
    for (path, status, body) in some_pages(&s) {
        assert!(
            !body.contains("SECRET-3f7a9c"),
            "{path} ({status}) shows the outside folder:\n{body}"
        );
    }
    assert_eq!(s.get("/stories/ext/").0, 404);
}
