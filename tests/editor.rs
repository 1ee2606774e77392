//! The content editor of `rally serve` over HTTP: saves that touch one field, the page that
//! follows, and every way a write from elsewhere is refused.

use std::fs;
use std::time::Duration;

use crate::support::Test;
use crate::support::server::Server;

const STORY: &str = "---\ntitle: \"First story\"  # the headline\ndate: 2020-01-01\nsummary: \"A summary.\"\ntags: [courts]\n---\n\nThe body stays as it is.\n";

fn site() -> Test {
    Test::new()
        .file("content/stories/first.md", STORY)
        .file("content/about.md", "---\ntitle: About\n---\n\nAbout us.\n")
        .ready()
}

/// The editor's token, read from its page as the editor's script does.
fn token(s: &Server) -> String {
    let (status, page) = s.get("/__rally/edit/");
    assert_eq!(status, 200);
    let at = page
        .find("name=\"rally-token\" content=\"")
        .expect("token meta")
        + 28;
    page[at..at + 32].to_string()
}

/// A raw request with a JSON body.
fn post(s: &Server, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    let mut req = format!(
        "POST {path} HTTP/1.1\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if !headers.iter().any(|(k, _)| *k == "Host") {
        req.push_str(&format!("Host: {}\r\n", s.addr()));
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.raw(&req)
}

fn get_api(s: &Server, path: &str, token: &str) -> (u16, String) {
    s.raw(&format!(
        "GET /__rally/edit/api/{path} HTTP/1.1\r\nHost: {}\r\nX-Rally-Editor: {token}\r\nConnection: close\r\n\r\n",
        s.addr()
    ))
}

/// The JSON body of a raw HTTP answer.
fn body_json(raw: &str) -> serde_json::Value {
    let at = raw.find("\r\n\r\n").expect("an HTTP answer") + 4;
    serde_json::from_str(&raw[at..]).expect("JSON")
}

fn version_of(s: &Server, token: &str, path: &str) -> String {
    let (status, text) = get_api(s, &format!("file?path={path}"), token);
    assert_eq!(status, 200, "{text}");
    body_json(&text)["version"].as_str().unwrap().to_string()
}

fn save_title(s: &Server, token: &str, origin: &str, base: &str, title: &str) -> (u16, String) {
    let body = serde_json::json!({
        "path": "content/stories/first.md",
        "base": base,
        "changes": [{"op": "set", "key": "title", "value": title}],
    })
    .to_string();
    post(
        s,
        "/__rally/edit/api/save",
        &[
            ("X-Rally-Editor", token),
            ("Origin", origin),
            ("Content-Type", "application/json"),
        ],
        &body,
    )
}

#[test]
fn a_save_changes_one_line_and_the_page_follows() {
    let t = site();
    let s = Server::start(&t);
    assert!(
        s.more_lines(Duration::from_millis(300))
            .iter()
            .chain([&s.first_line])
            .any(|l| l.contains("/__rally/edit/")),
        "the terminal shows the editor's address"
    );
    let (_, page) = s.get("/stories/first/");
    assert!(
        page.contains("id=\"rally-edit-link\" href=\"/__rally/edit/?path=content%2Fstories%2Ffirst%2Emd&amp;page=%2Fstories%2Ffirst%2F\""),
        "{page}"
    );
    let (_, list) = s.get("/stories/");
    assert!(
        !list.contains("rally-edit-link"),
        "a list page has no file to edit"
    );

    let tok = token(&s);
    let base = version_of(&s, &tok, "content/stories/first.md");
    let origin = s.url.clone();
    let (status, text) = save_title(&s, &tok, &origin, &base, "A better headline");
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        t.read("content/stories/first.md"),
        STORY.replace("\"First story\"", "\"A better headline\""),
        "only the value changed: the quotes, the comment and the body are kept"
    );
    s.wait_for("the page's reload", |m| m.contains("/stories/first/"));
    let (_, page) = s.get("/stories/first/");
    assert!(page.contains("A better headline"), "{page}");
}

