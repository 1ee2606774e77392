// Layout of the campaign theme in headless Chromium: cards in one row of a grid are equally
// tall with their last part (tags) at the bottom, and, before site.js has run, the menu button
// (narrow screens) and the list filters already take their place, so the page does not shift
// when the script shows them (Lighthouse's layout shift on the partners page).
//
//   node layout.mjs SITE_DIR
import { launch, serveStatic, Checks, run } from "./lib.mjs";

/// Per grid on the page: its rows of cards, each card's top, height and the bottom of its
/// last child.
async function rows(page, grid, card) {
  return page.$$eval(
    grid,
    (grids, card) =>
      grids.map((g) => {
        const byTop = new Map();
        for (const li of g.children) {
          const c = li.querySelector(card);
          if (!c) continue;
          const r = c.getBoundingClientRect();
          const body = c.querySelector(".card-body") || c;
          const last = body.lastElementChild;
          const key = Math.round(r.top);
          if (!byTop.has(key)) byTop.set(key, []);
          byTop.get(key).push({
            height: Math.round(r.height),
            bottom: Math.round(r.bottom),
            lastBottom: last ? Math.round(last.getBoundingClientRect().bottom) : null,
          });
        }
        return [...byTop.values()];
      }),
    card,
  );
}

async function cards(browser, base, checks) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  for (const [url, grid, card, lastAtBottom] of [
    ["/", ".card-grid", ".card", true],
    ["/partners/", ".partner-grid", ".partner-card", false],
  ]) {
    await page.goto(base + url);
    const grids = await rows(page, grid, card);
    checks.ok(grids.length > 0, `${url}: no ${grid}`);
    for (const gridRows of grids) {
      for (const cells of gridRows) {
        const heights = cells.map((c) => c.height);
        checks.ok(
          Math.max(...heights) - Math.min(...heights) <= 1,
          `${url}: cards in one row of ${grid} differ in height: ${heights.join(", ")}`,
        );
        if (lastAtBottom && cells.length > 1) {
          // The tags end the same distance above each card's bottom edge.
          const gaps = cells.filter((c) => c.lastBottom !== null).map((c) => c.bottom - c.lastBottom);
          checks.ok(
            Math.max(...gaps) - Math.min(...gaps) <= 1,
            `${url}: the last part of the cards in one row is not at the bottom (gaps ${gaps.join(", ")})`,
          );
        }
      }
    }
  }
  await page.close();
}

async function beforeScripts(browser, base, checks) {
  const context = await browser.newContext({ viewport: { width: 412, height: 823 }, isMobile: true });
  // The inline script in <head> runs; site.js never does: the page as first painted.
  // Published under its digest (site.<hash>.js).
  await context.route("**/js/site*.js", (route) => route.abort());
  const page = await context.newPage();
  for (const url of ["/partners/", "/resolutions/"]) {
    await page.goto(base + url);
    const shown = await page.evaluate(() => {
      const on = (sel) => {
        const el = document.querySelector(sel);
        return !!el && el.getClientRects().length > 0;
      };
      return { js: document.documentElement.classList.contains("js-nav"), toggle: on(".nav-toggle"), filters: on("form.filters") };
    });
    checks.eq(shown, { js: true, toggle: true, filters: true }, `${url} before site.js runs (menu button and filters shown)`);
  }
  await context.close();
}

run(async () => {
  const root = process.argv[2];
  if (!root) throw new Error("usage: node layout.mjs SITE_DIR");
  const server = await serveStatic(root);
  const browser = await launch();
  const checks = new Checks("layout");
  try {
    await cards(browser, server.url, checks);
    await beforeScripts(browser, server.url, checks);
  } finally {
    await browser.close();
    await server.close();
  }
  checks.report();
});
