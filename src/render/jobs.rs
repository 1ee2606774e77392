//! Which pages the site has: one [`Job`] per page, with its output path, its template and what
//! its own values are made of.

use tera::Tera;

use super::data::DataFile;
use super::feed::{self, FeedOf, Format};
use super::pagination::on_page;
use super::values::ValueHashes;
use crate::link::{Site, hash_one};
use crate::routes::{self, PAGE_FILE};

/// One page of the site.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Job {
    Home,
    NotFound,
    StoriesIndex(usize),
    ResolutionsIndex,
    PartnersIndex,
    TagsIndex,
    /// A tag and the page number of its story list.
    Tag(usize, usize),
    Story(usize),
    Resolution(usize),
    Partner(usize),
    Page(usize),
    /// The search page, when the theme has one.
    Search,
    /// One file made by one template (template, output path): the stories' feeds, the
    /// sitemap.
    File(&'static str, &'static str),
    /// A tag's or the resolutions' feed (see `feed.rs`).
    Feed(FeedOf, Format),
    /// For a sitemap longer than one file may be (see `sitemap.rs`): `sitemap.xml` as the
    /// index of its parts, and part `n` (from 1).
    SitemapIndex,
    SitemapPart(usize),
    /// A file of open data, written by rally itself (see `data.rs`).
    Data(DataFile),
}

impl Job {
    /// Output path, without building the context.
    pub(super) fn out(&self, site: &Site) -> String {
        let mut s = String::new();
        self.write_out(site, &mut s);
        s
    }

    /// Writes the output path into `buf` (cleared first): pages reused from the memo are
    /// looked up without allocating.
    pub(super) fn write_out(&self, site: &Site, buf: &mut String) {
        use std::fmt::Write;
        buf.clear();
        let p = site.prefix();
        let _ = match *self {
            Job::Home => write!(buf, "{p}{}{PAGE_FILE}", routes::HOME),
            Job::NotFound => write!(buf, "{p}{}", routes::NOT_FOUND),
            Job::StoriesIndex(n) => write!(buf, "{}{PAGE_FILE}", routes::stories(p, n)),
            Job::ResolutionsIndex => write!(buf, "{p}{}{PAGE_FILE}", routes::RESOLUTIONS),
            Job::PartnersIndex => write!(buf, "{p}{}{PAGE_FILE}", routes::PARTNERS),
            Job::TagsIndex => write!(buf, "{p}{}{PAGE_FILE}", routes::TAGS),
            Job::Search => write!(buf, "{p}{}{PAGE_FILE}", routes::SEARCH),
            Job::Tag(i, n) => write!(buf, "{}{PAGE_FILE}", routes::tag(p, &site.tags[i].slug, n)),
            Job::Story(i) => write!(buf, "{}{PAGE_FILE}", site.stories[i].path),
            Job::Resolution(i) => write!(buf, "{}{PAGE_FILE}", site.resolutions[i].path),
            Job::Partner(i) => write!(buf, "{}{PAGE_FILE}", site.partners[i].path),
            Job::Page(i) => write!(buf, "{}{PAGE_FILE}", site.pages[i].path),
            Job::File(_, out) => write!(buf, "{p}{out}"),
            Job::Feed(of, format) => buf.write_str(&feed::out(site, of, format)),
            Job::SitemapIndex => write!(buf, "{p}{}", routes::SITEMAP),
            Job::SitemapPart(n) => buf.write_str(&routes::sitemap_part(p, n)),
            Job::Data(file) => write!(buf, "{p}{}", file.out()),
        };
    }

