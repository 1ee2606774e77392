// `rally serve`'s live reload in headless Chromium: a story open in the browser follows edits
// of its Markdown file by itself (keeping the scroll position), shows the error overlay while
// the file is broken and drops it once fixed, and swaps the stylesheet in place when the
// theme CSS changes.
//
//   node livereload.mjs SERVER_URL SITE_ROOT STORY_FILE CSS_FILE
//
// SITE_ROOT is the (throw-away) site folder the server serves; STORY_FILE
// (content/stories/<id>.md or content/stories/<id>/index.md) and CSS_FILE are relative to it.
// This script edits those files. Each step waits at most WAIT ms for the page to follow.
import fs from "node:fs";
import path from "node:path";
import { launch, Checks, run, until } from "./lib.mjs";

const WAIT = 10000;

run(async () => {
  const [serverUrl, siteRoot, storyRel, cssRel] = process.argv.slice(2);
  if (!serverUrl || !siteRoot || !storyRel || !cssRel) {
    throw new Error("usage: node livereload.mjs SERVER_URL SITE_ROOT STORY_FILE CSS_FILE");
  }
  const base = serverUrl.replace(/\/$/, "");
  const storyFile = path.join(siteRoot, storyRel);
  const cssFile = path.join(siteRoot, cssRel);
  const m = storyRel.split(path.sep).join("/").match(/^content\/stories\/([^/]+?)(?:\/index)?\.md$/);
  if (!m) throw new Error(`not a story file: ${storyRel}`);
  const storyPath = `/stories/${m[1]}/`;

  const original = fs.readFileSync(storyFile, "utf8");
  const stamp = Date.now().toString(36);
  const newTitle = `Live reload check ${stamp}`;
  const newSentence = `This sentence (${stamp}) was rewritten while the page was open.`;
  // A new title and a new first paragraph.
  const lines = original.split("\n");
  const titleAt = lines.findIndex((l) => /^title:/.test(l));
  const closeAt = lines.indexOf("---", 1);
  const paraAt = lines.findIndex((l, i) => i > closeAt && l.trim() && !/^[#<{!\[|>-]/.test(l.trim()));
  if (titleAt < 0 || closeAt < 0 || paraAt < 0 || !original.includes("\nsummary:")) {
    throw new Error(`${storyRel}: expected front matter with title: and summary: and a paragraph`);
  }
  lines[titleAt] = `title: "${newTitle}"`;
  lines[paraAt] = newSentence;
  const edited = lines.join("\n");
  const broken = edited.replace("\nsummary:", "\nsumary:");

  const checks = new Checks("live reload");
  const browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // The page listens for changes once its event stream is open: wait for that before editing.
  // Resolves to false (never rejects) when that does not happen within WAIT ms.
  const listening = () =>
    page
      .waitForResponse((r) => new URL(r.url()).pathname === "/__rally/events", { timeout: WAIT })
      .then(() => true, () => false);
  const look = () =>
    page.evaluate(() => ({
      h1: (document.querySelector("h1") || {}).textContent?.trim() ?? null,
      text: document.body.innerText,
      y: Math.round(scrollY),
      overlay: !!document.getElementById("rally-error-overlay"),
      overlayText: (document.getElementById("rally-error-overlay") || {}).innerText || "",
      marker: window.__marker ?? null,
      sheets: [...document.querySelectorAll('link[rel="stylesheet"]')].map((l) => l.getAttribute("href")),
      probe: getComputedStyle(document.documentElement).getPropertyValue("--rally-live-check").trim(),
    }));
  const step = async (what, cond) => {
    try {
      return await until(what, async () => {
        const s = await look();
        return cond(s) ? s : null;
      }, WAIT, 100);
    } catch (e) {
      checks.fail(e.message);
      return null;
    }
  };

  // The page once its scroll position has stopped moving (restoring it after a reload may
  // scroll smoothly, as the theme asks).
  const settled = async () => {
    let prev = null;
    let same = 0;
    const deadline = Date.now() + WAIT;
    for (;;) {
      const s = await look().catch(() => null);
      same = s && prev && s.y === prev.y ? same + 1 : 0;
      if (same >= 3 || Date.now() > deadline) return s;
      prev = s;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  try {
    let ready = listening();
    const resp = await page.goto(base + storyPath);
    checks.eq(resp && resp.status(), 200, `${storyPath} status`);
    checks.ok(await ready, "the page opened the live-reload event stream");
    let s = await look();
    checks.ok(!s.overlay, "no error overlay at the start");
    checks.ok(s.h1 && s.h1 !== newTitle, `the story has its own title at the start (${s.h1})`);

    // 1. Scroll down, edit the story: the page shows the new text, at the same place.
    const maxY = await page.evaluate(() => document.documentElement.scrollHeight - innerHeight);
    const wantY = Math.min(800, Math.floor(maxY / 2));
    checks.ok(wantY >= 200, `the story is long enough to scroll (can scroll ${maxY}px)`);
    // "instant": the theme asks for smooth scrolling, which would still be moving.
    await page.evaluate((y) => scrollTo({ top: y, behavior: "instant" }), wantY);
    const y0 = (await look()).y;
    checks.ok(Math.abs(y0 - wantY) <= 2, `scrolled to ${wantY}px (at ${y0}px)`);
    ready = listening();
    const t0 = Date.now();
    fs.writeFileSync(storyFile, edited);
    s = await step("the edited title and sentence to appear", (s) => s.h1 === newTitle && s.text.includes(newSentence));
    if (s) {
      console.log(`edit shown after ${Date.now() - t0} ms`);
      checks.ok(true);
    }
    checks.ok(await ready, "the reloaded page reconnected to the event stream");
    s = await settled();
    console.log(`scroll position ${y0}px before the edit, ${s && s.y}px after`);
    checks.ok(s && Math.abs(s.y - y0) <= 150, `scroll position kept after the reload: was ${y0}px, now ${s && s.y}px`);
    checks.ok(s && !s.overlay, "no error overlay after a good edit");

    // 2. Break the front matter: the overlay appears over the page, naming the problem.
    ready = listening();
    const t1 = Date.now();
    fs.writeFileSync(storyFile, broken);
    s = await step("the error overlay to appear", (s) => s.overlay);
    if (s) {
      console.log(`error overlay shown after ${Date.now() - t1} ms`);
      checks.ok(/sumary/.test(s.overlayText), `the overlay names the bad key "sumary": ${s.overlayText.slice(0, 300)}`);
      checks.ok(s.overlayText.includes(path.basename(storyRel)), `the overlay names the file ${storyRel}`);
      checks.eq(s.h1, newTitle, "the last good page stays under the overlay");
    }
    checks.ok(await ready, "the page with the overlay reconnected to the event stream");

    // 3. Fix it: the overlay goes by itself.
    ready = listening();
    const t2 = Date.now();
    fs.writeFileSync(storyFile, edited);
    s = await step("the error overlay to go", (s) => !s.overlay && s.h1 === newTitle);
    if (s) {
      console.log(`error overlay gone after ${Date.now() - t2} ms`);
      checks.ok(true);
    }
    checks.ok(await ready, "the fixed page reconnected to the event stream");

    // 4. Change the theme CSS: the stylesheet is swapped in place, the page is not reloaded.
    await page.evaluate(() => {
      window.__marker = 1;
    });
    const before = await settled();
    if (!before) throw new Error("the page does not answer");
    checks.ok(before.sheets.length > 0, "the page has a stylesheet link");
    checks.ok(before.probe === "", "the CSS probe is not set before the CSS edit");
    const t3 = Date.now();
    fs.appendFileSync(cssFile, `\n:root { --rally-live-check: ${stamp}; }\n`);
    s = await step("the new stylesheet to apply", (s) => s.probe === stamp);
    if (s) {
      console.log(`CSS change applied after ${Date.now() - t3} ms`);
      checks.ok(true);
    } else {
      s = await look().catch(() => null);
    }
    checks.eq(s && s.marker, 1, "window.__marker survives a CSS change (no full reload)");
    checks.ok(s && s.sheets.some((h) => /[?&]rally=/.test(h)),
      `a stylesheet link got a ?rally= query: ${s && s.sheets.join(", ")}`);
    checks.ok(s && before && Math.abs(s.y - before.y) <= 2,
      `scroll position unchanged by the CSS swap: was ${before && before.y}px, now ${s && s.y}px`);
  } finally {
    fs.writeFileSync(storyFile, original);
    await browser.close();
  }
  for (const e of errors) checks.fail(`JavaScript error: ${e}`);
  checks.report();
});
