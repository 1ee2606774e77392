//! `rally check` as a content linter: advice as warnings with locations, JSON for tools,
//! and the external link check against a local web server.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use crate::support::Test;

#[test]
fn advice_for_writers_with_locations() {
    Test::new()
        .story(
            "a",
            &format!("title: Same title\ndate: 2020-01-01\nsummary: \"{}\"", "Long. ".repeat(50)),
            "Intro with ![](photo.gif) and [click here](https://example.org) and [](https://example.org/x).\n\n#### Too deep\n\n# Second title\n",
        )
        .story("b", "title: same title\ndate: 2020-01-01\nsummary: s\ntags: [t]", "Text.\n")
        .bytes("content/stories/photo.gif", &[&b"GIF89a"[..], &vec![0u8; 600 * 1024]].concat())
        .args(&["check"])
        .run()
        .success()
        .stderr_has(&[
            "warning: this story has no tags",
            "content/stories/a.md:2:1",
            "warning: the summary is 300 characters long",
            "content/stories/a.md:4:",
            "warning: this image has no alt text",
            "content/stories/a.md:6:12",
            "warning: this image is 600 KB",
            "content/stories/a.md:6:12",
            "warning: the link text \"click here\" does not say where it goes",
            "warning: this link has no text",
            "warning: this heading skips from level 1 to level 4",
            "content/stories/a.md:8:1",
            "warning: a level-1 heading (#) in the text",
            "warning: another story has the same title",
            "content/stories/b.md:2:8",
            "checked 2 content files: 9 warnings (the site builds)",
        ]);
}

#[test]
fn json_for_tools() {
    let out = Test::new()
        .story(
            "a",
            "title: T\ndate: 2020-01-01\nsummary: s",
            "[here](https://example.org)\n",
        )
        .story("b", "title: U\ndate: 2020-01-01\nsumary: s", "")
        .args(&["check", "--format", "json"])
        .run()
        .failure(1);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(v["errors"], 1);
    let problems = v["problems"].as_array().expect("problems");
    let err = problems
        .iter()
        .find(|p| p["severity"] == "error")
        .expect("an error");
    assert_eq!(err["file"], "content/stories/b.md");
    assert_eq!(err["line"], 4);
    assert_eq!(err["column"], 1);
    assert!(err["help"].as_str().unwrap_or("").contains("summary"));
    assert!(
        problems.iter().any(|p| p["severity"] == "warning"
            && p["message"].as_str().unwrap_or("").contains("\"here\""))
    );
}

/// A web server on this machine that answers /ok with 200, /gone with 404, and counts requests.
fn local_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut first = String::new();
            let _ = reader.read_line(&mut first);
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
            }
            let status = if first.contains(" /ok ") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let mut s = stream;
            let _ = write!(
                s,
                "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
        }
    });
    (format!("http://{addr}"), hits)
}

#[test]
fn external_links_are_checked_and_good_ones_cached() {
    let (base, hits) = local_server();
    let cache = tempfile::tempdir().expect("cache");
    let t = Test::new()
        .story(
            "a",
            "title: T\ndate: 2020-01-01\nsummary: s\ntags: [t]",
            &format!(
                "[works]({base}/ok) and [gone]({base}/gone) and [nobody](http://127.0.0.1:9/x)\n"
            ),
        )
        .ready();
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_rally"))
            .args(["check", "--external", "--color=never", "--root"])
            .arg(t.root())
            .env("RALLY_CACHE_DIR", cache.path())
            .output()
            .expect("check")
    };
    let first = run();
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(
        first.status.success(),
        "a broken external link is a warning, not an error:\n{stderr}"
    );
    assert!(
        stderr.contains(&format!("the link to {base}/gone answers 404")),
        "{stderr}"
    );
    assert!(
        stderr.contains("could not reach http://127.0.0.1:9/x"),
        "{stderr}"
    );
    assert!(
        stderr.contains("this may be a passing network problem"),
        "{stderr}"
    );
    assert!(!stderr.contains(&format!("{base}/ok answers")), "{stderr}");
    let after_first = hits.load(std::sync::atomic::Ordering::SeqCst);
    // The good link is remembered for a day; the broken one is asked again.
    let second = run();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("(1 known good from the last day)"),
        "{stderr}"
    );
    assert_eq!(
        hits.load(std::sync::atomic::Ordering::SeqCst) - after_first,
        1,
        "only /gone is requested again"
    );
}

