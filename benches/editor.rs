//! Latency of `rally serve`'s editor: `cargo bench --bench editor [-- SIZES...]`.
//!
//! Starts the real server on a copy of the bundled site and on generated sites (default
//! 10,000 stories) and, for one story, measures over 50 rounds:
//! - keystroke → preview: a check of a draft with a changed title, from sending it to having
//!   the draft's page with the new title (what the editor puts in its preview frame);
//! - save → reload: a save of a new title, from sending it to the live-reload event that
//!   names the story's page (what makes the open page reload).
//!
//! The first check starts the preview's own engine (a full build); it is printed apart.

#[path = "sitegen.rs"]
mod sitegen;

use std::fs;
use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

const ROUNDS: usize = 50;

fn post(
    agent: &ureq::Agent,
    url: &str,
    token: &str,
    body: &serde_json::Value,
) -> serde_json::Value {
    // `http://host:port`: the scheme, the two slashes and the authority.
    let origin: String = url.split('/').take(3).collect::<Vec<_>>().join("/");
    let mut resp = agent
        .post(url)
        .header("X-Rally-Editor", token)
        .header("Origin", &origin)
        .header("Content-Type", "application/json")
        .send(body.to_string())
        .expect("POST");
    let mut text = String::new();
    resp.body_mut()
        .as_reader()
        .read_to_string(&mut text)
        .expect("body");
    serde_json::from_str(&text).unwrap_or_else(|_| serde_json::json!({ "unreadable": text }))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(label: &str, what: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let n = samples.len();
    println!(
        "{label:<16} {what:<22} median {:>6.1} ms  p95 {:>6.1} ms  min {:>6.1} ms  max {:>6.1} ms",
        ms(samples[n / 2]),
        ms(samples[n * 95 / 100]),
        ms(samples[0]),
        ms(samples[n - 1])
    );
}

fn measure(label: &str, root: &Path, rel: &str, page: &str) {
    let (mut child, url, rx) = sitegen::serve(root);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut editor = String::new();
    agent
        .get(&format!("{url}__rally/edit/"))
        .call()
        .expect("editor")
        .body_mut()
        .as_reader()
        .read_to_string(&mut editor)
        .expect("editor page");
    let at = editor.find("rally-token\" content=\"").expect("token") + 22;
    let token = editor[at..at + 32].to_string();
    let check_url = format!("{url}__rally/edit/api/check");
    let save_url = format!("{url}__rally/edit/api/save");

    // Keystroke → preview.
    let check = |i: usize| {
        let title = format!("Draft title {i}");
        let start = Instant::now();
        let r = post(
            &agent,
            &check_url,
            &token,
            &serde_json::json!({"path": rel, "changes": [{"op": "set", "key": "title", "value": title}]}),
        );
        let html = r["html"].as_str().unwrap_or("");
        assert!(html.contains(&title), "the preview has the draft: {r}");
        start.elapsed()
    };
    let first = check(0);
    println!(
        "{label:<16} first check (starts the preview engine): {:.0} ms",
        ms(first)
    );
    let previews: Vec<Duration> = (1..=ROUNDS).map(check).collect();
    report(label, "keystroke → preview", previews);

    // Save → reload event.
    let path = root.join(rel);
    let mut reloads = Vec::with_capacity(ROUNDS);
    let quoted = format!("\"{page}\"");
    for i in 0..ROUNDS {
        let base = rally::edit::version(&fs::read_to_string(&path).expect("story"));
        std::thread::sleep(Duration::from_millis(60));
        while rx.try_recv().is_ok() {}
        let start = Instant::now();
        let r = post(
            &agent,
            &save_url,
            &token,
            &serde_json::json!({"path": rel, "base": base, "changes": [{"op": "set", "key": "title", "value": format!("Saved title {i}")}]}),
        );
        assert!(r["version"].is_string(), "saved: {r}");
        loop {
            let (at, msg) = rx
                .recv_timeout(Duration::from_secs(30))
                .expect("reload event");
            if msg.contains(&quoted) {
                reloads.push(at.duration_since(start));
                break;
            }
        }
    }
    report(label, "save → reload event", reloads);
    let _ = child.kill();
    let _ = child.wait();
}

fn main() {
    let sizes = sitegen::sizes_from_args(&[10_000]);
    let scratch = tempfile::tempdir().expect("tmp");
    let bundled = scratch.path().join("bundled");
    sitegen::copy_bundled(&bundled);
    measure(
        "bundled site",
        &bundled,
        "content/stories/high-level-dialogue-2013/index.md",
        "/stories/high-level-dialogue-2013/",
    );
    for n in sizes {
        let root = scratch.path().join(format!("site-{n}"));
        sitegen::generate(&root, n).expect("generate");
        let id = format!("story-{}", n / 2);
        measure(
            &format!("{n} stories"),
            &root,
            &format!("content/stories/{id}.md"),
            &format!("/stories/{id}/"),
        );
    }
}
