//! Search index benchmark: `cargo bench --bench search [-- OPTIONS]`.
//!
//! The generated N-story site (`--stories N`, default 10,000) built in-process, as the build
//! benchmark does, with the search index (`SearchMode::Make`) and without it (`Off`); share
//! cards are off throughout. The index is cached in `/dev/shm/rally-bench-cache/search-N/`
//! (on the output's disk, so that published files are links, not copies).
//!
//! - `--cold`: the first build with an empty search cache, and the same build without search
//!   (the index's own cost is the difference); the size of the published `pagefind/` folder,
//!   the language's index files apart from Pagefind's fixed files.
//! - `--warm`: builds without search and with it (cache filled), alternated, `--runs N` each
//!   (default 5): medians and the ratio (target: within 10 %).
//! - `--cli`: Pagefind's own command-line tool from npm (`pagefind@1.6.0`, installed once
//!   into `target/bench-pagefind/`) over a build without search: its time (best of 2) and
//!   the size of what it writes. It indexes whole rendered pages; rally indexes one document
//!   per entry of its own. Skipped without npm.
//! - `--query`: the site built with search, `/search/` opened in headless Chromium at
//!   390 px, "detention" typed: the bytes downloaded for a first query (the page and its
//!   CSS/JS/fonts; Pagefind's files) and the time from the keypress to the first result
//!   (`benches/search-query.mjs`; needs `tests/browser`'s packages: `npm ci` there).
//!
//! With no option but `--stories` and `--runs`: all four. Results: docs/performance.md,
//! "Search".

#[path = "sitegen.rs"]
#[allow(dead_code)]
mod sitegen;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rally::link::BuildOptions;
use rally::search::SearchMode;

/// The version of Pagefind rally links (Cargo.lock), installed from npm for the comparison.
const PAGEFIND_NPM: &str = "pagefind@1.6.0";

/// A word of the generated stories' text.
const QUERY: &str = "detention";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn scratch() -> PathBuf {
    sitegen::scratch_base().join(format!("rally-bench-search-{}", std::process::id()))
}

/// The site cache of the N-story site, on the output's disk, as a site's own `.rally-cache/`
/// is; the index is in its `search/` folder.
fn search_cache(n: usize) -> PathBuf {
    sitegen::scratch_base().join(format!("rally-bench-cache/search-{n}"))
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

/// `12,345,678`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn mib(b: u64) -> String {
    format!("{:.2} MiB", b as f64 / (1024.0 * 1024.0))
}

/// One in-process build of `root` into `out`, as `rally build` does it, without share cards.
fn build_once(root: &Path, out: &Path, search: SearchMode) -> Duration {
    let start = Instant::now();
    let (sources, diags) = rally::load::load(root);
    let mut sources = sources.unwrap_or_else(|| panic!("load failed:\n{}", diags.render_plain()));
    rally::images::prepare(&mut sources, rally::images::Mode::Make);
    let staging = rally::output::Staging::begin(out, root).expect("staging");
    let mut memo = rally::Memo::one_shot();
    let options = BuildOptions {
        cards: Default::default(),
        search,
        ..Default::default()
    };
    let (output, diags) = rally::build_streaming(sources, &options, &mut memo, &staging);
    let output = output.unwrap_or_else(|| panic!("build failed:\n{}", diags.render_plain()));
    staging.finish(&output).expect("write");
    // `rally build` exits here without freeing; freeing is not part of its time.
    let took = start.elapsed();
    drop(output);
    drop(memo);
    took
}

/// Every file under `dir`: its path relative to `dir` (`/` separators) and its size.
fn files(dir: &Path) -> Vec<(String, u64)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("prefix");
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, e.metadata().map_or(0, |m| m.len()))
        })
        .collect()
}

/// What a Pagefind bundle's file is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Fragment,
    IndexChunk,
    Filter,
    Meta,
    /// pagefind.js, pagefind-worker.js, wasm.*.pagefind: the same for every site.
    Fixed,
    Other,
}

fn part(name: &str) -> Part {
    if name.starts_with("fragment/") {
        Part::Fragment
    } else if name.starts_with("index/") {
        Part::IndexChunk
    } else if name.starts_with("filter/") {
        Part::Filter
    } else if name.ends_with(".pf_meta") {
        Part::Meta
    } else if name == "pagefind.js" || name == "pagefind-worker.js" || name.starts_with("wasm.") {
        Part::Fixed
    } else {
        Part::Other
    }
}

