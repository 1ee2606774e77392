//! Incremental rebuild in the serve engine: `cargo bench --bench rebuild [-- SIZES...]`.
//!
//! Loads a generated site (default 1,000 and 10,000 stories), builds it once, then edits one
//! story's title 30 times through the same memoized pipeline `rally serve` uses, and prints
//! the median and spread of the rebuild time and how many pages each rebuild rendered. No
//! file watching or HTTP here: `benches/serve.rs` measures the whole edit-to-browser path.
//! Set RALLY_PROFILE=1 to see stage timings.

#[path = "sitegen.rs"]
mod sitegen;

// The allocator of the rally binary (src/main.rs), so that timings are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::sync::Arc;
use std::time::{Duration, Instant};

use rally::link::BuildOptions;

const EDITS: usize = 30;

fn main() {
    let sizes = sitegen::sizes_from_args(&[1_000, 10_000]);
    let scratch = tempfile::tempdir().expect("tmp");
    for n in sizes {
        let root = scratch.path().join(format!("site-{n}"));
        sitegen::generate(&root, n).expect("generate");
        let (sources, diags) = rally::load::load(&root);
        let mut sources = sources.unwrap_or_else(|| panic!("{}", diags.render_plain()));
        let options = BuildOptions::default();
        let mut memo = rally::Memo::default();
        let start = Instant::now();
        let (out, diags) = rally::build_with(&sources, &options, &mut memo);
        assert!(out.is_some(), "{}", diags.render_plain());
        let full = start.elapsed();
        let path = format!("content/stories/story-{}.md", n / 2);
        let original = sources.content_text(&path).expect("story").to_string();
        let mut times: Vec<Duration> = Vec::with_capacity(EDITS);
        let mut pages = 0;
        for i in 0..EDITS {
            sources.put_content(
                &path,
                Arc::from(original.replacen("title: \"", &format!("title: \"Edit {i} "), 1)),
            );
            let t = Instant::now();
            let (out, diags) = rally::build_with(&sources, &options, &mut memo);
            times.push(t.elapsed());
            assert!(out.is_some(), "{}", diags.render_plain());
            pages = memo.render.last_rendered().len();
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{n:>6} stories: first build {:>7.0} ms; one-story edit: median {:>6.1} ms  p95 {:>6.1} ms  min {:>6.1} ms ({pages} pages re-rendered, 1 body)",
            ms(full),
            ms(times[EDITS / 2]),
            ms(times[EDITS * 95 / 100]),
            ms(times[0]),
        );
    }
}
