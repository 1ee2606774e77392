//! A fixture-site harness: write a small site into a temp dir, run the real `rally` binary on
//! it, and assert on its exit code, messages and output files.
//!
//! ```ignore
//! Test::new()
//!     .story("launch", "title: Launch\ndate: 2012-03-21\nsummary: s", "Body")
//!     .args(&["build"])
//!     .run()
//!     .success()
//!     .page("stories/launch/", "Launch");
//! ```

pub mod server;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Templates that print the values tests look at, so tests do not depend on the real theme.
const TEST_THEME: &[(&str, &str)] = &[
    (
        "base.html",
        "<!doctype html><html lang=\"{{ site.language }}\"><title>{{ page.title }}</title>\
         <nav>{% for m in site.menu %}<a href=\"{{ m.url }}\">{{ m.name }}</a>{% endfor %}</nav>\
         <main>{% block content %}{% endblock content %}</main></html>\n",
    ),
    (
        "index.html",
        "{% extends \"base.html\" %}{% block content %}home \
         stories={{ site.counts.stories }} partners={{ site.counts.partners }} \
         countries={{ site.counts.countries }} resolutions={{ site.counts.resolutions }}\
         {% for s in stories %}[{{ s.id }}]{% endfor %}{% endblock content %}",
    ),
    (
        "stories.html",
        "{% extends \"base.html\" %}{% block content %}page {{ paginator.number }}/{{ paginator.total_pages }}:\
         {% for s in paginator.items %}[{{ s.id }}]{% endfor %}\
         {% if paginator.next_url %} next={{ paginator.next_url }}{% endif %}{% endblock content %}",
    ),
    (
        "story.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>\
         <p class=date>{{ page.date_display }}</p><p class=summary>{{ page.summary }}</p>\
         {% if page.image %}<img src=\"{{ page.image.src }}\" alt=\"{{ page.image.alt }}\"{% if page.image.width %} width={{ page.image.width }} height={{ page.image.height }}{% endif %}>{% endif %}\
         <ul class=cites>{% for r in page.resolutions %}<li><a href=\"{{ r.url }}\">{{ r.symbol or r.title }}</a>{% endfor %}</ul>\
         <ul class=partners>{% for p in page.partners %}<li><a href=\"{{ p.url }}\">{{ p.name }}</a>{% endfor %}</ul>\
         <ul class=tags>{% for t in page.tags %}<li><a href=\"{{ t.url }}\">{{ t.name }}</a>{% endfor %}</ul>\
         <ol class=toc>{% for h in page.toc %}<li>{{ h.level }}:{{ h.id }}</li>{% endfor %}</ol>\
         <p class=words>{{ page.word_count }} words, {{ page.reading_time }} min</p>\
         {% if previous %}<a rel=prev href=\"{{ previous.url }}\">{{ previous.title }}</a>{% endif %}\
         {% if next %}<a rel=next href=\"{{ next.url }}\">{{ next.title }}</a>{% endif %}\
         <article>{{ page.content }}</article>{% endblock content %}",
    ),
    (
        "resolutions.html",
        "{% extends \"base.html\" %}{% block content %}{% for y in years %}<h2>{{ y.year }}</h2>\
         {% for r in y.items %}[{{ r.id }}]{% endfor %}{% endfor %}\
         bodies:{% for b in bodies %}{{ b.key }}={{ b.count }};{% endfor %}{% endblock content %}",
    ),
    (
        "resolution.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>\
         <p>{{ page.symbol or \"no symbol\" }} | {{ page.body }} | {{ page.adopted_display }} | {{ page.kind_label }}</p>\
         {% if page.official_url %}<a class=official href=\"{{ page.official_url }}\">official text</a>{% endif %}\
         <ol>{% for p in page.paragraphs %}<li>{{ p.number }}: {{ p.summary }}</li>{% endfor %}</ol>\
         <ul class=cited>{% for s in page.cited_by %}<li><a href=\"{{ s.url }}\">{{ s.title }}</a>{% endfor %}</ul>\
         <article>{{ page.content }}</article>{% endblock content %}",
    ),
    (
        "partners.html",
        "{% extends \"base.html\" %}{% block content %}\
         {% for g in by_type %}<h2>{{ g.label }}</h2>{% for p in g.items %}[{{ p.id }}]{% endfor %}{% endfor %}\
         |{% for g in by_region %}<h3>{{ g.label }}</h3>{% for p in g.items %}[{{ p.id }}]{% endfor %}{% endfor %}\
         {% endblock content %}",
    ),
    (
        "partner.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ page.name }}</h1>\
         <p>{{ page.acronym or \"\" }} {{ page.type_label }} {{ page.region_label }} {{ page.monogram }}</p>\
         {% if page.website %}<a class=web href=\"{{ page.website }}\">website</a>{% endif %}\
         {% if page.logo %}<img class=logo src=\"{{ page.logo }}\" alt=\"\">{% endif %}\
         <ul class=roles>{% for r in page.roles %}<li>{{ r.label }}</li>{% endfor %}</ul>\
         <p class=desc>{{ page.description or \"\" }}</p>\
         <ul class=cited>{% for s in page.cited_by %}<li><a href=\"{{ s.url }}\">{{ s.title }}</a>{% endfor %}</ul>\
         <article>{{ page.content }}</article>{% endblock content %}",
    ),
    (
        "page.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1><article>{{ page.content }}</article>{% endblock content %}",
    ),
    (
        "tags.html",
        "{% extends \"base.html\" %}{% block content %}{% for t in tags %}[{{ t.slug }}:{{ t.count }}]{% endfor %}{% endblock content %}",
    ),
    (
        "tag.html",
        "{% extends \"base.html\" %}{% block content %}{{ tag.name }}:{% for s in paginator.items %}[{{ s.id }}]{% endfor %}{% if paginator.next_url %} next={{ paginator.next_url }}{% endif %}{% endblock content %}",
    ),
    (
        "embeds.html",
        "{% component cite(resolution, paragraph=None) %}<cite-embed href=\"{{ resolution.url }}\">{{ resolution.symbol or resolution.title }}\
         {% if paragraph %} para {{ paragraph.number }}: {{ paragraph.summary }}{% endif %}</cite-embed>{% endcomponent cite %}\
         {% component partner(partner) %}<partner-embed href=\"{{ partner.url }}\">{{ partner.name }}</partner-embed>{% endcomponent partner %}\
         {% component cta(url, label, title=None) %}<cta-embed href=\"{{ url }}\" title=\"{{ title or '' }}\">{{ label }}|{{ body }}</cta-embed>{% endcomponent cta %}\
         {% component figure(src, alt, caption=None, credit=None) %}<figure><img src=\"{{ src }}\" alt=\"{{ alt }}\"><figcaption>{{ caption or '' }}/{{ credit or '' }}</figcaption></figure>{% endcomponent figure %}\
         {% component quote(by=None, role=None) %}<quote-embed by=\"{{ by or '' }}\">{{ body }}</quote-embed>{% endcomponent quote %}\
         {% component video(url, embed_url, title, poster=None) %}<video-embed data-embed=\"{{ embed_url }}\" href=\"{{ url }}\">{{ title }}</video-embed>{% endcomponent video %}",
    ),
    (
        "404.html",
        "{% extends \"base.html\" %}{% block content %}not found{% endblock content %}",
    ),
];

