// axe-core in headless Chromium: no WCAG 2.1 A/AA violations on the main kinds of page, at a
// desktop and a phone width.
//
//   node axe.mjs SITE_DIR [PATH ...]
//
// Without paths it checks the home page, a story and a partner page (the first in their
// lists with an image, else the first), the resolutions timeline and the partner directory.
import { createRequire } from "node:module";
import { launch, serveStatic, Checks, run } from "./lib.mjs";

const require = createRequire(import.meta.url);
const axeSource = require("axe-core").source;

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const WIDTHS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    TAGS,
  );
}

/// The first link on `listPath` whose path matches `re`, preferring one whose card (its
/// closest `li` or `article`) has an image, as pages with images exercise more of a template.
async function firstLink(page, base, listPath, re) {
  await page.goto(base + listPath);
  const links = await page.$$eval("main a[href]", (as) =>
    as.map((a) => {
      const card = a.closest("li, article");
      return { path: new URL(a.href).pathname, image: !!(card && card.querySelector("img")) };
    }),
  );
  const matching = links.filter((l) => re.test(l.path));
  if (!matching.length) throw new Error(`no link matching ${re} on ${listPath}`);
  return (matching.find((l) => l.image) || matching[0]).path;
}

function describe(v) {
  const nodes = v.nodes
    .slice(0, 8)
    .map((n) => `      at ${n.target.join(" ")}: ${n.html.replace(/\s+/g, " ").slice(0, 160)}\n        ${(n.failureSummary || "").replace(/\s+/g, " ").slice(0, 300)}`)
    .join("\n");
  const more = v.nodes.length > 8 ? `\n      ... and ${v.nodes.length - 8} more` : "";
  return `${v.id} (${v.impact}): ${v.help} [${v.helpUrl}]\n${nodes}${more}`;
}

run(async () => {
  const [siteDir, ...given] = process.argv.slice(2);
  if (!siteDir) throw new Error("usage: node axe.mjs SITE_DIR [PATH ...]");
  const checks = new Checks("axe");
  const server = await serveStatic(siteDir);
  const browser = await launch();
  try {
    // The check itself must be able to fail: axe has to find the problems of a bad page.
    {
      const page = await browser.newPage();
      await page.setContent('<!doctype html><html><title>canary</title><body><img src="x.png"><a href="/"></a></body></html>');
      const r = await axe(page);
      const ids = r.violations.map((v) => v.id).sort();
      checks.ok(ids.includes("image-alt") && ids.includes("link-name") && ids.includes("html-has-lang"),
        `axe did not report the canary page's known violations (got ${ids.join(", ") || "none"})`);
      await page.close();
    }

    let paths = given;
    if (!paths.length) {
      const page = await browser.newPage();
      const story = await firstLink(page, server.url, "/stories/", /^\/stories\/(?!page\/)[^/]+\/$/);
      const partner = await firstLink(page, server.url, "/partners/", /^\/partners\/[^/]+\/$/);
      // The translated pages too: each language's home, a story in Arabic (right to
      // left) and in Spanish, and a list that mixes a language with the default one.
      const translated = [];
      for (const lang of ["es", "fr", "ar"]) {
        const home = await page.goto(`${server.url}/${lang}/`);
        if (!home || !home.ok()) continue;
        translated.push(`/${lang}/`);
        const s = await firstLink(page, server.url, `/${lang}/stories/`, new RegExp(`^/${lang}/stories/(?!page/)[^/]+/$`)).catch(() => null);
        if (s && lang !== "fr") translated.push(s);
      }
      if (translated.length) translated.push("/ar/resolutions/", "/es/take-action/");
      await page.close();
      // The search page with results shown (they come from the index after load).
      const searches = ["/search/?q=detention"];
      if (translated.includes("/ar/")) searches.push("/ar/search/?q=" + encodeURIComponent("احتجاز"));
      paths = ["/", story, "/resolutions/", "/partners/", partner, ...searches, ...translated];
    }

    for (const viewport of WIDTHS) {
      // axe is injected as an inline script, which the site's own CSP (served from _headers) blocks.
      const context = await browser.newContext({ viewport, bypassCSP: true });
      const page = await context.newPage();
      const pageErrors = [];
      page.on("pageerror", (e) => pageErrors.push(e.message));
      for (const p of paths) {
        const resp = await page.goto(server.url + p, { waitUntil: "load" });
        checks.eq(resp && resp.status(), 200, `${p} status`);
        if (p.includes("search/?q=")) {
          const shown = await page
            .waitForSelector("#search-results li", { timeout: 15000 })
            .then(() => true, () => false);
          checks.ok(shown, `${p}: results shown`);
        }
        const r = await axe(page);
        console.log(`${p} @${viewport.width}px: ${r.violations.length} violation(s), ${r.passes ? r.passes.length : "-"} rules passed`);
        for (const v of r.violations) checks.fail(`${p} @${viewport.width}px: ${describe(v)}`);
        if (!r.violations.length) checks.ok(true);
      }
      for (const e of pageErrors) checks.fail(`JavaScript error @${viewport.width}px: ${e}`);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  checks.report();
});