#[test]
fn a_file_changed_on_disk_since_it_was_opened_is_not_overwritten() {
    let t = site();
    let s = Server::start(&t);
    let tok = token(&s);
    let base = version_of(&s, &tok, "content/stories/first.md");
    let elsewhere = STORY.replace("First story", "Changed in another editor");
    fs::write(t.path("content/stories/first.md"), &elsewhere).unwrap();
    let (status, text) = save_title(&s, &tok, &s.url.clone(), &base, "Mine");
    assert_eq!(status, 409, "{text}");
    assert!(
        text.contains("Changed in another editor"),
        "both versions go back: {text}"
    );
    assert_eq!(t.read("content/stories/first.md"), elsewhere);
}

#[test]
fn writes_from_elsewhere_are_refused() {
    let t = site();
    let s = Server::start(&t);
    let tok = token(&s);
    let base = version_of(&s, &tok, "content/stories/first.md");
    let url = s.url.clone();
    let body = serde_json::json!({
        "path": "content/stories/first.md", "base": base,
        "changes": [{"op": "set", "key": "title", "value": "Hacked"}],
    })
    .to_string();
    let json = ("Content-Type", "application/json");
    for (why, headers, status) in [
        ("no token", vec![("Origin", url.as_str()), json], 403),
        (
            "a wrong token",
            vec![
                ("X-Rally-Editor", "0123456789abcdef0123456789abcdef"),
                ("Origin", &url),
                json,
            ],
            403,
        ),
        (
            "another site's page",
            vec![
                ("X-Rally-Editor", &tok),
                ("Origin", "http://evil.example"),
                json,
            ],
            403,
        ),
        ("no Origin", vec![("X-Rally-Editor", &tok), json], 403),
        (
            "a cross-site fetch",
            vec![
                ("X-Rally-Editor", &tok),
                ("Origin", &url),
                ("Sec-Fetch-Site", "cross-site"),
                json,
            ],
            403,
        ),
        (
            "a form's body",
            vec![
                ("X-Rally-Editor", &tok),
                ("Origin", &url),
                ("Content-Type", "text/plain"),
            ],
            415,
        ),
        (
            "DNS rebinding (another Host)",
            vec![
                ("Host", "evil.example"),
                ("X-Rally-Editor", &tok),
                ("Origin", "http://evil.example"),
                json,
            ],
            403,
        ),
    ] {
        let (got, text) = post(&s, "/__rally/edit/api/save", &headers, &body);
        assert_eq!(got, status, "{why}: {text}");
    }
    // Reading needs the token too.
    let (status, _) = get_api(&s, "file?path=content/stories/first.md", "wrong");
    assert_eq!(status, 403);
    assert_eq!(
        t.read("content/stories/first.md"),
        STORY,
        "nothing was written"
    );
}

#[test]
fn paths_outside_content_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: secret\n---\n",
    )
    .unwrap();
    let t = site();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        t.path("content/linked.md"),
    )
    .unwrap();
    let s = Server::start(&t);
    let tok = token(&s);
    for path in [
        "site.yaml",
        "content/../site.yaml",
        "content%2F..%2Fsite.yaml",
        "/etc/passwd",
        "content/linked.md",
        "content/stories/first.html",
    ] {
        let (status, text) = get_api(&s, &format!("file?path={path}"), &tok);
        assert_eq!(status, 403, "{path}: {text}");
        assert!(!text.contains("secret"), "{path}");
        let body = serde_json::json!({"path": path.replace("%2F", "/"), "text": "x"}).to_string();
        let (status, _) = post(
            &s,
            "/__rally/edit/api/save",
            &[
                ("X-Rally-Editor", &tok),
                ("Origin", &s.url.clone()),
                ("Content-Type", "application/json"),
            ],
            &body,
        );
        assert_eq!(status, 403, "{path}");
    }
    assert_eq!(
        fs::read_to_string(outside.path().join("secret.md")).unwrap(),
        "---\ntitle: secret\n---\n"
    );
}

