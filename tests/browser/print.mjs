// Printing a story and a resolution, in Chromium's print media: no menu, search, language
// links or footer; the page's own address at its end; each link of the text followed by its
// full address (the official text's too); key paragraphs and list items not split across
// pages; no sheet is spent on the footer.
//
//   node print.mjs SITE_DIR PAGES_JSON [PDF_DIR]
//   PAGES_JSON: ["/stories/…/", "/resolutions/…/"]
import fs from "node:fs";
import path from "node:path";
import { launch, serveStatic, Checks, run } from "./lib.mjs";

run(async () => {
  const [root, pagesJson, pdfDir] = process.argv.slice(2);
  const pages = JSON.parse(pagesJson);
  const checks = new Checks("print");
  const server = await serveStatic(root);
  const browser = await launch();
  try {
    for (const url of pages) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(server.url + url, { waitUntil: "load" });
      await page.emulateMedia({ media: "print" });
      const seen = await page.evaluate(() => {
        const shown = (sel) =>
          [...document.querySelectorAll(sel)].some((e) => getComputedStyle(e).display !== "none");
        const after = (a) => getComputedStyle(a, "::after").content;
        const textLinks = [...document.querySelectorAll(".prose a[href], .ref-list a[href], .facts a[href]")]
          .filter((a) => !a.getAttribute("href").startsWith("#") && getComputedStyle(a).display !== "none");
        const official = document.querySelector(".page-head a.button[href]");
        return {
          menu: shown(".site-nav"),
          search: shown(".header-search"),
          languages: shown(".lang-switch"),
          footer: shown(".site-footer"),
          share: shown(".share"),
          source: (document.querySelector(".print-source") || {}).textContent || "",
          sourceShown: shown(".print-source"),
          canonical: document.querySelector("link[rel=canonical]").href,
          links: textLinks.length,
          absolute: textLinks.filter((a) => after(a).includes(a.href)).length,
          missing: textLinks.filter((a) => !after(a).includes(a.href)).map((a) => a.href).slice(0, 3),
          official: official ? { href: official.href, after: after(official) } : null,
          unsplit: [...document.querySelectorAll(".para-list li, .ref-list li")].every(
            (li) => getComputedStyle(li).breakInside === "avoid",
          ),
        };
      });
      checks.eq([seen.menu, seen.search, seen.languages, seen.footer, seen.share], [false, false, false, false, false], `${url}: no menu, search, language links, footer or share buttons in print`);
      checks.ok(seen.sourceShown && seen.source.trim() === seen.canonical, `${url}: the page's address is printed (${seen.source})`);
      checks.ok(seen.links > 0 && seen.absolute === seen.links, `${url}: every link of the text shows its full address (${seen.absolute} of ${seen.links}; not: ${seen.missing})`);
      checks.ok(seen.unsplit, `${url}: list items are not split across pages`);
      if (url.startsWith("/resolutions/")) {
        checks.ok(seen.official && seen.official.after.includes(seen.official.href), `${url}: the official text's address is printed (${JSON.stringify(seen.official)})`);
      }
      // No page is spent on the footer: without it, the page prints on as many sheets.
      const pages = (pdf) => (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
      const pdf = await page.pdf({ format: "A4" });
      await page.evaluate(() => document.querySelector(".site-footer").remove());
      const without = pages(await page.pdf({ format: "A4" }));
      checks.ok(pages(pdf) >= 1 && pages(pdf) === without, `${url}: prints on ${pages(pdf)} A4 pages, none for the footer (${without} without it)`);
      if (pdfDir) fs.writeFileSync(path.join(pdfDir, url.replaceAll("/", "_") + ".pdf"), pdf);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  checks.report();
});
