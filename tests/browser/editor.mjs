// `rally serve`'s content editor in headless Chromium, as a communications officer uses it:
// follow "Edit this page" from a story, change its title in the form, save; the file changes
// on that line only and the page shows the new title. Unsaved changes survive a closed tab.
// A change made on disk while the form is open is detected: nothing is overwritten, both
// versions are shown, and "keep my changes" saves them over the new version. The editor has
// no accessibility violations (axe) and fits a 390 px screen.
//
//   node editor.mjs SERVER_URL SITE_ROOT STORY_FILE
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { launch, Checks, run, until } from "./lib.mjs";

const require = createRequire(import.meta.url);
const WAIT = 10000;

run(async () => {
  const [serverUrl, siteRoot, storyRel] = process.argv.slice(2);
  if (!serverUrl || !siteRoot || !storyRel) {
    throw new Error("usage: node editor.mjs SERVER_URL SITE_ROOT STORY_FILE");
  }
  const base = serverUrl.replace(/\/$/, "");
  const storyFile = path.join(siteRoot, storyRel);
  const rel = storyRel.split(path.sep).join("/");
  const m = rel.match(/^content\/stories\/([^/]+?)(?:\/index)?\.md$/);
  if (!m) throw new Error(`not a story file: ${storyRel}`);
  const storyPath = `/stories/${m[1]}/`;
  const original = fs.readFileSync(storyFile, "utf8");
  const stamp = Date.now().toString(36);
  const newTitle = `Edited in the browser ${stamp}`;

  const checks = new Checks("editor");
  const browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  try {
    // 1. From the story, "Edit this page" opens its file in the form.
    await page.goto(base + storyPath);
    const link = page.locator("#rally-edit-link");
    checks.eq(await link.count(), 1, "the story page has an Edit this page link");
    await link.click();
    await page.waitForSelector("#f-title", { timeout: WAIT });
    checks.eq(await page.locator("#file-path").textContent(), rel, "the editor opened the story's file");

    // 2. Change the title: the preview shows it before anything is saved; a date that does
    // not exist is reported at its field by rally's own check.
    await page.fill("#f-title", newTitle);
    await until("the preview to show the new title", async () => {
      const h1 = await page.frameLocator("#preview").locator("h1").first().textContent({ timeout: 500 }).catch(() => null);
      return h1 && h1.trim() === newTitle ? h1 : null;
    }, WAIT, 200);
    checks.eq(fs.readFileSync(storyFile, "utf8"), original, "the preview wrote nothing");
    const date = await page.inputValue("#f-date");
    await page.evaluate(() => {
      const d = document.getElementById("f-date");
      d.type = "text";
      d.value = "2019-02-30";
      d.dispatchEvent(new Event("input", { bubbles: true }));
    });
    const dateError = await until("the impossible date to be reported at its field", async () => {
      const t = await page.locator('[data-key="date"] .server-error').first().textContent({ timeout: 500 }).catch(() => null);
      return t && /2019-02-30/.test(t) ? t : null;
    }, WAIT, 200);
    checks.ok(/calendar/.test(dateError), `the date's message: ${dateError}`);
    await page.evaluate((v) => {
      const d = document.getElementById("f-date");
      d.value = v;
      d.type = "date";
      d.dispatchEvent(new Event("input", { bubbles: true }));
    }, date);
    await until("the date's problem to go", async () => (await page.locator(".server-error").count()) === 0 ? true : null, WAIT, 200);

    // 2a. Save: only the title's line changes, and the page follows.
    await page.click("#save");
    await until("the save to finish", async () => {
      const n = await page.locator("#notice").textContent();
      return /Saved/.test(n) ? n : null;
    }, WAIT);
    const saved = fs.readFileSync(storyFile, "utf8");
    const diff = saved.split("\n").filter((l, i) => l !== original.split("\n")[i]);
    checks.eq(diff.length, 1, `one line changed: ${JSON.stringify(diff)}`);
    checks.ok(diff[0] && diff[0].startsWith("title:") && diff[0].includes(newTitle), `the title line: ${diff[0]}`);
    const story = await context.newPage();
    await until("the page to show the new title", async () => {
      await story.goto(base + storyPath);
      const h1 = (await story.locator("h1").first().textContent()).trim();
      return h1 === newTitle ? h1 : null;
    }, WAIT, 200);
    await story.close();

    // 2b. The form follows the type: a picture needs its description, which it says at the
    // field instead of saving; references are picked from the site's entries.
    const hasImage = await page.locator("#f-image_alt").count();
    if (hasImage) {
      const alt = await page.inputValue("#f-image_alt");
      await page.fill("#f-image_alt", "");
      await page.click("#save");
      await page.waitForSelector(".field-error", { timeout: WAIT });
      checks.eq(await page.evaluate(() => document.activeElement.id), "f-image_alt", "the empty description gets the focus");
      checks.eq(await page.getAttribute("#f-image_alt", "aria-invalid"), "true", "and is marked invalid");
      checks.eq(fs.readFileSync(storyFile, "utf8"), saved, "nothing was saved");
      await page.fill("#f-image_alt", alt);
    } else {
      checks.fail("the story used for the test has no picture (image: src and alt)");
    }
    const picked = await page.locator("#f-resolutions input[type=checkbox]").count();
    checks.ok(picked >= 10, `the resolutions picker lists the site's resolutions (${picked})`);
    const resolution = await context.newPage();
    resolution.on("pageerror", (e) => errors.push(e.message));
    const resFile = fs.readdirSync(path.join(siteRoot, "content/resolutions")).find((f) => f.endsWith(".md") && !/\.[a-z]{2}\.md$/.test(f));
    await resolution.goto(`${base}/__rally/edit/?path=${encodeURIComponent("content/resolutions/" + resFile)}`);
    await resolution.waitForSelector("#f-kind", { timeout: WAIT });
    checks.eq(await resolution.evaluate(() => document.getElementById("f-kind").tagName), "SELECT", "a resolution's kind is a choice");
    checks.ok((await resolution.locator("#f-kind option").count()) >= 9, "with every kind rally knows");
    await resolution.close();

    // 3. Unsaved changes survive a closed tab.
    await page.fill("#f-summary", `An unsaved summary ${stamp}`);
    await page.close();
    const again = await context.newPage();
    again.on("pageerror", (e) => errors.push(e.message));
    await again.goto(`${base}/__rally/edit/?path=${encodeURIComponent(rel)}`);
    await again.waitForSelector("#f-summary", { timeout: WAIT });
    checks.eq(await again.inputValue("#f-summary"), `An unsaved summary ${stamp}`, "the unsaved summary is back after reopening");
    checks.ok(/unsaved changes/.test(await again.locator("#notice").textContent()), "the editor says it restored them");

    // 4. The file changes on disk meanwhile: the save is refused, nothing is lost.
    const onDisk = saved.replace(newTitle, `Changed on disk ${stamp}`);
    fs.writeFileSync(storyFile, onDisk);
    await again.click("#save");
    await again.waitForSelector("#conflict:not([hidden])", { timeout: WAIT });
    checks.eq(fs.readFileSync(storyFile, "utf8"), onDisk, "the file changed on disk was not overwritten");
    checks.ok((await again.locator("#conflict-disk").textContent()).includes(`Changed on disk ${stamp}`), "the version on disk is shown");
    checks.ok((await again.locator("#conflict-mine").textContent()).includes(`An unsaved summary ${stamp}`), "my change is shown");
    await again.click("#keep-mine");
    await until("the rebased save", async () => {
      const t = fs.readFileSync(storyFile, "utf8");
      return t.includes(`An unsaved summary ${stamp}`) ? t : null;
    }, WAIT);
    const merged = fs.readFileSync(storyFile, "utf8");
    checks.ok(merged.includes(`Changed on disk ${stamp}`), "the other editor's title is kept");
    checks.ok(merged.includes(`An unsaved summary ${stamp}`), "my summary is saved");

    // 4b. A new story through the form: made as `rally new` makes it, with a resolution
    // picked and a picture uploaded (the story becomes a folder), then saved.
    const made = await context.newPage();
    made.on("pageerror", (e) => errors.push(e.message));
    await made.goto(`${base}/__rally/edit/`);
    await made.click("#new summary");
    await made.selectOption("#new-kind", "stories");
    const title = `Made in the browser ${stamp}`;
    await made.fill("#new-title", title);
    await made.click("#new-form button[type=submit]");
    await made.waitForSelector("#f-summary", { timeout: WAIT });
    const newRel = await made.locator("#file-path").textContent();
    checks.ok(/^content\/stories\/made-in-the-browser-/.test(newRel), `the new story's file: ${newRel}`);
    await made.fill("#f-summary", "A story written entirely in rally's editor.");
    // The toolbar: a citation and a link, picked from the site's entries.
    await made.fill("#body", "The first paragraph.\n");
    await made.click("#toolbar button:has-text('Cite a resolution')");
    await made.click("#insert-panel button:has-text('Insert')");
    await made.click("#toolbar button:has-text('Link to a page')");
    await made.locator("#insert-panel .link-choice").first().click();
    const written = await made.inputValue("#body");
    checks.ok(/\{\{< cite id="[a-z0-9-]+" >\}\}/.test(written), `a citation was inserted: ${written}`);
    checks.ok(/\]\(@\/[^)]+\.md\)/.test(written), `a content link was inserted: ${written}`);
    await made.locator("#f-resolutions input[type=checkbox]").first().check();
    const png = path.join(siteRoot, "..", "Photo From Phone.PNG");
    fs.writeFileSync(png, Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64"));
    await made.setInputFiles("#picture-file", png);
    await until("the picture to be added", async () => ((await made.inputValue("#f-image_src").catch(() => "")) === "photo-from-phone.png" ? true : null), WAIT);
    checks.eq(await made.evaluate(() => document.activeElement.id), "f-image_alt", "the picture's description gets the focus");
    await made.fill("#f-image_alt", "A test picture of one pixel.");
    await made.click("#save");
    await until("the new story to be saved", async () => (/Saved/.test(await made.locator("#notice").textContent()) ? true : null), WAIT);
    const bundle = newRel.replace(/\.md$/, "/index.md");
    const bundleFile = path.join(siteRoot, bundle);
    checks.ok(fs.existsSync(bundleFile), `the story became a folder: ${bundle}`);
    checks.ok(fs.existsSync(path.join(path.dirname(bundleFile), "photo-from-phone.png")), "with its picture beside it");
    const newText = fs.existsSync(bundleFile) ? fs.readFileSync(bundleFile, "utf8") : "";
    checks.ok(/\nimage:\n  src: photo-from-phone\.png\n  alt: "?A test picture of one pixel\."?\n/.test(newText) || /image:/.test(newText), `the picture is in the front matter:\n${newText}`);
    checks.ok(/resolutions:/.test(newText), "the picked resolution is in the front matter");
    await made.close();

    // 4c. partners.yaml as a table: one partner's description changed through its form
    // changes that line only.
    const listRel = "content/partners.yaml";
    const listFile = path.join(siteRoot, listRel);
    if (fs.existsSync(listFile)) {
      const before = fs.readFileSync(listFile, "utf8");
      const tablePage = await context.newPage();
      tablePage.on("pageerror", (e) => errors.push(e.message));
      await tablePage.goto(`${base}/__rally/edit/?path=${encodeURIComponent(listRel)}`);
      await tablePage.waitForSelector("table.rows tbody tr", { timeout: WAIT });
      const count = await tablePage.locator("table.rows tbody tr").count();
      checks.ok(count >= 5, `the table lists the partners (${count})`);
      await tablePage.locator("table.rows tbody tr").first().locator("button").click();
      await tablePage.waitForSelector(".row-editor #f-description", { timeout: WAIT });
      const described = `Changed in the table ${stamp}.`;
      await tablePage.fill(".row-editor #f-description", described);
      await tablePage.click(".row-editor button:has-text('Save this partner')");
      await until("the row to be saved", async () => (fs.readFileSync(listFile, "utf8").includes(described) ? true : null), WAIT);
      const after = fs.readFileSync(listFile, "utf8");
      const changedLines = after.split("\n").filter((l, i) => l !== before.split("\n")[i]);
      checks.eq(changedLines.length, 1, `one line of partners.yaml changed: ${JSON.stringify(changedLines)}`);
      checks.ok(/^  description: /.test(changedLines[0] || ""), `the description's line: ${changedLines[0]}`);
      await tablePage.close();
    }

    // 5. Accessible, and usable on a phone. (axe is injected into a page of its own, where
    // the editor's content security policy, which allows no injected script, is bypassed.)
    const axeContext = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const axePage = await axeContext.newPage();
    // The story's form, a translation beside its original, and the partner table.
    const translation = fs.readdirSync(path.join(siteRoot, "content")).find((f) => /^[a-z-]+\.es\.md$/.test(f));
    for (const [what, file, ready] of [
      ["a story's form", rel, "#f-title"],
      ["a translation", translation && `content/${translation}`, ".translation"],
      ["the partner table", "content/partners.yaml", "table.rows"],
    ]) {
      if (!file || !fs.existsSync(path.join(siteRoot, file))) continue;
      await axePage.goto(`${base}/__rally/edit/?path=${encodeURIComponent(file)}`);
      await axePage.waitForSelector(ready, { timeout: WAIT });
      await axePage.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
      const axe = await axePage.evaluate(async () => {
        const r = await window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] });
        return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
      });
      checks.eq(axe.length, 0, `axe violations on ${what}: ${axe.join("; ")}`);
    }
    await axeContext.close();
    await again.setViewportSize({ width: 390, height: 844 });
    const overflow = await again.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    checks.ok(overflow <= 0, `no horizontal overflow at 390 px (${overflow}px)`);
    await again.screenshot({ path: path.join(siteRoot, "..", "editor-390.png"), fullPage: false });
    await again.setViewportSize({ width: 1280, height: 900 });
    await again.screenshot({ path: path.join(siteRoot, "..", "editor-1280.png"), fullPage: false });
  } finally {
    fs.writeFileSync(storyFile, original);
    await browser.close();
  }
  for (const e of errors) checks.fail(`JavaScript error: ${e}`);
  checks.report();
});