#[test]
fn the_built_site_has_no_editor() {
    let out = Test::bundled().run().success();
    for (path, bytes) in crate::support::snapshot(&out.out_path("")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("__rally"), "{path} mentions the editor");
        assert!(!text.contains("rally-edit-link"), "{path}");
    }
}

fn post_json(s: &Server, path: &str, token: &str, body: serde_json::Value) -> (u16, String) {
    let origin = s.url.clone();
    post(
        s,
        path,
        &[
            ("X-Rally-Editor", token),
            ("Origin", &origin),
            ("Content-Type", "application/json"),
        ],
        &body.to_string(),
    )
}

#[test]
fn entries_and_translations_are_made_as_rally_new_makes_them() {
    let t = Test::new()
        .file(
            "site.yaml",
            "title: T\nbase_url: https://example.org/\ntheme: test\nlanguages:\n  - code: en\n    name: English\n  - code: es\n    name: Español\n",
        )
        .file("content/stories/first.md", STORY)
        .ready();
    let s = Server::start(&t);
    let tok = token(&s);
    let (status, text) = post_json(
        &s,
        "/__rally/edit/api/new",
        &tok,
        serde_json::json!({"collection": "stories", "title": "Court ruling in Geneva"}),
    );
    assert_eq!(status, 200, "{text}");
    assert!(
        text.contains("content/stories/court-ruling-in-geneva.md"),
        "{text}"
    );
    let made = t.read("content/stories/court-ruling-in-geneva.md");
    assert!(made.contains("title: \"Court ruling in Geneva\""), "{made}");
    assert!(
        made.contains("draft: true"),
        "a new story starts as a draft: {made}"
    );
    // The same title again: refused, nothing overwritten.
    let (status, text) = post_json(
        &s,
        "/__rally/edit/api/new",
        &tok,
        serde_json::json!({"collection": "stories", "title": "Court ruling in Geneva"}),
    );
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("already exists"), "{text}");
    assert_eq!(t.read("content/stories/court-ruling-in-geneva.md"), made);

    // A translation, opened beside its original.
    let (status, text) = post_json(
        &s,
        "/__rally/edit/api/new",
        &tok,
        serde_json::json!({"translate": "content/stories/first.md", "lang": "es"}),
    );
    assert_eq!(status, 200, "{text}");
    assert!(t.path("content/stories/first.es.md").is_file());
    let (status, text) = get_api(&s, "file?path=content/stories/first.es.md", &tok);
    assert_eq!(status, 200, "{text}");
    let json = body_json(&text);
    assert_eq!(json["original"]["path"], "content/stories/first.md");
    assert_eq!(json["original"]["lang"], "es");
    assert_eq!(json["original"]["stale"], false, "just made: up to date");
    // The original changes: the translation is marked stale.
    fs::write(
        t.path("content/stories/first.md"),
        STORY.replace("The body stays", "The body changed"),
    )
    .unwrap();
    let (_, text) = get_api(&s, "file?path=content/stories/first.es.md", &tok);
    let json = body_json(&text);
    assert_eq!(json["original"]["stale"], true, "{json}");
    // Only into declared languages, and never from outside content/.
    for body in [
        serde_json::json!({"translate": "content/stories/first.md", "lang": "de"}),
        serde_json::json!({"translate": "content/../site.yaml", "lang": "es"}),
        serde_json::json!({"collection": "drafts", "title": "x"}),
    ] {
        let (status, text) = post_json(&s, "/__rally/edit/api/new", &tok, body.clone());
        assert_ne!(status, 200, "{body}: {text}");
    }
    // A title is only text: its file name is made of its letters, inside the collection.
    let (status, text) = post_json(
        &s,
        "/__rally/edit/api/new",
        &tok,
        serde_json::json!({"collection": "stories", "title": "../../x"}),
    );
    assert_eq!(status, 200, "{text}");
    assert!(t.path("content/stories/x.md").is_file());
    assert!(!t.path("x.md").exists() && !t.path("content/x.md").exists());
}