/// Prints a bundle's size: in all, the language's index files by kind, the fixed files, the
/// others by name.
fn describe(label: &str, dir: &Path) {
    let all = files(dir);
    let total: u64 = all.iter().map(|f| f.1).sum();
    println!(
        "{label}: {} bytes ({}) in {} files",
        thousands(total),
        mib(total),
        thousands(all.len() as u64)
    );
    let sum = |which: &[Part]| -> (u64, usize) {
        all.iter()
            .filter(|(n, _)| which.contains(&part(n)))
            .fold((0, 0), |(b, c), (_, s)| (b + s, c + 1))
    };
    let index = [Part::Fragment, Part::IndexChunk, Part::Filter, Part::Meta];
    let (ib, ic) = sum(&index);
    let kinds: Vec<String> = [
        (Part::Fragment, "fragments"),
        (Part::IndexChunk, "index chunks"),
        (Part::Filter, "filters"),
        (Part::Meta, "pf_meta"),
    ]
    .iter()
    .filter_map(|(p, name)| {
        let (b, c) = sum(&[*p]);
        (c > 0).then(|| format!("{name} {} in {c}", thousands(b)))
    })
    .collect();
    println!(
        "  index of the language: {} bytes ({}) in {} files: {}",
        thousands(ib),
        mib(ib),
        thousands(ic as u64),
        kinds.join(", ")
    );
    let mut fixed: Vec<&(String, u64)> = all.iter().filter(|f| part(&f.0) == Part::Fixed).collect();
    fixed.sort();
    let (fb, _) = sum(&[Part::Fixed]);
    println!(
        "  fixed files: {} bytes ({}): {}",
        thousands(fb),
        mib(fb),
        fixed
            .iter()
            .map(|(n, b)| format!("{n} {}", thousands(*b)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut other: Vec<&(String, u64)> = all.iter().filter(|f| part(&f.0) == Part::Other).collect();
    other.sort();
    if !other.is_empty() {
        let (ob, _) = sum(&[Part::Other]);
        println!(
            "  other files: {} bytes: {}",
            thousands(ob),
            other
                .iter()
                .map(|(n, b)| format!("{n} {}", thousands(*b)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}

/// The generated site, its output folder and its cache.
struct Bench {
    n: usize,
    root: PathBuf,
    out: PathBuf,
    cache: PathBuf,
    runs: usize,
}

impl Bench {
    fn build(&self, search: SearchMode) -> Duration {
        build_once(&self.root, &self.out, search)
    }

    fn cold(&self) {
        // The site's pages in the page cache, the process's allocator warmed up.
        self.build(SearchMode::Off);
        let off = self.build(SearchMode::Off);
        let _ = std::fs::remove_dir_all(self.cache.join("search"));
        let cold = self.build(SearchMode::Make);
        println!(
            "cold: first build with search, empty search cache: {}; the same build without search: {}; the index's own cost: {}",
            secs(cold),
            secs(off),
            secs(cold.saturating_sub(off))
        );
        let published = self.out.join("pagefind");
        if published.is_dir() {
            describe("published pagefind/", &published);
        } else {
            println!("cold: no pagefind/ folder was published: does the theme have search.html?");
        }
    }

    fn warm(&self) {
        // Fills the cache if `--cold` did not.
        self.build(SearchMode::Make);
        let (mut off, mut on) = (Vec::new(), Vec::new());
        for _ in 0..self.runs {
            off.push(self.build(SearchMode::Off));
            on.push(self.build(SearchMode::Make));
        }
        let (off, on) = (sitegen::median(off), sitegen::median(on));
        println!(
            "warm: {} stories, build without search {}, with search (cache filled) {} (medians of {}, alternated): {:+.1} % (target: within +10 %)",
            self.n,
            secs(off),
            secs(on),
            self.runs,
            (on.as_secs_f64() / off.as_secs_f64() - 1.0) * 100.0
        );
    }

    fn cli(&self) {
        let prefix = repo().join("target/bench-pagefind");
        let bin = prefix.join("node_modules/.bin/pagefind");
        if !bin.exists() {
            eprintln!("installing {PAGEFIND_NPM} into {}", prefix.display());
            let installed = Command::new("npm")
                .args(["install", "--no-audit", "--no-fund", "--prefix"])
                .arg(&prefix)
                .arg(PAGEFIND_NPM)
                .output();
            match installed {
                Ok(o) if o.status.success() && bin.exists() => {}
                Ok(o) => {
                    println!(
                        "pagefind CLI: skipped, `npm install --prefix {} {PAGEFIND_NPM}` failed:\n{}{}",
                        prefix.display(),
                        String::from_utf8_lossy(&o.stdout),
                        String::from_utf8_lossy(&o.stderr)
                    );
                    return;
                }
                Err(e) => {
                    println!("pagefind CLI: skipped, npm cannot be run: {e}");
                    return;
                }
            }
        }
        let site = scratch().join("public-without-search");
        build_once(&self.root, &site, SearchMode::Off);
        let pages = files(&site)
            .iter()
            .filter(|(n, _)| n.ends_with(".html"))
            .count();
        let dest = scratch().join("pagefind-cli");
        let mut best: Option<Duration> = None;
        let mut said = String::new();
        for _ in 0..2 {
            let _ = std::fs::remove_dir_all(&dest);
            let start = Instant::now();
            let out = Command::new(&bin)
                .arg("--site")
                .arg(&site)
                .arg("--output-path")
                .arg(&dest)
                .output();
            let took = start.elapsed();
            match out {
                Ok(o) if o.status.success() => {
                    said = String::from_utf8_lossy(&o.stdout).into_owned();
                    best = Some(best.map_or(took, |b| b.min(took)));
                }
                Ok(o) => {
                    println!(
                        "pagefind CLI: failed:\n{}{}",
                        String::from_utf8_lossy(&o.stdout),
                        String::from_utf8_lossy(&o.stderr)
                    );
                    return;
                }
                Err(e) => {
                    println!("pagefind CLI: cannot be run: {e}");
                    return;
                }
            }
        }
        let Some(best) = best else { return };
        println!(
            "pagefind CLI ({PAGEFIND_NPM} from npm) over the same site built without search ({} HTML files): {} (best of 2)",
            thousands(pages as u64),
            secs(best)
        );
        for line in said.lines().map(str::trim) {
            if line.starts_with("Indexed") {
                println!("  its report: {line}");
            }
        }
        describe("  its output folder", &dest);
        println!(
            "  note: the npm tool indexes every rendered page whole (menus, footers, lists, tag pages); \
             rally indexes its own document per entry (stories, resolutions, partners, pages)"
        );
        let _ = std::fs::remove_dir_all(&site);
        let _ = std::fs::remove_dir_all(&dest);
    }

    fn query(&self) {
        let browser = repo().join("tests/browser/node_modules/playwright-core");
        if !browser.is_dir() {
            println!(
                "query: skipped, {} is missing: run `npm ci` in tests/browser",
                browser.display()
            );
            return;
        }
        self.build(SearchMode::Make);
        if !self.out.join("search/index.html").is_file() {
            println!(
                "query: skipped, the site has no search page (public/search/index.html): its theme has no search.html"
            );
            return;
        }
        if !self.out.join("pagefind/pagefind.js").is_file() {
            println!("query: skipped, the build published no pagefind/pagefind.js");
            return;
        }
        println!("query: {} stories, built with search", self.n);
        let status = Command::new("node")
            .arg(repo().join("benches/search-query.mjs"))
            .arg(&self.out)
            .arg("/search/")
            .arg(QUERY)
            .status();
        match status {
            Ok(s) if s.success() => {}
            other => println!("query: benches/search-query.mjs failed ({other:?})"),
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let value = |flag: &str, default: usize| -> usize {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let has = |flag: &str| args.iter().any(|a| a == flag);
    let modes = ["--cold", "--warm", "--cli", "--query"];
    let all = !modes.iter().any(|m| has(m));
    let n = value("--stories", 10_000);
    let runs = value("--runs", 5).max(1);
    let cache = search_cache(n);
    // SAFETY: no other thread exists yet.
    unsafe { std::env::set_var(rally::images::CACHE_ENV, &cache) };
    let root = scratch().join(format!("site-{n}"));
    sitegen::generate(&root, n).expect("generate");
    let bench = Bench {
        n,
        out: scratch().join(format!("site-{n}-out")),
        root,
        cache,
        runs,
    };
    println!(
        "search: the generated {n}-story site, output in {}, search cache in {}",
        bench.out.display(),
        bench.cache.join("search").display()
    );
    if all || has("--cold") {
        bench.cold();
    }
    if all || has("--warm") {
        bench.warm();
    }
    if all || has("--cli") {
        bench.cli();
    }
    if all || has("--query") {
        bench.query();
    }
    let _ = std::fs::remove_dir_all(scratch());
}
