//! `rally new` and `rally init`: files that start a writer off with every field in place;
//! `rally new --lang` starts a translation ([`translation`]).

mod translation;

use std::fs;
use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::content::Collection;
use crate::date::Date;
use crate::diagnostics::Diagnostic;
pub use translation::{Translated, new_translation, translated_keys};

/// The front matter and body of a new entry of `collection` titled `title`.
pub fn template(collection: Collection, title: &str, today: Date) -> String {
    let title_yaml = yaml_string(title);
    match collection {
        Collection::Stories => format!(
            "---\n\
             title: {title_yaml}\n\
             date: {today}\n\
             # Required: one or two sentences shown on story cards and social media.\n\
             summary: \"TODO: write a one-sentence summary\"\n\
             author: \"\"\n\
             # image:\n\
             #   src: photo.jpg        # a file next to this one\n\
             #   alt: \"What the photo shows, for readers who cannot see it\"\n\
             tags: []\n\
             resolutions: []           # ids of files in content/resolutions/\n\
             partners: []              # ids of files in content/partners/\n\
             featured: false\n\
             draft: true               # set to false to publish\n\
             ---\n\n\
             Write the story here. To link to a resolution, write `[its title](@/resolutions/its-id.md)`.\n"
        ),
        Collection::Resolutions => format!(
            "---\n\
             title: {title_yaml}\n\
             # symbol: \"A/RES/00/0\"   # the official document symbol, if it has one\n\
             body: \"TODO: the body that adopted it, e.g. UN General Assembly\"\n\
             adopted: {today}           # YYYY-MM-DD, YYYY-MM or YYYY\n\
             kind: resolution           # resolution, declaration, general-comment, advisory-opinion, report,\n\
             \x20                          # day-of-general-discussion, compact, guidelines or other\n\
             # url: \"https://undocs.org/en/A/RES/00/0\"   # the official text\n\
             paragraphs: []\n\
             #  - number: \"1\"\n\
             #    summary: \"What this paragraph says, in your own words\"\n\
             ---\n\n\
             What this document is and why it matters for ending child immigration detention.\n"
        ),
        Collection::Partners => format!(
            "---\n\
             name: {title_yaml}\n\
             # acronym: \"\"\n\
             type: ngo                  # ngo, un-agency, un-mechanism, igo, regional-body, network or other\n\
             region: global             # global, africa, americas, asia-pacific, europe or middle-east-north-africa\n\
             # country: CH              # its headquarters, as an ISO 3166 code: CH, US, GB, AU...\n\
             # website: \"https://\"\n\
             roles: [campaign-supporter]\n\
             description: \"TODO: one sentence about the organisation\"\n\
             ---\n\n\
             About the organisation and its work to end child immigration detention.\n"
        ),
        Collection::Pages => format!(
            "---\n\
             title: {title_yaml}\n\
             description: \"\"\n\
             # menu_weight: 50          # uncomment to show the page in the main menu\n\
             ---\n\n\
             Write the page here.\n"
        ),
    }
}

fn yaml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// What `rally new` made.
#[derive(Debug)]
pub struct Created {
    /// The new file, inside the site (`content/stories/x.md`).
    pub path: PathBuf,
    /// Whether it starts as a draft (`draft: true`), left out of the published site: the
    /// writer must be told, or they wonder why their story is missing.
    pub draft: bool,
}

/// Creates a new entry file under `root/content`.
pub fn new_entry(
    root: &Path,
    collection: Collection,
    title: &str,
    today: Date,
) -> Result<Created, Diagnostic> {
    // Outside a site, a new file would start a stray content/ folder nobody builds.
    if !root.join(CONFIG_FILE).is_file() {
        return Err(crate::site_root::no_site(&root.display().to_string()));
    }
    let slug = slug::slugify(title);
    if slug.is_empty() {
        return Err(Diagnostic::error(
            "the title has no letters or digits to make a file name from",
        )
        .help("give a title such as \"Geneva launch\""));
    }
    let rel_dir = match collection {
        Collection::Pages => PathBuf::from("content"),
        c => Path::new("content").join(c.folder()),
    };
    let dir = root.join(&rel_dir);
    let path = dir.join(format!("{slug}.md"));
    if let Some(d) = existing(root, collection, &rel_dir, &slug) {
        return Err(d);
    }
    fs::create_dir_all(&dir)
        .map_err(|e| Diagnostic::error(format!("cannot create {}: {e}", dir.display())))?;
    let text = template(collection, title, today);
    if !create_new(&path, &text)? {
        return Err(Diagnostic::error(format!(
            "{} appeared while rally was creating it",
            path.display()
        ))
        .help("rally never overwrites a file: run the command again to see what is there"));
    }
    Ok(Created {
        path: rel_dir.join(format!("{slug}.md")),
        draft: text.lines().any(|l| l.starts_with("draft: true")),
    })
}