    /// The content file this page shows, for the dev server's "Edit this page" link.
    pub(super) fn source<'a>(&self, site: &'a Site) -> Option<&'a str> {
        match *self {
            Job::Story(i) => Some(&site.stories[i].doc.file.path),
            Job::Resolution(i) => Some(&site.resolutions[i].doc.file.path),
            Job::Partner(i) => Some(&site.partners[i].doc.file.path),
            Job::Page(i) => Some(&site.pages[i].doc.file.path),
            _ => None,
        }
    }

    /// The template that renders this page.
    pub(super) fn template<'a>(&self, site: &'a Site) -> &'a str {
        match *self {
            Job::Home => "index.html",
            Job::NotFound => "404.html",
            Job::StoriesIndex(_) => "stories.html",
            Job::ResolutionsIndex => "resolutions.html",
            Job::PartnersIndex => "partners.html",
            Job::TagsIndex => "tags.html",
            Job::Search => crate::search::TEMPLATE,
            Job::Tag(..) => "tag.html",
            Job::Story(_) => "story.html",
            Job::Resolution(_) => "resolution.html",
            Job::Partner(_) => "partner.html",
            Job::Page(i) => site.pages[i]
                .doc
                .meta
                .template
                .as_deref()
                .unwrap_or("page.html"),
            Job::File(name, _) => name,
            Job::Feed(of, format) => feed::template(of, format),
            Job::SitemapIndex => super::sitemap::INDEX_TEMPLATE,
            Job::SitemapPart(_) => super::sitemap::TEMPLATE,
            // No template: a name for the profile and for what a page's fingerprint holds.
            Job::Data(file) => file.out(),
        }
    }

    /// A hash of the page-specific values this job's context holds (globals are added by the
    /// caller, per template).
    pub(super) fn inputs(&self, site: &Site, h: &ValueHashes) -> u64 {
        match *self {
            Job::Story(i) => hash_one(&(
                h.stories[i],
                h.stories.get(i + 1),
                i.checked_sub(1).map(|j| h.stories[j]),
            )),
            Job::Resolution(i) => h.resolutions[i],
            Job::Partner(i) => h.partners[i],
            Job::Page(i) => h.pages[i],
            Job::Tag(i, n) => {
                let per = site.config.stories_per_page;
                let t = &site.tags[i];
                let items: Vec<u64> = on_page(&t.stories, n, per)
                    .iter()
                    .map(|&s| h.stories[s])
                    .collect();
                hash_one(&(h.tags[i], n, site.tag_pages(t), items))
            }
            Job::StoriesIndex(n) => {
                let per = site.config.stories_per_page;
                let items = on_page(&h.stories, n, per);
                hash_one(&(n, site.story_pages, site.stories.len(), items))
            }
            Job::ResolutionsIndex => hash_one(&h.resolutions),
            Job::PartnersIndex => hash_one(&h.partners),
            Job::TagsIndex => hash_one(&h.tags),
            Job::Home => {
                let (featured, latest) = home_lists(site);
                let pick = |ids: &[usize]| ids.iter().map(|&i| h.stories[i]).collect::<Vec<_>>();
                hash_one(&(pick(&featured), pick(&latest)))
            }
            Job::Feed(of, _) => feed::inputs(site, of, h),
            // A part is cut from the `sitemap` global, which its template reads.
            Job::SitemapPart(n) => n as u64,
            Job::SitemapIndex => super::sitemap::index_inputs(site),
            Job::Data(file) => file.inputs(site, h),
            Job::NotFound | Job::Search | Job::File(..) => 0,
        }
    }

    pub(super) fn describe(&self, site: &Site) -> String {
        match *self {
            Job::Story(i) => site.stories[i].doc.file.path.clone(),
            Job::Resolution(i) => site.resolutions[i].doc.file.path.clone(),
            Job::Partner(i) => site.partners[i].doc.file.path.clone(),
            Job::Page(i) => site.pages[i].doc.file.path.clone(),
            Job::Tag(i, n) => format!("page {n} of the tag `{}`", site.tags[i].name),
            Job::StoriesIndex(n) => format!("page {n} of the stories list"),
            Job::Home => "the home page".into(),
            Job::NotFound => "the not-found page".into(),
            Job::ResolutionsIndex => "the resolutions list".into(),
            Job::PartnersIndex => "the partners directory".into(),
            Job::TagsIndex => "the tags list".into(),
            Job::Search => "the search page".into(),
            Job::File(name, _) => name.to_string(),
            Job::Feed(of, format) => feed::describe(site, of, format),
            Job::SitemapIndex => "the sitemap index".into(),
            Job::SitemapPart(n) => format!("part {n} of the sitemap"),
            Job::Data(file) => format!("the open data file {}", file.out()),
        }
    }
}

/// An output family: adds the jobs of one kind of output (see [`super::FAMILIES`]).
pub(super) type Family = fn(&Site, &Tera, &mut Vec<Job>);

/// Every output of the site, family by family, in a fixed order.
pub(super) fn all(site: &Site, tera: &Tera) -> Vec<Job> {
    let mut jobs = Vec::new();
    for family in super::FAMILIES {
        family(site, tera, &mut jobs);
    }
    jobs
}

/// The list pages: home, not-found, the section lists, the story list's and each tag's pages.
pub(super) fn list_pages(site: &Site, _: &Tera, jobs: &mut Vec<Job>) {
    jobs.extend([
        Job::Home,
        Job::NotFound,
        Job::ResolutionsIndex,
        Job::PartnersIndex,
        Job::TagsIndex,
    ]);
    jobs.extend((1..=site.story_pages).map(Job::StoriesIndex));
    for (i, t) in site.tags.iter().enumerate() {
        jobs.extend((1..=site.tag_pages(t)).map(|n| Job::Tag(i, n)));
    }
}

/// A page for every story, resolution, partner and plain page of this language (not for
/// the default language's entries it shows in their stead).
pub(super) fn entry_pages(site: &Site, _: &Tera, jobs: &mut Vec<Job>) {
    let own = |code: Option<&str>| code == site.lang_code();
    jobs.extend((0..site.stories.len()).map(Job::Story));
    jobs.extend(
        (0..site.resolutions.len())
            .filter(|&i| own(site.resolutions[i].doc.lang()))
            .map(Job::Resolution),
    );
    jobs.extend(
        (0..site.partners.len())
            .filter(|&i| own(site.partners[i].doc.lang()))
            .map(Job::Partner),
    );
    jobs.extend(
        (0..site.pages.len())
            .filter(|&i| own(site.pages[i].doc.lang()))
            .map(Job::Page),
    );
}

/// The search page, in each language, when the theme has its template (the index is
/// [`crate::search`]'s).
pub(super) fn search_page(_: &Site, tera: &Tera, jobs: &mut Vec<Job>) {
    if has_template(tera, crate::search::TEMPLATE) {
        jobs.push(Job::Search);
    }
}

pub(super) fn has_template(tera: &Tera, template: &str) -> bool {
    tera.get_template_names()
        .any(|n| n == template || n == format!("theme/{template}"))
}

/// A file made by one template (`template`, at `out`), when the theme has that template: the
/// way of the feed and the sitemap, and of any one-file output to come.
pub(super) fn one_file(
    tera: &Tera,
    template: &'static str,
    out: &'static str,
    jobs: &mut Vec<Job>,
) {
    if has_template(tera, template) {
        jobs.push(Job::File(template, out));
    }
}

/// The home page's story lists: every featured story, and the newest others up to
/// `home_stories` (both newest first), so the template need not scan every story.
pub(super) fn home_lists(site: &Site) -> (Vec<usize>, Vec<usize>) {
    let featured = (0..site.stories.len())
        .filter(|&i| site.stories[i].doc.meta.featured)
        .collect();
    let latest = (0..site.stories.len())
        .filter(|&i| !site.stories[i].doc.meta.featured)
        .take(site.config.home_stories)
        .collect();
    (featured, latest)
}
