//! rally's integration tests, as one test binary (as just and ripgrep do): each module builds
//! small fixture sites in temporary folders with the harness in `support` and runs the real
//! `rally` binary on them, or drives the library, the dev server or a real browser.

mod support;

mod browser;
mod build;
mod causes;
mod check;
mod cli;
mod cms_config;
mod commonmark;
mod editing;
mod editor;
mod embeds;
mod errors;
mod escaping;
mod feeds;
mod footer;
mod forms;
mod fuzz_regressions;
mod guide;
mod hostile;
mod hosting;
mod illustrations;
mod images;
mod incremental;
mod languages;
mod map;
mod markdown;
mod open_data;
mod safety;
mod search;
mod serve;
mod share_cards;
mod site_content;
mod strings;
mod structured_data;
mod theme;
mod translating;