pub struct Test {
    dir: tempfile::TempDir,
    args: Vec<String>,
    theme: bool,
    /// Whether the site keeps its build cache in its own `.rally-cache/` instead of the
    /// suite's shared one (see [`Test::own_cache`]).
    own_cache: bool,
    /// Where rally runs, inside the site folder (empty: the site folder itself).
    cwd: String,
    /// Environment variables rally runs with, besides the cache's.
    env: Vec<(String, String)>,
}

impl Default for Test {
    fn default() -> Self {
        Self::new()
    }
}

impl Test {
    /// A site with a two-line site.yaml and the test theme.
    pub fn new() -> Test {
        let dir = tempfile::tempdir().expect("temp dir");
        let t = Test {
            dir,
            args: Vec::new(),
            theme: true,
            cwd: String::new(),
            own_cache: false,
            env: Vec::new(),
        };
        t.file(
            "site.yaml",
            "title: Test site\nbase_url: https://example.org/\ntheme: test\n",
        )
    }

    /// Keeps resized photos and share cards in the site's own `.rally-cache/`, for tests of
    /// the cache itself. Other tests share one cache folder, so that the suite draws each
    /// card and resizes each photo once.
    pub fn own_cache(mut self) -> Test {
        self.own_cache = true;
        self
    }

