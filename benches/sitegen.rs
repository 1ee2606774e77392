//! A deterministic generator of campaign sites of any size, for benchmarks: stories of
//! 600–1,200 words with headings, lists, tables, footnotes and content links; tags;
//! 150 resolutions; 400 partners. Same size in, same bytes out.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

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

fn sentence(r: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(r.pick(WORDS));
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect::<String>() + ".",
        None => s,
    }
}

/// Writes a site with `stories` stories, 150 resolutions and 400 partners into `root`.
#[allow(dead_code)]
pub fn generate(root: &Path, stories: usize) -> std::io::Result<()> {
    generate_sized(root, stories, 150, 400)
}

/// Writes a site of the given size into `root` (which must be empty or absent).
pub fn generate_sized(
    root: &Path,
    stories: usize,
    resolutions: usize,
    partner_count: usize,
) -> std::io::Result<()> {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    fs::create_dir_all(root.join("content/stories"))?;
    fs::create_dir_all(root.join("content/resolutions"))?;
    fs::write(
        root.join("site.yaml"),
        "title: \"Benchmark campaign\"\nbase_url: \"https://example.org/\"\n",
    )?;
    for i in 0..resolutions {
        let year = 2012 + i % 12;
        let text = format!(
            "---\ntitle: \"Resolution {i}\"\nsymbol: \"A/RES/{}/{i}\"\nbody: \"{}\"\nadopted: {year}-{:02}-{:02}\nkind: {}\nurl: \"https://undocs.org/en/A/RES/{}/{i}\"\nparagraphs:\n  - number: 1\n    summary: \"{}\"\n---\n\n## Key points\n\n{}\n",
            60 + i % 20,
            [
                "UN General Assembly",
                "Human Rights Council",
                "Committee on the Rights of the Child"
            ][i % 3],
            1 + i % 12,
            1 + i % 28,
            KINDS[i % KINDS.len()],
            60 + i % 20,
            sentence(&mut r, 12),
            sentence(&mut r, 60),
        );
        fs::write(root.join(format!("content/resolutions/res-{i}.md")), text)?;
    }
    let mut partners = String::new();
    for i in 0..partner_count {
        let _ = write!(
            partners,
            "- id: partner-{i}\n  name: \"Partner organisation {i}\"\n  type: {}\n  region: {}\n  country: {}\n  website: \"https://partner{i}.example.org\"\n  roles: [campaign-supporter]\n  description: \"{}\"\n",
            TYPES[i % TYPES.len()],
            REGIONS[i % REGIONS.len()],
            rally::content::countries::COUNTRIES[i % 90].0,
            sentence(&mut r, 10)
        );
    }
    fs::write(root.join("content/partners.yaml"), partners)?;
    fs::write(
        root.join("content/about.md"),
        "---\ntitle: About\nmenu_weight: 1\n---\n\nAbout the campaign.\n",
    )?;
    for i in 0..stories {
        let words = 600 + r.below(600);
        let mut body = String::with_capacity(words * 9);
        let mut written = 0;
        let mut section = 0;
        while written < words {
            section += 1;
            let _ = write!(body, "## Part {section}: {}\n\n", sentence(&mut r, 3));
            for _ in 0..3 {
                let n = 40 + r.below(40);
                body.push_str(&sentence(&mut r, n));
                let _ = write!(
                    body,
                    " See [resolution {0}](@/resolutions/res-{0}.md#key-points).\n\n",
                    r.below(resolutions)
                );
                written += n + 3;
            }
            match section % 3 {
                0 => body.push_str(
                    "| Year | Change |\n|---|---|\n| 2016 | Declaration |\n| 2018 | Compacts |\n\n",
                ),
                1 => {
                    for _ in 0..4 {
                        let _ = writeln!(body, "- {}", sentence(&mut r, 8));
                    }
                    body.push('\n');
                    written += 32;
                }
                _ => {
                    let _ = write!(
                        body,
                        "A point with a note.[^n{section}]\n\n[^n{section}]: {}\n\n",
                        sentence(&mut r, 10)
                    );
                    written += 14;
                }
            }
        }
        if i > 0 {
            let _ = writeln!(
                body,
                "Previously: [an earlier story](@/stories/story-{}.md).",
                r.below(i)
            );
        }
        let tags: Vec<String> = (0..3).map(|_| format!("tag-{}", r.below(40))).collect();
        let day = i % 3650;
        let date = jiff::civil::date(2014, 1, 1)
            .checked_add(jiff::Span::new().days(day as i64))
            .unwrap_or(jiff::civil::date(2014, 1, 1));
        let text = format!(
            "---\ntitle: \"Story {i}: {}\"\ndate: {date}\nsummary: \"{}\"\ntags: [{}]\nresolutions: [res-{}, res-{}]\npartners: [partner-{}]\nfeatured: {}\n---\n\n{body}",
            sentence(&mut r, 4).trim_end_matches('.'),
            sentence(&mut r, 18),
            tags.join(", "),
            r.below(resolutions),
            r.below(resolutions),
            r.below(partner_count),
            i % 500 == 0,
        );
        fs::write(root.join(format!("content/stories/story-{i}.md")), text)?;
    }
    Ok(())
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