/// Scripts a writer may not have meant, and text that reads differently from what it is:
/// warned with their places, in every collection, while the site still builds. Before, the
/// partner's embed published a live `onerror` and `rally check` said "no problems found".
#[test]
fn scripts_and_reversed_titles_are_pointed_out() {
    let svg_script =
        "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<script>alert(1)</script>\n</svg>\n";
    let svg_handler =
        "<svg xmlns=\"http://www.w3.org/2000/svg\"\n     onload=\"alert(1)\"><rect/></svg>\n";
    Test::new()
        .partner(
            "p",
            "name: \"Partner \u{202e}gnp.exe\"\ntype: ngo\nregion: global\nlogo: p-logo.svg",
            "Text.\n\n{{< quote by=\"a\" >}}<img src=x onerror=alert(1)>{{< /quote >}}\n",
        )
        .bytes("content/partners/p-logo.svg", svg_handler.as_bytes())
        .story(
            "a",
            "title: \"Launch \u{202e}fdp.exe\"\ndate: 2020-01-01\nsummary: s\ntags: [t]",
            "See [the map](javascript:alert(1)) and [the list](<JavaScript:alert(1)>).\n\n\
             <div\n  onclick=\"track()\">Box</div>\n\n\
             > <a href=\"&#106;avascript:alert(2)\">quoted</a>\n\n\
             <script>alert(3)</script>\n\n\
             Code is text: `<script>x</script>` and `[a](javascript:x)`.\n\n\
             ```\n<img src=x onerror=alert(4)>\n```\n",
        )
        .bytes("content/stories/chart.svg", svg_script.as_bytes())
        .bytes("static/img/ok.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>")
        .file(
            "content/about.md",
            "---\ntitle: About\n---\n[Donate](JAVASCRIPT:pay())\n",
        )
        .args(&["check"])
        .run()
        .success()
        .stderr_has(&[
            "warning: this link runs a script (`javascript:`)",
            "content/about.md:4:1",
            "pages keep raw HTML as written",
            "warning: this SVG image can run scripts: an `onload` attribute",
            "content/partners/p-logo.svg:2:6",
            "warning: the name contains an invisible character that reverses the direction of the text (U+202E)",
            "content/partners/p.md:2:16",
            "warning: the HTML attribute `onerror` runs a script",
            "content/partners/p.md:9:32",
            "rally removes it from the published page",
            "warning: the title contains an invisible character that reverses the direction of the text (U+202E)",
            "content/stories/a.md:2:16",
            "warning: this link runs a script (`javascript:`)",
            "content/stories/a.md:7:5",
            "this collection keeps raw HTML as written",
            "warning: this link runs a script (`javascript:`)",
            "content/stories/a.md:7:40",
            "warning: the HTML attribute `onclick` runs a script",
            "content/stories/a.md:10:3",
            "warning: the `href` address runs a script (`javascript:`)",
            "content/stories/a.md:12:6",
            "warning: a <script> element in the text",
            "content/stories/a.md:14:1",
            "warning: this SVG image can run scripts: a <script> element",
            "content/stories/chart.svg:2:1",
            "checked 3 content files: 11 warnings (the site builds)",
        ])
        .stderr_lacks("static/img/ok.svg")
        .stderr_lacks("content/stories/a.md:16:")
        .stderr_lacks("content/stories/a.md:19:");
}