    /// The build cache rally is told to use: the suite's shared one unless [`Test::own_cache`].
    pub fn cache_env(&self) -> Option<(&'static str, PathBuf)> {
        (!self.own_cache).then(|| ("RALLY_SITE_CACHE", shared_cache()))
    }

    /// Uses the theme compiled into rally instead of the test theme.
    pub fn builtin_theme(mut self) -> Test {
        self.theme = false;
        let cfg = self.read("site.yaml").replace("theme: test\n", "");
        self.file("site.yaml", &cfg)
    }

    /// A copy of the campaign site bundled with rally (this repository's `site.yaml`,
    /// `content/`, `themes/`, and `static/` and `templates/` if there are any), with its
    /// own theme.
    pub fn bundled() -> Test {
        let mut t = Test::new();
        t.theme = false;
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        fs::copy(repo.join("site.yaml"), t.path("site.yaml")).expect("copy site.yaml");
        for sub in ["content", "themes", "static", "templates"] {
            if repo.join(sub).is_dir() {
                copy_dir(&repo.join(sub), &t.path(sub));
            }
        }
        t
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn file(self, rel: &str, text: &str) -> Test {
        self.bytes(rel, text.as_bytes())
    }

    pub fn bytes(self, rel: &str, bytes: &[u8]) -> Test {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(&p, bytes).expect("write fixture");
        self
    }

    pub fn remove(self, rel: &str) -> Test {
        let p = self.path(rel);
        if p.is_dir() {
            fs::remove_dir_all(p).expect("rm dir");
        } else {
            fs::remove_file(p).expect("rm");
        }
        self
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    /// A story with the given front matter lines (without `---`) and body.
    pub fn story(self, id: &str, front: &str, body: &str) -> Test {
        self.file(
            &format!("content/stories/{id}.md"),
            &format!("---\n{front}\n---\n{body}"),
        )
    }

    /// A story with just the required fields.
    pub fn simple_story(self, id: &str, date: &str) -> Test {
        self.story(
            id,
            &format!("title: \"Story {id}\"\ndate: {date}\nsummary: \"About {id}.\""),
            "Text.\n",
        )
    }

    pub fn resolution(self, id: &str, front: &str, body: &str) -> Test {
        self.file(
            &format!("content/resolutions/{id}.md"),
            &format!("---\n{front}\n---\n{body}"),
        )
    }

    pub fn partner(self, id: &str, front: &str, body: &str) -> Test {
        self.file(
            &format!("content/partners/{id}.md"),
            &format!("---\n{front}\n---\n{body}"),
        )
    }

    pub fn template(self, name: &str, text: &str) -> Test {
        self.file(&format!("themes/test/templates/{name}"), text)
    }

    pub fn args(mut self, args: &[&str]) -> Test {
        self.args = args.iter().map(|s| s.to_string()).collect();
        self
    }

    /// Runs rally with the environment variable `name` set to `value`.
    pub fn env(mut self, name: &str, value: &str) -> Test {
        self.env.push((name.to_string(), value.to_string()));
        self
    }

    /// Runs rally in the folder `rel` of the site (created if missing) instead of the site
    /// folder itself.
    pub fn in_folder(mut self, rel: &str) -> Test {
        fs::create_dir_all(self.path(rel)).expect("mkdir");
        self.cwd = rel.to_string();
        self
    }

    /// Writes the test theme (done by `run` too), for tests that start rally themselves.
    pub fn ready(self) -> Test {
        self.write_theme();
        self
    }

    fn write_theme(&self) {
        if self.theme {
            for (name, text) in TEST_THEME {
                let p = self.path(&format!("themes/test/templates/{name}"));
                if !p.exists() {
                    fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
                    fs::write(p, text).expect("theme");
                }
            }
        }
    }

    /// Runs rally (by default `rally build`) in the site folder.
    pub fn run(self) -> Outcome {
        self.write_theme();
        let args = if self.args.is_empty() {
            vec!["build".to_string()]
        } else {
            self.args.clone()
        };
        let out = Command::new(env!("CARGO_BIN_EXE_rally"))
            .args(&args)
            .arg("--color=never")
            .current_dir(self.dir.path().join(&self.cwd))
            .env("NO_COLOR", "1")
            .envs(self.cache_env())
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .output()
            .expect("run rally");
        Outcome {
            test: self,
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

pub struct Outcome {
    pub test: Test,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    pub fn success(self) -> Outcome {
        assert_eq!(
            self.code,
            Some(0),
            "expected success\nstderr:\n{}\nstdout:\n{}",
            self.stderr,
            self.stdout
        );
        self
    }

    pub fn failure(self, code: i32) -> Outcome {
        assert_eq!(
            self.code,
            Some(code),
            "expected exit code {code}\nstderr:\n{}",
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "panic:\n{}", self.stderr);
        self
    }

    /// stderr contains every piece, in order.
    pub fn stderr_has(self, pieces: &[&str]) -> Outcome {
        let mut rest = self.stderr.as_str();
        for p in pieces {
            match rest.find(p) {
                Some(i) => rest = &rest[i + p.len()..],
                None => panic!("stderr lacks {p:?} (in order)\nstderr:\n{}", self.stderr),
            }
        }
        self
    }

    pub fn stderr_lacks(self, piece: &str) -> Outcome {
        assert!(
            !self.stderr.contains(piece),
            "stderr has {piece:?}\nstderr:\n{}",
            self.stderr
        );
        self
    }

    /// The output file at `rel` (under public/) contains `piece`. A path ending in `/` means
    /// its index.html.
    pub fn page(self, rel: &str, piece: &str) -> Outcome {
        let text = self.output(rel);
        assert!(
            text.contains(piece),
            "public/{rel} lacks {piece:?}:\n{text}"
        );
        self
    }

    pub fn page_lacks(self, rel: &str, piece: &str) -> Outcome {
        let text = self.output(rel);
        assert!(!text.contains(piece), "public/{rel} has {piece:?}:\n{text}");
        self
    }

    pub fn exists(self, rel: &str) -> Outcome {
        assert!(self.out_path(rel).exists(), "public/{rel} missing");
        self
    }

    pub fn missing(self, rel: &str) -> Outcome {
        assert!(
            !self.out_path(rel).exists(),
            "public/{rel} should not exist"
        );
        self
    }

    pub fn out_path(&self, rel: &str) -> PathBuf {
        let mut p = self.test.path("public").join(rel);
        if rel.ends_with('/') || rel.is_empty() {
            p = p.join("index.html");
        }
        p
    }

    pub fn output(&self, rel: &str) -> String {
        fs::read_to_string(self.out_path(rel))
            .unwrap_or_else(|e| panic!("reading public/{rel}: {e}\nstderr:\n{}", self.stderr))
    }

    /// Continues with the same site folder, to change files and run again.
    pub fn then(self) -> Test {
        let mut t = self.test;
        t.args.clear();
        t.cwd.clear();
        t
    }
}

/// Every file under `dir` with its bytes, for byte-for-byte comparisons of whole sites.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .into_owned();
            (rel, fs::read(e.path()).expect("read"))
        })
        .collect();
    out.sort();
    out
}

/// Copies the folder `from` with everything in it to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for e in fs::read_dir(from).expect("read dir") {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("file type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), &target).expect("copy");
        }
    }
}

/// A small real JPEG photo (rally refuses files that are not the picture their name says).
pub fn tiny_jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_fn(8, 6, |x, y| {
        image::Rgb([(x * 30) as u8, (y * 40) as u8, 90])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&img)
        .expect("jpeg");
    out
}

/// A 1×1 PNG, valid to the last checksum.
pub const TINY_PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xe0\x8e\xc9\x04\x00\x01F\x00\xd1\x02\xcb7\xfd\x00\x00\x00\x00IEND\xaeB`\x82";

/// The build cache the suite's sites share (under Cargo's temporary folder for tests).
pub fn shared_cache() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("site-cache")
}
