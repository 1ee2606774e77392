//! Build benchmark: `cargo bench --bench build [-- SIZES...]`.
//!
//! Generates campaign sites (default 1,000 stories; pass sizes such as `10000 50000`) and the
//! bundled site, then times the whole pipeline (load → build → write) over several runs and
//! prints the median and spread. Output goes to a temp dir (tmpfs when /dev/shm exists).
//! `-- --generate DIR N` only writes a generated site of N stories to DIR.
//! `-- --generate-multilingual DIR N` writes the same site with Spanish, French and Arabic
//! translations of 30 % of its stories; `-- --generate-hugo DIR N` and
//! `-- --generate-hugo-multilingual DIR N` write either as a Hugo site (theme: benches/hugo/).
//! `-- --multilingual N...` builds the single-language and the multilingual site of each size
//! and compares pages added with time added; `-- --hugo N` is the paired run against Hugo
//! (`hugo/paired.rs`; docs/performance.md, "Multilingual, paired with Hugo").
//! `-- --large MB...` measures the peak memory of building one story of each size (the
//! documented bound: under 4 times the story's size).

#[path = "sitegen.rs"]
mod sitegen;

#[path = "hugo/paired.rs"]
mod hugo;

// The allocator of the rally binary (src/main.rs), so that timings are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rally::link::BuildOptions;

/// What `rally build` does: load, render pages straight into a staging folder, swap it in.
fn build_once(root: &Path, out: &Path) -> (Duration, usize) {
    let start = Instant::now();
    let (sources, diags) = rally::load::load(root);
    let sources = sources.unwrap_or_else(|| panic!("load failed:\n{}", diags.render_plain()));
    let staging = rally::output::Staging::begin(out, root).expect("staging");
    let mut memo = rally::Memo::one_shot();
    let (output, diags) =
        rally::build_streaming(sources, &BuildOptions::default(), &mut memo, &staging);
    let output = output.unwrap_or_else(|| panic!("build failed:\n{}", diags.render_plain()));
    staging.finish(&output).expect("write");
    // `rally build` exits here without freeing; freeing is not part of its time.
    let elapsed = start.elapsed();
    (elapsed, output.len())
}

/// What `report` measured: output files, median clean build, peak memory.
pub struct Measured {
    files: usize,
    median: Duration,
    peak_mib: f64,
}

fn report(label: &str, root: &Path, runs: usize) -> Measured {
    let out = scratch().join(format!("out-{}", label.replace(' ', "-")));
    let _ = std::fs::remove_dir_all(&out);
    build_once(root, &out); // warm the page cache
    // Clean: into a folder that does not exist (a fresh checkout, CI). Rebuild: over the
    // last build's output, which `rally build` then removes (it keeps no state between runs,
    // so this is also its no-change rebuild).
    let (mut clean, mut rebuild): (Vec<Duration>, Vec<Duration>) = (Vec::new(), Vec::new());
    let mut files = 0;
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(&out);
        let (t, n) = build_once(root, &out);
        clean.push(t);
        rebuild.push(build_once(root, &out).0);
        files = n;
    }
    clean.sort();
    rebuild.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = |v: &[Duration]| v[v.len() / 2];
    let peak = peak_memory_mib(root, &out);
    println!(
        "{label:<22} files {files:>7}  clean build median {:>8.1} ms (min {:>8.1}, max {:>8.1})  {:>6.0} files/s  rebuild over it median {:>8.1} ms  peak {peak:>6.0} MiB (rally build)",
        ms(median(&clean)),
        ms(clean[0]),
        ms(clean[clean.len() - 1]),
        files as f64 / median(&clean).as_secs_f64(),
        ms(median(&rebuild)),
    );
    let _ = std::fs::remove_dir_all(&out);
    Measured {
        files,
        median: median(&clean),
        peak_mib: peak,
    }
}

