//! Edit-to-reload latency of `rally serve`: `cargo bench --bench serve [-- SIZES...]`.
//!
//! Starts the real server on a copy of the bundled site and on generated sites (default
//! 10,000 stories), edits one story 50 times, and measures the time from writing the file to
//! receiving the reload event that names the story's page. Prints median and p95.

#[path = "sitegen.rs"]
mod sitegen;

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

const EDITS: usize = 50;

fn measure(label: &str, root: &Path, story: &str) {
    let (mut child, _url, rx) = sitegen::serve(root);
    let path = root.join("content/stories").join(format!("{story}.md"));
    let original = fs::read_to_string(&path).expect("story");
    let url_of_story = format!("\"/stories/{story}/\"");
    let mut samples = Vec::with_capacity(EDITS);
    for i in 0..EDITS {
        let text = original.replacen("title: \"", &format!("title: \"Edit {i} "), 1);
        std::thread::sleep(Duration::from_millis(60));
        while rx.try_recv().is_ok() {}
        let start = Instant::now();
        fs::write(&path, text).expect("write");
        loop {
            let (at, msg) = rx
                .recv_timeout(Duration::from_secs(30))
                .expect("reload event");
            if msg.contains(&url_of_story) {
                samples.push(at.duration_since(start));
                break;
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label:<22} edit→reload event over {EDITS} edits: median {:>6.1} ms  p95 {:>6.1} ms  min {:>6.1} ms  max {:>6.1} ms",
        ms(samples[EDITS / 2]),
        ms(samples[EDITS * 95 / 100]),
        ms(samples[0]),
        ms(samples[EDITS - 1])
    );
}

fn main() {
    let sizes = sitegen::sizes_from_args(&[10_000]);
    let scratch = tempfile::tempdir().expect("tmp");
    let bundled = scratch.path().join("bundled");
    sitegen::copy_bundled(&bundled);
    measure("bundled site", &bundled, "high-level-dialogue-2013");
    for n in sizes {
        let root = scratch.path().join(format!("site-{n}"));
        sitegen::generate(&root, n).expect("generate");
        measure(&format!("{n} stories"), &root, &format!("story-{}", n / 2));
    }
}
