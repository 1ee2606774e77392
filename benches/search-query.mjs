// A first search: what a phone downloads to get the first result of a query. Serves the
// built site (tests/browser/lib.mjs's static server: no compression, as the worst static
// host), opens the search page in headless Chromium at 390 px, waits for Pagefind to be
// ready, types the query and waits for the first result and the status line; sums the bytes
// of every response (the page worker's included), split into the page with its CSS, JS and
// fonts and the search files (/pagefind/…), and times the first result from the keypress.
//
//   node benches/search-query.mjs PUBLIC_DIR /search/ QUERY
//
// Run by `cargo bench --bench search -- --query` (docs/performance.md, "Search").

import { launch, serveStatic } from "../tests/browser/lib.mjs";

const [root, pagePath = "/search/", query = "detention"] = process.argv.slice(2);
const server = await serveStatic(root);
const browser = await launch();
let failed = false;
try {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    isMobile: true,
  });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  // Every response's body, as it arrives: whether it came before the query was typed.
  let typing = false;
  const got = [];
  context.on("response", (r) => {
    const phase = typing ? "query" : "open";
    got.push(
      (async () => {
        const url = new URL(r.url());
        let bytes;
        try {
          bytes = (await r.body()).length;
        } catch {
          // A redirect has no body.
          bytes = Number(r.headers()["content-length"] || 0);
        }
        return { path: url.pathname, type: r.headers()["content-type"] || "", bytes, phase };
      })(),
    );
  });
  await page.goto(server.url + pagePath, { waitUntil: "load" });
  // Pagefind ready: the page clears its "loading" status once `pagefind.init()` is done.
  await page.waitForFunction(
    () => document.querySelector("[data-search-status]").textContent === "",
    null,
    { timeout: 30000 },
  );
  await page.waitForLoadState("networkidle");
  await page.evaluate(() => {
    window.__keys = [];
    document.addEventListener("keydown", () => window.__keys.push(performance.now()), true);
    const list = document.querySelector("#search-results");
    new MutationObserver(() => {
      if (window.__first === undefined && list.querySelector("h2 a")) window.__first = performance.now();
    }).observe(list, { childList: true, subtree: true });
  });
  await page.locator("#search-q").click();
  typing = true;
  // Faster than the page's 120 ms pause for typing: one search, for the whole word.
  await page.keyboard.type(query, { delay: 50 });
  await page.waitForFunction(
    () =>
      document.querySelector("#search-results h2 a") &&
      document.querySelector("[data-search-status]").textContent.trim() !== "",
    null,
    { timeout: 30000 },
  );
  await page.waitForTimeout(500);
  const timing = await page.evaluate(() => ({
    first: window.__first,
    keys: window.__keys,
    status: document.querySelector("[data-search-status]").textContent.trim(),
    results: document.querySelectorAll("#search-results h2 a").length,
  }));
  const responses = await Promise.all(got);
  const kib = (n) => (n / 1024).toFixed(1) + " KiB";
  const sum = (list) => list.reduce((s, r) => s + r.bytes, 0);
  const search = responses.filter((r) => r.path.includes("/pagefind/"));
  const own = responses.filter((r) => !r.path.includes("/pagefind/"));
  const kindOf = (r) => {
    const p = r.path;
    if (p.endsWith("/") || p.endsWith(".html")) return "html";
    const ext = p.split(".").pop();
    return ext === "woff2" ? "font" : ext;
  };
  const byKind = (list, kind) => {
    const m = {};
    for (const r of list) {
      const k = kind(r);
      m[k] = m[k] || [0, 0];
      m[k][0] += r.bytes;
      m[k][1] += 1;
    }
    return Object.entries(m)
      .sort((a, b) => b[1][0] - a[1][0])
      .map(([k, [b, n]]) => `${k} ${kib(b)}${n > 1 ? ` (${n})` : ""}`)
      .join(", ");
  };
  const searchKind = (r) => {
    const p = r.path.slice(r.path.indexOf("/pagefind/") + "/pagefind/".length);
    if (p.startsWith("fragment/")) return "fragments";
    if (p.startsWith("index/")) return "index chunks";
    if (p.startsWith("filter/")) return "filters";
    if (p.endsWith(".pf_meta")) return "pf_meta";
    if (p.startsWith("wasm.")) return "wasm";
    return p;
  };
  const total = sum(responses);
  console.log(`query "${query}" on ${pagePath} (390 px; served uncompressed by tests/browser/lib.mjs):`);
  console.log(`  the page with its CSS, JS and fonts: ${kib(sum(own))} in ${own.length} responses: ${byKind(own, kindOf)}`);
  console.log(`  search files (/pagefind/): ${kib(sum(search))} in ${search.length} responses`);
  for (const phase of ["open", "query"]) {
    const list = search.filter((r) => r.phase === phase);
    const label = phase === "open" ? "on opening (before typing)" : "for the query";
    console.log(`    ${label}: ${kib(sum(list))}: ${byKind(list, searchKind) || "none"}`);
  }
  console.log(`  in all: ${kib(total)}`);
  const last = timing.keys[timing.keys.length - 1];
  if (timing.first === undefined || last === undefined) {
    console.log("  time to first result: not measured");
    failed = true;
  } else {
    console.log(
      `  first result ${(timing.first - last).toFixed(0)} ms after the last keypress ` +
        `(${(timing.first - timing.keys[0]).toFixed(0)} ms after the first of ${timing.keys.length}, typed 50 ms apart; ` +
        `includes the page's 120 ms pause for typing); ${timing.results} results shown; status: "${timing.status}"`,
    );
  }
  if (problems.length) {
    console.log(`  script errors: ${problems.join(" | ")}`);
    failed = true;
  }
  await context.close();
} catch (e) {
  console.log(`ERROR ${e && e.stack ? e.stack : e}`);
  failed = true;
} finally {
  await browser.close();
  await server.close();
}
process.exitCode = failed ? 1 : 0;
