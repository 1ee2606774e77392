// Photos in headless Chromium, on a story whose photo is shown at the top and again in its
// text (tests/browser.rs gives the bundled site one):
//  - at 390 px (1x) the phone downloads the 480-pixel WebP copy, at 1280 px a copy of at least
//    1,152 pixels (the picture's width there), and never the largest when a smaller one does;
//  - nothing shifts while pictures load: each picture's box has its final height before its
//    bytes arrive (width and height attributes);
//  - the top photo is loaded at once, the one in the text only when scrolled near.
//
//   node photos.mjs SITE_DIR PAGE_PATH
import { launch, serveStatic, Checks, run } from "./lib.mjs";

run(async () => {
  const [root, pagePath] = process.argv.slice(2);
  const checks = new Checks("photos");
  const server = await serveStatic(root);
  const browser = await launch();
  try {
    for (const [width, min, max] of [
      [390, 480, 480],
      [1280, 1152, 1600],
    ]) {
      const context = await browser.newContext({ viewport: { width, height: 800 }, deviceScaleFactor: 1 });
      const page = await context.newPage();
      const loaded = [];
      page.on("response", (r) => loaded.push(new URL(r.url()).pathname));
      await page.goto(server.url + pagePath, { waitUntil: "load" });
      const hero = await page.evaluate(() => {
        const img = document.querySelector(".story-hero img");
        return img && { src: img.currentSrc, lazy: img.loading, h: img.getBoundingClientRect().height };
      });
      if (!checks.ok(hero, `${width} px: the story's photo is on the page`)) continue;
      const w = Number((hero.src.match(/-(\d+)w\.webp$/) || [])[1] || 0) || (hero.src.endsWith("photo.jpg") ? 1600 : 0);
      checks.ok(hero.src.endsWith(".webp"), `${width} px: the photo is WebP (${hero.src})`);
      checks.ok(w >= min && w <= max, `${width} px: a copy between ${min} and ${max} wide, got ${hero.src}`);
      checks.ok(hero.lazy !== "lazy", `${width} px: the top photo is not lazy`);
      const inText = () =>
        loaded.filter((p) => p.includes("/photo") && p !== new URL(hero.src).pathname);
      checks.eq(inText().length, 0, `${width} px: the photo in the text waits until scrolled near`);
      const box = await page.evaluate(() => {
        const img = document.querySelector(".prose picture img");
        return img && { lazy: img.loading, h: img.getBoundingClientRect().height, w: img.getBoundingClientRect().width };
      });
      if (checks.ok(box, `${width} px: the photo in the text is a <picture>`)) {
        checks.eq(box.lazy, "lazy", `${width} px: the photo in the text is lazy`);
        // Its box has the photo's proportions (3:2) before a byte of it has arrived.
        checks.ok(Math.abs(box.h - (box.w * 2) / 3) < 2, `${width} px: the text's photo reserves its height (${box.w}×${box.h})`);
      }
      await page.evaluate(() => document.querySelector(".prose picture img").scrollIntoView());
      const shown = await page
        .waitForFunction(() => {
          const img = document.querySelector(".prose picture img");
          return img.complete && img.naturalWidth > 0 && img.currentSrc;
        }, null, { timeout: 10000 })
        .then((h) => h.jsonValue())
        .catch(() => null);
      // At 390 px it is the very copy the top photo loaded already.
      checks.ok(shown && shown.endsWith(".webp"), `${width} px: the photo in the text loads once scrolled to (${shown})`);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  checks.report();
});
