//! The `paginator` of story list pages: their items and a window of page numbers.

use tera::Value;

use super::obj::{Obj, list};
use crate::link::Site;

/// The items on page `n` (from 1) of a list of `per` items a page.
pub(super) fn on_page<T>(items: &[T], n: usize, per: usize) -> &[T] {
    let start = ((n - 1) * per).min(items.len());
    &items[start..start.saturating_add(per).min(items.len())]
}

/// The `paginator` of a story list page.
pub(super) fn paginator(
    site: &Site,
    items: Vec<Value>,
    n: usize,
    total_pages: usize,
    total_items: usize,
    path: &dyn Fn(usize) -> String,
) -> Value {
    Obj::new()
        .set("items", list(items))
        .set("number", n)
        .set("total_pages", total_pages)
        .set("total_items", total_items)
        .opt("prev_url", (n > 1).then(|| site.url(&path(n - 1))))
        .opt(
            "next_url",
            (n < total_pages).then(|| site.url(&path(n + 1))),
        )
        .set(
            "pages",
            list(
                page_window(n, total_pages)
                    .into_iter()
                    .map(|(k, gap_before)| {
                        Obj::new()
                            .set("number", k)
                            .set("url", site.url(&path(k)))
                            .set("gap_before", gap_before)
                            .build()
                    }),
            ),
        )
        .build()
}

/// The page numbers a pagination bar shows: the first, the last, and three on each side of
/// the current one, each marked when numbers were skipped before it. Listing every page made
/// each list page's size grow with the number of pages (quadratic output); so did looking at
/// every page number to choose (quadratic time: 5,000 list pages at 50,000 stories).
fn page_window(n: usize, total: usize) -> Vec<(usize, bool)> {
    let near = n.saturating_sub(3).max(1)..=(n + 3).min(total);
    let mut numbers: Vec<usize> = std::iter::once(1)
        .chain(near)
        .chain(std::iter::once(total))
        .filter(|&k| (1..=total).contains(&k))
        .collect();
    numbers.dedup();
    let mut last = 0;
    numbers
        .into_iter()
        .map(|k| {
            let gap = last != 0 && k != last + 1;
            last = k;
            (k, gap)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_shows_a_window_of_pages() {
        assert_eq!(page_window(1, 1), [(1, false)]);
        assert_eq!(page_window(1, 3), [(1, false), (2, false), (3, false)]);
        let w = page_window(50, 100);
        let numbers: Vec<usize> = w.iter().map(|p| p.0).collect();
        assert_eq!(numbers, [1, 47, 48, 49, 50, 51, 52, 53, 100]);
        assert!(w[1].1 && !w[2].1 && w[8].1);
        // Every window against the rule it implements, near both ends and in the middle.
        for total in 1..30usize {
            for n in 1..=total {
                let rule: Vec<(usize, bool)> = (1..=total)
                    .filter(|&k| k == 1 || k == total || k.abs_diff(n) <= 3)
                    .scan(0, |last, k| {
                        let gap = *last != 0 && k != *last + 1;
                        *last = k;
                        Some((k, gap))
                    })
                    .collect();
                assert_eq!(page_window(n, total), rule, "page {n} of {total}");
            }
        }
    }
}
