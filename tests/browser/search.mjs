// Search in headless Chromium, under the site's own `_headers` (as Netlify or Cloudflare
// Pages would send them): a Content-Security-Policy with scripts from the site only,
// WebAssembly allowed (`'wasm-unsafe-eval'`, which Pagefind needs) and the theme's one inline
// script by its digest:
//  - each case types its query into the search page's field, key by key, and expects the
//    given page as the first result, with the query's words marked in some excerpt;
//  - ArrowDown from the field reaches the first result;
//  - no CSP violation and no script error on any page.
//
//   node search.mjs SITE_DIR CASES_JSON
//   CASES_JSON: [{"page": "/search/", "query": "UNHCR", "first": "/partners/unhcr/"}, …]
import { launch, serveStatic, Checks, run } from "./lib.mjs";

run(async () => {
  const [root, casesJson] = process.argv.slice(2);
  const cases = JSON.parse(casesJson);
  const checks = new Checks("search");
  const server = await serveStatic(root);
  const csp = server.rules.find((r) => r.path === "/*")?.headers["Content-Security-Policy"] || "";
  checks.ok(csp.includes("'wasm-unsafe-eval'") && !csp.includes("unsafe-inline"), `the site's _headers sets a strict CSP: ${csp}`);
  const browser = await launch();
  try {
    for (const c of cases) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      const problems = [];
      page.on("console", (m) => {
        if (m.type() === "error") problems.push(m.text());
      });
      page.on("pageerror", (e) => problems.push(String(e)));
      await page.goto(server.url + c.page, { waitUntil: "load" });
      const field = page.locator("#search-q");
      await field.click();
      await page.keyboard.type(c.query, { delay: 20 });
      const first = await page
        .waitForFunction(
          () => {
            const a = document.querySelector("#search-results h2 a");
            const status = document.querySelector("[data-search-status]").textContent;
            return a && status ? new URL(a.href).pathname : null;
          },
          null,
          { timeout: 15000 },
        )
        .then((h) => h.jsonValue())
        .catch(() => null);
      const label = `${c.page} "${c.query}"`;
      checks.eq(first, c.first, `${label}: the first result`);
      const marked = await page.evaluate(() => document.querySelectorAll("#search-results mark").length);
      checks.ok(marked > 0, `${label}: matched words are marked (${marked})`);
      await field.press("ArrowDown");
      const focused = await page.evaluate(() => {
        const a = document.activeElement;
        return a && a.closest("#search-results") ? new URL(a.href).pathname : null;
      });
      checks.eq(focused, c.first, `${label}: ArrowDown moves to the first result`);
      const url = new URL(page.url());
      checks.eq(url.searchParams.get("q"), c.query, `${label}: the address keeps the query`);
      checks.eq(problems, [], `${label}: no script error or CSP violation`);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  checks.eq(server.cspReports, [], "no CSP violation reported");
  checks.report();
});