/// Builds `root` once with the real binary and stops the benchmark with rally's own messages
/// if it fails: a corpus rally cannot build (the multilingual one before rally reads
/// `languages:`) must not be skipped silently.
fn check_builds(label: &str, root: &Path) {
    let out = scratch().join("check-out");
    let run = std::process::Command::new(hugo::rally_bin())
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&out)
        .output()
        .expect("run rally build");
    let _ = std::fs::remove_dir_all(&out);
    if !run.status.success() {
        eprintln!(
            "error: rally cannot build the {label} ({}):\n{}\n{}",
            root.display(),
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
        eprintln!(
            "The multilingual benchmark needs rally's multilingual pipeline (`languages:` in site.yaml, translations as `story.es.md`)."
        );
        let _ = std::fs::remove_dir_all(scratch());
        std::process::exit(1);
    }
}

/// The single-language and the multilingual corpus of `n` stories, built as `report` builds:
/// time and peak memory of each, and whether the time grows with the pages.
fn multilingual(n: usize) {
    let en = scratch().join(format!("site-{n}"));
    let ml = scratch().join(format!("site-{n}-multilingual"));
    for d in [&en, &ml] {
        let _ = std::fs::remove_dir_all(d);
    }
    sitegen::generate(&en, n).expect("generate");
    sitegen::generate_multilingual(&ml, n).expect("generate");
    check_builds("multilingual corpus", &ml);
    let runs = if n >= 10_000 { 5 } else { 7 };
    let one = report(&format!("{n} stories, en"), &en, runs);
    let four = report(&format!("{n} stories, 4 langs"), &ml, runs);
    println!(
        "{}",
        growth("rally", one.files, one.median, four.files, four.median)
    );
    println!(
        "peak memory {:.0} MiB -> {:.0} MiB ({:+.0} %)",
        one.peak_mib,
        four.peak_mib,
        (four.peak_mib / one.peak_mib - 1.0) * 100.0
    );
    for d in [&en, &ml] {
        let _ = std::fs::remove_dir_all(d);
    }
}

/// "pages +X %, time +Y %": the issue asks that the time grow no faster than the pages.
pub fn growth(who: &str, files: usize, t: Duration, files2: usize, t2: Duration) -> String {
    let pages = files2 as f64 / files as f64 - 1.0;
    let time = t2.as_secs_f64() / t.as_secs_f64() - 1.0;
    format!(
        "{who}: multilingual adds {} files (+{:.1} %) and {:.0} ms (+{:.1} %): time added / pages added = {:.2}",
        files2 as i64 - files as i64,
        pages * 100.0,
        (t2.as_secs_f64() - t.as_secs_f64()) * 1000.0,
        time * 100.0,
        time / pages
    )
}

/// Peak resident memory of one `rally build` of `root`, as the build reports it with
/// RALLY_PROFILE=1 (its own high-water mark: getrusage of children would also count what this
/// benchmark process held when it spawned the build).
fn peak_memory_mib(root: &Path, out: &Path) -> f64 {
    let run = std::process::Command::new(hugo::rally_bin())
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .env("RALLY_PROFILE", "1")
        .output()
        .expect("run rally build");
    assert!(run.status.success());
    String::from_utf8_lossy(&run.stderr)
        .lines()
        .find_map(|l| l.strip_prefix("[profile] peak memory "))
        .and_then(|v| v.trim_end_matches(" MiB").parse().ok())
        .unwrap_or(f64::NAN)
}

