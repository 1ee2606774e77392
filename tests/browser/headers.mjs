// The built site under its own `_headers`, served as Netlify or Cloudflare Pages would: every
// page listed loads its fingerprinted stylesheet (cached for a year) and its scripts, runs
// them, and the browser reports no Content-Security-Policy violation, no script error. An
// old address (an alias) leads to its entry.
//
//   node headers.mjs SITE_DIR PAGES_JSON ALIAS_JSON
//   PAGES_JSON: ["/", "/stories/…/", …]; ALIAS_JSON: {"from": "/old/", "to": "/stories/…/"}
import { launch, serveStatic, Checks, run } from "./lib.mjs";

const response404 = (text) => text.includes("status of 404");

run(async () => {
  const [root, pagesJson, aliasJson] = process.argv.slice(2);
  const pages = JSON.parse(pagesJson);
  const alias = JSON.parse(aliasJson);
  const checks = new Checks("headers");
  const server = await serveStatic(root);
  const all = server.rules.find((r) => r.path === "/*");
  checks.ok(all, "_headers has a rule for every address");
  const browser = await launch();
  try {
    for (const url of pages) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      await page.addInitScript(() => {
        window.__violations = [];
        document.addEventListener("securitypolicyviolation", (e) =>
          window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
        );
      });
      const problems = [];
      page.on("console", (m) => {
        // The not-found page is served with status 404, which Chromium logs.
        if (m.type() === "error" && !(response404(m.text()) && url === "/no-such-page/")) problems.push(m.text());
      });
      page.on("pageerror", (e) => problems.push(String(e)));
      const css = [];
      page.on("response", (r) => {
        if (r.url().endsWith(".css")) css.push({ url: new URL(r.url()).pathname, cache: r.headers()["cache-control"] || "" });
      });
      const response = await page.goto(server.url + url, { waitUntil: "load" });
      const h = response.headers();
      checks.ok((h["content-security-policy"] || "").startsWith("default-src 'self'"), `${url}: CSP sent`);
      checks.eq(h["x-content-type-options"], "nosniff", `${url}: nosniff`);
      checks.ok(css.length === 1 && /\/css\/site\.[0-9a-f]{12}\.css$/.test(css[0].url), `${url}: the fingerprinted stylesheet (${JSON.stringify(css)})`);
      checks.ok(css.length === 1 && css[0].cache.includes("immutable"), `${url}: the stylesheet is cached for a year`);
      // The stylesheet applies, and site.js ran (it gives printed links their full address).
      const state = await page.evaluate(() => ({
        styled: getComputedStyle(document.querySelector(".skip-link")).position,
        inline: document.documentElement.classList.contains("js-nav"),
        siteJs: document.querySelectorAll("[data-href]").length,
        hasProseLinks: document.querySelectorAll(".prose a[href^='/'], .ref-list a[href], .facts a[href]").length,
      }));
      checks.eq(state.styled, "absolute", `${url}: the stylesheet applies`);
      checks.ok(state.inline, `${url}: the inline script ran (allowed by its digest)`);
      if (state.hasProseLinks) checks.ok(state.siteJs > 0, `${url}: site.js ran`);
      if (url.startsWith("/search/")) {
        const found = await page
          .waitForFunction(() => document.querySelectorAll("#search-results h2 a").length, null, { timeout: 15000 })
          .then(() => true)
          .catch(() => false);
        checks.ok(found, `${url}: search results appear`);
      }
      await page.waitForTimeout(200);
      const violations = await page.evaluate(() => window.__violations);
      checks.eq(violations, [], `${url}: no CSP violation`);
      checks.eq(problems, [], `${url}: no script error`);
      await context.close();
    }
    // The old address sends the visitor on.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url + alias.from);
    await page.waitForURL((u) => u.pathname === alias.to, { timeout: 10000 }).catch(() => {});
    checks.eq(new URL(page.url()).pathname, alias.to, `${alias.from} leads to its entry`);
    await context.close();
  } finally {
    await browser.close();
    await server.close();
  }
  checks.eq(server.cspReports, [], "no CSP violation reported to the server");
  checks.report();
});