#[test]
fn a_spreadsheet_of_partners_is_edited_row_by_row() {
    let sheet = "id,name,type,region,roles\nidc,International Detention Coalition,network,global,campaign-coordinator\nunicef,UNICEF,un-agency,global,\n";
    let t = Test::new().file("content/partners.csv", sheet).ready();
    let s = Server::start(&t);
    let tok = token(&s);
    let (status, text) = get_api(&s, "file?path=content/partners.csv", &tok);
    assert_eq!(status, 200, "{text}");
    let json = body_json(&text);
    assert_eq!(
        json["columns"],
        serde_json::json!(["id", "name", "type", "region", "roles"])
    );
    assert_eq!(json["rows"][1]["values"]["name"], "UNICEF");
    let base = json["version"].as_str().unwrap().to_string();
    let (status, text) = post_json(
        &s,
        "/__rally/edit/api/save",
        &tok,
        serde_json::json!({
            "path": "content/partners.csv",
            "base": base,
            "changes": [{"op": "rows", "rows": [
                {"op": "set", "row": 1, "key": "name", "value": "UNICEF, the UN children's agency"}
            ]}],
        }),
    );
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        t.read("content/partners.csv"),
        sheet.replace(
            "unicef,UNICEF,",
            "unicef,\"UNICEF, the UN children's agency\","
        ),
        "only that row's line, quoted as a spreadsheet would"
    );
}

/// A POST of raw bytes, as the editor sends a picture.
fn upload(s: &Server, query: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, String) {
    let mut req = format!(
        "POST /__rally/edit/api/upload?{query} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        s.addr(),
        body.len()
    )
    .into_bytes();
    for (k, v) in headers {
        req.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
    }
    req.extend_from_slice(b"\r\n");
    req.extend_from_slice(body);
    s.raw_bytes(&req)
}

#[test]
fn pictures_are_checked_by_their_bytes_and_land_beside_their_entry() {
    const PNG: &[u8] = &[
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0,
        0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0,
    ];
    let t = site();
    let s = Server::start(&t);
    let tok = token(&s);
    let origin = s.url.clone();
    let ok = [
        ("X-Rally-Editor", tok.as_str()),
        ("Origin", origin.as_str()),
        ("Content-Type", "image/png"),
    ];
    // Not a picture, whatever its name says.
    let (status, text) = upload(
        &s,
        "path=content/stories/first.md&name=photo.png",
        &ok,
        b"<html><script>alert(1)</script></html>",
    );
    assert_eq!(status, 415, "{text}");
    // From elsewhere, or sent as a form would: refused.
    for headers in [
        vec![("Origin", origin.as_str()), ("Content-Type", "image/png")],
        vec![
            ("X-Rally-Editor", tok.as_str()),
            ("Content-Type", "image/png"),
        ],
        vec![
            ("X-Rally-Editor", tok.as_str()),
            ("Origin", origin.as_str()),
            ("Content-Type", "multipart/form-data; boundary=x"),
        ],
    ] {
        let (status, _) = upload(
            &s,
            "path=content/stories/first.md&name=p.png",
            &headers,
            PNG,
        );
        assert!(status == 403 || status == 415, "{headers:?}: {status}");
    }
    assert!(
        t.path("content/stories/first.md").is_file(),
        "nothing moved yet"
    );
    // A picture: the story becomes a folder, the picture beside it under a clean name.
    let (status, text) = upload(
        &s,
        "path=content/stories/first.md&name=..%2F..%2FMy%20Photo.PNG",
        &ok,
        PNG,
    );
    assert_eq!(status, 200, "{text}");
    let json = body_json(&text);
    assert_eq!(json["path"], "content/stories/first/index.md");
    assert_eq!(json["name"], "my-photo.png");
    assert!(t.path("content/stories/first/my-photo.png").is_file());
    assert_eq!(t.read("content/stories/first/index.md"), STORY);
    assert!(!t.path("my-photo.png").exists() && !t.path("content/my-photo.png").exists());
}