/// Peak memory of building a site whose one story has `mb` megabytes of text, in three
/// shapes: paragraphs of prose, one paragraph of short lines, and one long line.
fn large(sizes: &[usize]) {
    println!("one large story: peak memory of rally build (3 runs: median, max) / story size");
    let sentence = "Children belong in communities, not in detention: every child, everywhere. ";
    for &mb in sizes {
        let len = mb << 20;
        let shapes: [(&str, String); 3] = [
            ("paragraphs", {
                let para = format!("{}\n\n", sentence.repeat(60));
                para.repeat(len / para.len() + 1)
            }),
            ("short lines", {
                let line = format!("{}\n", sentence.trim_end());
                line.repeat(len / line.len() + 1)
            }),
            ("one line", sentence.repeat(len / sentence.len() + 1)),
        ];
        for (shape, body) in shapes {
            let root = scratch().join(format!("large-{mb}"));
            let _ = std::fs::remove_dir_all(&root);
            std::fs::create_dir_all(root.join("content/stories")).expect("mkdir");
            std::fs::write(
                root.join("site.yaml"),
                "title: Large\nbase_url: https://example.org/\n",
            )
            .expect("write");
            let text = format!("---\ntitle: Large\ndate: 2020-01-01\nsummary: s\n---\n{body}");
            std::fs::write(root.join("content/stories/large.md"), &text).expect("write");
            let out = scratch().join("large-out");
            let mut peaks: Vec<f64> = (0..3).map(|_| peak_memory_mib(&root, &out)).collect();
            peaks.sort_by(f64::total_cmp);
            let size = text.len() as f64 / (1 << 20) as f64;
            println!(
                "{mb:>5} MB {shape:<12} peak median {:>7.1} MiB ({:.2}x), max {:>7.1} MiB ({:.2}x)",
                peaks[1],
                peaks[1] / size,
                peaks[2],
                peaks[2] / size
            );
            let _ = std::fs::remove_dir_all(&root);
            let _ = std::fs::remove_dir_all(&out);
        }
    }
}

fn scratch() -> PathBuf {
    let shm = Path::new("/dev/shm");
    let base = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    base.join(format!("rally-bench-{}", std::process::id()))
}

fn main() {
    // `-- --generate DIR N` writes a generated site to DIR and stops (for profiling by hand).
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--generate") {
        let dir = args.get(i + 1).expect("--generate DIR N");
        let n = args.get(i + 2).and_then(|n| n.parse().ok()).unwrap_or(1000);
        sitegen::generate(Path::new(dir), n).expect("generate");
        println!("generated {n} stories in {dir}");
        return;
    }
    for (flag, what) in [
        ("--generate-multilingual", "multilingual"),
        ("--generate-hugo", "hugo"),
        ("--generate-hugo-multilingual", "hugo multilingual"),
    ] {
        if let Some(i) = args.iter().position(|a| a == flag) {
            let dir = args.get(i + 1).unwrap_or_else(|| panic!("{flag} DIR N"));
            let n = args.get(i + 2).and_then(|n| n.parse().ok()).unwrap_or(1000);
            let dir = Path::new(dir);
            match what {
                "multilingual" => sitegen::generate_multilingual(dir, n),
                "hugo" => sitegen::generate_hugo(dir, n, false, &hugo::theme_dir()),
                _ => sitegen::generate_hugo(dir, n, true, &hugo::theme_dir()),
            }
            .expect("generate");
            println!("generated {n} stories ({what}) in {}", dir.display());
            return;
        }
    }
    if args.iter().any(|a| a == "--multilingual") {
        for n in sitegen::sizes_from_args(&[10_000]) {
            multilingual(n);
        }
        let _ = std::fs::remove_dir_all(scratch());
        return;
    }
    if args.iter().any(|a| a == "--hugo") {
        let code = hugo::paired(&args, &scratch());
        let _ = std::fs::remove_dir_all(scratch());
        std::process::exit(code);
    }
    if let Some(i) = args.iter().position(|a| a == "--large") {
        let sizes: Vec<usize> = args[i + 1..]
            .iter()
            .filter_map(|a| a.parse().ok())
            .collect();
        large(&sizes);
        return;
    }
    let sizes = sitegen::sizes_from_args(&[1000]);
    println!(
        "rally build benchmark ({} threads)",
        rayon::current_num_threads()
    );
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR"));
    let _ = report("bundled site", bundled, 11);
    for n in sizes {
        let root = scratch().join(format!("site-{n}"));
        let _ = std::fs::remove_dir_all(&root);
        sitegen::generate(&root, n).expect("generate");
        let runs = if n >= 10_000 { 5 } else { 7 };
        let _ = report(&format!("{n} stories"), &root, runs);
        let _ = std::fs::remove_dir_all(&root);
    }
    let _ = std::fs::remove_dir_all(scratch());
}