/// The partner list files, inside the site: each row is a partner, as a file would be.
const PARTNER_LISTS: [&str; 3] = [
    "content/partners.yaml",
    "content/partners.yml",
    "content/partners.csv",
];

/// The entry of `collection` that already has the id `id`, as an error pointing at it: a
/// file or a bundle folder in `rel_dir`, or for partners a row of a list file. A second
/// entry with that id would make the next build fail, so `rally new` stops here instead.
fn existing(root: &Path, collection: Collection, rel_dir: &Path, id: &str) -> Option<Diagnostic> {
    let what = collection.singular();
    let message = format!("a {what} with id `{id}` already exists");
    let title = match collection {
        Collection::Partners => "name",
        _ => "title",
    };
    for rel in [
        rel_dir.join(format!("{id}.md")),
        rel_dir.join(id).join("index.md"),
    ] {
        if root.join(&rel).exists() {
            let rel = rel.to_string_lossy().replace('\\', "/");
            return Some(Diagnostic::error(message).in_file(&rel).help(format!(
                "rally never overwrites a file: edit {rel}, or choose another {title} \
                 (the file name is made from it)"
            )));
        }
    }
    if collection != Collection::Partners {
        return None;
    }
    PARTNER_LISTS.iter().find_map(|rel| {
        let text = fs::read_to_string(root.join(rel)).ok()?;
        let file = crate::source::SourceText::new(*rel, text.into());
        let span = crate::content::find_list_row(&file, id)?;
        Some(
            Diagnostic::error(message.clone())
                .at(rel, &file.text, span)
                .help(
                    "the partner is already listed here: edit this row to change it, or, for a \
                     different organisation, choose another name (the id is made from the name)",
                ),
        )
    })
}

/// A skeleton file of `rally init`: made, or left as it was because something was there.
#[derive(Debug, PartialEq, Eq)]
pub enum Written {
    Created(PathBuf),
    Kept(PathBuf),
}

/// Creates a new site skeleton in `dir`. Into a folder with files only with `force`, and then
/// every file already there is kept as it is, never overwritten.
pub fn init(dir: &Path, today: Date, force: bool) -> Result<Vec<Written>, Diagnostic> {
    if !force
        && dir.exists()
        && fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(
            Diagnostic::error(format!("{} exists and is not empty", dir.display())).help(format!(
                "rally init creates a new site in an empty or new folder, so that nothing is \
                 overwritten. To add the missing files of a site to this folder, keeping every \
                 file already there as it is, run `rally init --force {}`",
                dir.display()
            )),
        );
    }
    let files: Vec<(&str, String)> = vec![
        (
            "site.yaml",
            "title: \"My campaign\"\n\
             base_url: \"https://example.org/\"\n\
             description: \"What the campaign is about, in one sentence.\"\n\
             # language: en\n\
             # theme: campaign\n\
             # stories_per_page: 10\n"
                .to_string(),
        ),
        (
            "content/stories/welcome.md",
            format!(
                "---\ntitle: \"Welcome\"\ndate: {today}\nsummary: \"The first story of the site.\"\ntags: [campaign]\nresolutions: [example-resolution]\npartners: [example-partner]\n---\n\n\
                 This story cites [an example resolution](@/resolutions/example-resolution.md) and\n\
                 [an example partner](@/partners/example-partner.md).\n"
            ),
        ),
        (
            "content/resolutions/example-resolution.md",
            "---\ntitle: \"Example resolution\"\nbody: \"UN General Assembly\"\nadopted: 2016-09-19\nkind: resolution\n---\n\nWhat the resolution says.\n".to_string(),
        ),
        (
            "content/partners/example-partner.md",
            "---\nname: \"Example Partner\"\ntype: ngo\nregion: global\nroles: [campaign-supporter]\ndescription: \"An organisation supporting the campaign.\"\n---\n\nAbout the organisation.\n".to_string(),
        ),
        (
            "content/about.md",
            "---\ntitle: \"About\"\ndescription: \"About the campaign.\"\nmenu_weight: 10\n---\n\nAbout the campaign.\n".to_string(),
        ),
        (".gitignore", "/public/\n/.rally-cache/\n".to_string()),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        // Anything at that name (a file, a folder, a link) is the writer's: kept.
        if path.symlink_metadata().is_ok() {
            written.push(Written::Kept(path));
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(format!("cannot create {}: {e}", parent.display()))
            })?;
        }
        written.push(match create_new(&path, &text)? {
            true => Written::Created(path),
            false => Written::Kept(path),
        });
    }
    Ok(written)
}

/// Writes a new file at `path`; `false` if one appeared there meanwhile (it is not replaced).
fn create_new(path: &Path, text: &str) -> Result<bool, Diagnostic> {
    use std::io::Write;
    let cannot =
        |e: std::io::Error| Diagnostic::error(format!("cannot create {}: {e}", path.display()));
    let mut f = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(cannot(e)),
    };
    f.write_all(text.as_bytes()).map_err(cannot)?;
    Ok(true)
}
