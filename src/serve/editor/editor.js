// rally's content editor: lists the content files, opens one as a form, saves the changed
// fields only, keeps unsaved work in this browser, and never overwrites a file that changed
// on disk since it was opened. Served by `rally serve` only.
"use strict";
(() => {
  const token = document.querySelector('meta[name="rally-token"]').content;
  const $ = (id) => document.getElementById(id);
  const api = (path, init = {}) =>
    fetch("/__rally/edit/api/" + path, {
      ...init,
      headers: { "X-Rally-Editor": token, ...(init.headers || {}) },
    }).then(async (r) => ({ status: r.status, body: await r.json().catch(() => ({})) }));

  // The open file: its path, version, fields as opened, and how each is edited.
  let file = null;
  // The content files and the site's languages, from the last listing.
  let listing = { files: [], languages: [] };
  const draftKey = (path) => "rally-draft:" + path;

  function notice(text, error = false) {
    const n = $("notice");
    n.textContent = text;
    n.classList.toggle("error", error);
  }

  // --- The file list -------------------------------------------------------------------
  async function loadFiles() {
    const r = await api("files");
    listing = { files: r.body.files || [], languages: r.body.languages || [], embeds: r.body.embeds || [] };
    const list = $("file-list");
    list.textContent = "";
    let folder = null;
    // The site's own pages and lists first, then each collection's folder.
    const depth = (p) => (p.split("/").length > 2 ? 1 : 0);
    const files = (r.body.files || []).slice().sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0));
    for (const path of files) {
      const dir = path.split("/").slice(1, -1)[0] || "pages and lists";
      if (dir !== folder) {
        folder = dir;
        const li = document.createElement("li");
        li.className = "folder";
        li.textContent = dir;
        list.append(li);
      }
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = "?path=" + encodeURIComponent(path);
      a.textContent = path.replace(/^content\//, "");
      a.dataset.path = path;
      a.addEventListener("click", (e) => {
        e.preventDefault();
        history.pushState(null, "", a.href);
        openFile(path);
      });
      li.append(a);
      list.append(li);
    }
    filter();
  }

  function filter() {
    const q = $("filter").value.trim().toLowerCase();
    for (const a of $("file-list").querySelectorAll("a")) {
      a.parentElement.hidden = q !== "" && !a.dataset.path.toLowerCase().includes(q);
      if (file && a.dataset.path === file.path) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
  }

  // --- Fields ----------------------------------------------------------------------------
  const empty = (v) => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);

  // The form: the file's keys in its order, then the keys its type has that the file does
  // not (required ones first), each built from the type's schema (fields.js).
  function buildForm(o, form) {
    const props = form ? form.schema.properties || {} : {};
    const required = new Set(form ? form.schema.required || [] : []);
    const defs = form ? form.schema.$defs || {} : {};
    const choices = form ? form.choices || {} : {};
    const inFile = new Map((o.fields || []).map((f) => [f.key, f.value]));
    const missing = Object.keys(props)
      .filter((k) => !inFile.has(k))
      .sort((a, b) => required.has(b) - required.has(a) || (a < b ? -1 : 1));
    const keys = [...inFile.keys(), ...missing];
    return keys.map((key) =>
      window.RallyFields.build({
        key,
        value: inFile.has(key) ? inFile.get(key) : null,
        present: inFile.has(key),
        prop: props[key],
        required: required.has(key),
        defs,
        choices,
        onChange: changed,
      }),
    );
  }

  // Problems the form can see before saving: required fields left empty, a picture
  // without its description.
  function problems() {
    const out = [];
    for (const c of file.controls) {
      const v = c.read();
      if (c.required && empty(v)) out.push([c, null, "This field is required."]);
      if (v && typeof v === "object" && !Array.isArray(v) && c.needs) {
        for (const k of c.needs) if (empty(v[k])) out.push([c, k, `Add the ${k === "alt" ? "description of the picture (alt text)" : k}.`]);
      }
    }
    return out;
  }

  // A picture in the text without a description (`![](x.jpg)`): readers who cannot see it
  // would get nothing.
  function bodyProblems() {
    const m = $("body").value.match(/!\[\s*\]\(/);
    return m ? ["A picture in the text has no description: write what it shows between [ and ]."] : [];
  }

  function showProblems(list) {
    for (const e of document.querySelectorAll(".field-error")) e.remove();
    for (const i of document.querySelectorAll("[aria-invalid]")) i.removeAttribute("aria-invalid");
    for (const [c, sub, message] of list) {
      const target = (sub && c.focusOf ? c.focusOf(sub) : null) || c.wrap.querySelector("input,select,textarea");
      const p = document.createElement("p");
      p.className = "field-error";
      p.id = (target?.id || c.key) + "-error";
      p.textContent = message;
      (target?.closest(".field") || c.wrap).append(p);
      if (target) {
        target.setAttribute("aria-invalid", "true");
        target.setAttribute("aria-describedby", [target.getAttribute("aria-describedby"), p.id].filter(Boolean).join(" "));
      }
    }
    if (list.length) (list[0][1] && list[0][0].focusOf?.(list[0][1]) || list[0][0].wrap.querySelector("input,select,textarea"))?.focus();
  }

  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  // The changes the form holds, as the save sends them.
  function changes() {
    if (file.textMode) {
      return $("body").value === file.text ? [] : [{ op: "whole", text: $("body").value }];
    }
    const out = [];
    for (const c of file.controls) {
      const now = c.read();
      if (same(now, c.original)) continue;
      if (empty(now) && !c.present) continue;
      if (empty(now) && !c.required) out.push({ op: "remove", key: c.key });
      else out.push({ op: "set", key: c.key, value: now });
    }
    if ($("body").value !== file.body) out.push({ op: "body", text: $("body").value });
    return out;
  }

  // After each keystroke: mark changed fields and keep the draft in this browser.
  function changed() {
    if (!file) return;
    for (const c of file.controls) c.wrap.classList.toggle("changed", !same(c.read(), c.original));
    const list = changes();
    if (list.length === 0) localStorage.removeItem(draftKey(file.path));
    else localStorage.setItem(draftKey(file.path), JSON.stringify({ base: file.version, changes: list }));
    scheduleCheck();
  }

  // --- Checking and previewing the draft ---------------------------------------------------
  // Each change goes through rally's real pipeline (in the server, with the draft in place
  // of the file); its problems appear at their fields, its page in the preview. While the
  // draft has errors the last good preview stays.
  let checkTimer = null;
  let checkSeq = 0;
  function scheduleCheck() {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, 150);
  }

  async function check() {
    if (!file) return;
    const seq = ++checkSeq;
    const req = file.textMode ? { path: file.path, text: $("body").value } : { path: file.path, changes: changes() };
    const r = await api("check", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(req),
    }).catch(() => ({ status: 0, body: {} }));
    if (seq !== checkSeq || !file) return;
    const status = $("check-status");
    if (r.status !== 200) {
      status.textContent = r.body.error ? "Cannot check: " + r.body.error : "The check did not answer.";
      return;
    }
    const c = r.body;
    const errors = c.problems.filter((p) => p.error).length;
    const warnings = c.problems.length - errors;
    status.textContent =
      (errors ? `${errors} ${errors === 1 ? "problem" : "problems"} to fix` : "No problems") +
      (warnings ? `, ${warnings} ${warnings === 1 ? "warning" : "warnings"}` : "") +
      (c.html ? "" : errors ? " (the preview shows the last version without them)" : "");
    document.body.dataset.checked = String(seq);
    showServerProblems(c.problems);
    const other = $("elsewhere");
    other.hidden = c.elsewhere.length === 0;
    other.textContent = c.elsewhere.length ? "Problems elsewhere on the site:\n" + c.elsewhere.join("\n") : "";
    if (c.html) {
      const base = `<base href="${c.page.replace(/"/g, "&quot;")}">`;
      const html = c.html.replace(/<head([^>]*)>/i, (m) => m + base);
      const frame = $("preview");
      const y = frame.contentWindow ? frame.contentWindow.scrollY : 0;
      frame.onload = () => frame.contentWindow && frame.contentWindow.scrollTo(0, y);
      frame.srcdoc = html;
    }
  }

  // The pipeline's problems at their fields (or body line), replacing the last ones.
  function showServerProblems(list) {
    for (const e of document.querySelectorAll(".server-error")) e.remove();
    for (const i of document.querySelectorAll("[data-server-invalid]")) {
      i.removeAttribute("aria-invalid");
      i.removeAttribute("data-server-invalid");
    }
    for (const p of list) {
      let c = null;
      let text = p.message + (p.help ? " — " + p.help : "");
      if (p.place && p.place.key) c = file.controls.find((x) => x.key === p.place.key);
      const where = c ? c.wrap : $("body-field");
      if (p.place && p.place.body) text = `Line ${p.place.body}: ${text}`;
      const el = document.createElement("p");
      el.className = "field-error server-error" + (p.error ? "" : " warning");
      el.textContent = (p.error ? "" : "Warning: ") + text;
      where.append(el);
      const input = where.querySelector("input,select,textarea");
      if (input && p.error) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("data-server-invalid", "");
      }
    }
  }

  // --- Opening ---------------------------------------------------------------------------
  async function openFile(path, keep = null, asText = false) {
    const [r, form] = await Promise.all([
      api("file?path=" + encodeURIComponent(path)),
      /\.(md|ya?ml|csv)$/.test(path) ? api("schema?path=" + encodeURIComponent(path)) : Promise.resolve(null),
    ]);
    if (r.status !== 200) {
      $("intro").hidden = false;
      $("work").hidden = true;
      $("intro").querySelector("p").textContent = r.body.error || "This file cannot be opened.";
      return;
    }
    const o = r.body;
    const tableMode = Array.isArray(o.rows) && !asText && !keep;
    const textMode = !Array.isArray(o.fields);
    file = { path: o.path, version: o.version, body: o.body ?? "", text: o.text, textMode, controls: [] };
    $("intro").hidden = true;
    $("work").hidden = false;
    $("conflict").hidden = true;
    const title = (o.fields || []).find((f) => f.key === "title" || f.key === "name");
    $("file-title").textContent = title ? String(title.value) : o.path.split("/").pop();
    $("file-path").textContent = o.path;
    document.title = $("file-title").textContent + " · rally editor";
    const fields = $("fields");
    fields.textContent = "";
    $("toolbar").hidden = textMode;
    $("table").hidden = !tableMode;
    $("body-field").hidden = tableMode;
    $("as-text").hidden = !tableMode;
    document.querySelector(".sticky").hidden = tableMode;
    if (tableMode) {
      window.RallyTable.mount({
        container: $("table"),
        path: o.path,
        rows: o.rows,
        columns: o.columns || null,
        schema: form && form.status === 200 ? form.body.schema : null,
        choices: form && form.status === 200 ? form.body.choices : {},
        notice,
        save: async (rows) => {
          const r = await api("save", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ path: file.path, base: file.version, changes: [{ op: "rows", rows }] }),
          }).catch(() => ({ status: 0, body: {} }));
          if (r.status === 200) {
            await openFile(file.path);
            notice("Saved. The preview updates by itself.");
            return true;
          }
          if (r.status === 409) {
            notice("Not saved: the file changed on disk since you opened it. Go back to the list to see the new version, then make your change again.", true);
          } else {
            notice((r.body.error || "The save was refused.") + " Nothing was written.", true);
          }
          return false;
        },
      });
    }
    // Pictures live in an entry's folder; pages directly in content/ have none.
    $("pictures").hidden = textMode || o.path.split("/").length < 3 || !!o.original;
    if (!textMode) {
      const f = form && form.status === 200 ? form.body : null;
      file.choices = f ? f.choices : {};
      file.controls = buildForm(o, f);
      for (const c of file.controls) fields.append(c.wrap);
      window.RallyToolbar.mount({
        bar: $("toolbar"),
        panel: $("insert-panel"),
        area: $("body"),
        embeds: () => listing.embeds || [],
        choices: () => file.choices || {},
        onChange: changed,
      });
    }
    const body = $("body");
    $("body-field").querySelector("label").textContent = textMode ? "The file's text" : "Text (Markdown)";
    body.value = textMode ? o.text : o.body;
    notice(o.problem ? "The front matter cannot be read as a form (" + o.problem + "): edit the text." : "");
    // Unsaved work from before (this tab or one that was closed), or kept through a reload.
    const saved = keep || JSON.parse(localStorage.getItem(draftKey(o.path)) || "null");
    if (!tableMode && saved && saved.changes && saved.changes.length) {
      restore(saved.changes);
      if (!keep) notice("Your unsaved changes from last time are back in the form.");
      if (saved.base !== file.version && !keep) {
        notice("Your unsaved changes from last time are back in the form, but the file has changed since: saving will show you both versions.");
        file.version = saved.base;
      }
    }
    translations(o);
    const page = new URLSearchParams(location.search).get("page");
    const view = $("view-page");
    view.hidden = !page;
    if (page) view.href = page;
    changed();
    filter();
    check();
  }

  // --- Translations ------------------------------------------------------------------------
  // A translation opens beside its original (each field shows the original's value) with
  // the stale mark of `rally check`; an original offers its translations, made or to make.
  function translations(o) {
    const box = $("translation");
    const offer = $("translate");
    box.hidden = true;
    box.textContent = "";
    offer.hidden = true;
    offer.textContent = "";
    const langs = listing.languages;
    const name = (code) => (langs.find((l) => l.code === code) || { name: code }).name;
    if (o.original) {
      const orig = o.original;
      box.hidden = false;
      const p = document.createElement("p");
      p.append(`Translation into ${name(orig.lang)} of `);
      const a = document.createElement("a");
      a.href = "?path=" + encodeURIComponent(orig.path);
      a.textContent = orig.path;
      p.append(a, ". The original's words are shown under each field.");
      box.append(p);
      if (orig.stale !== false) {
        const warn = document.createElement("p");
        warn.className = "stale";
        warn.textContent = orig.stale
          ? "The original has changed since this translation was made: bring it up to date, then mark it."
          : "This translation does not say which version of the original it translates.";
        const mark = document.createElement("button");
        mark.type = "button";
        mark.className = "secondary";
        mark.id = "mark-current";
        mark.textContent = "Mark as up to date with the original";
        mark.addEventListener("click", () => {
          let c = file.controls.find((x) => x.key === "translated_from");
          if (!c) {
            c = window.RallyFields.build({ key: "translated_from", value: null, present: false, prop: { type: "string", description: "The version of the original this translates (rally check uses it)." }, required: false, defs: {}, choices: {}, onChange: changed });
            file.controls.push(c);
            $("fields").append(c.wrap);
          }
          c.write(orig.version);
          changed();
          warn.textContent = "Marked: save to keep it.";
        });
        warn.append(" ", mark);
        box.append(warn);
      }
      const values = new Map(orig.fields.map((f) => [f.key, f]));
      const dirOf = (langs[0] || {}).dir || "ltr";
      for (const c of file.controls) {
        const f = values.get(c.key);
        if (!f) continue;
        const d = document.createElement("div");
        d.className = "original";
        d.lang = (langs[0] || {}).code || "";
        d.dir = dirOf;
        const shown = typeof f.value === "string" ? f.value : f.text;
        d.textContent = (c.present ? "Original: " : "From the original, used while this is empty: ") + shown;
        c.wrap.append(d);
      }
      const body = document.createElement("details");
      body.className = "original";
      const sum = document.createElement("summary");
      sum.textContent = "The original's text";
      const pre = document.createElement("pre");
      pre.textContent = orig.body;
      pre.dir = dirOf;
      body.append(sum, pre);
      $("body-field").append(body);
      return;
    }
    if (langs.length < 2 || !o.path.endsWith(".md")) return;
    offer.hidden = false;
    offer.append("Translations: ");
    for (const l of langs.slice(1)) {
      const target = o.path.replace(/\.md$/, `.${l.code}.md`);
      if (listing.files.includes(target)) {
        const a = document.createElement("a");
        a.href = "?path=" + encodeURIComponent(target);
        a.textContent = `open ${l.name}`;
        a.lang = l.code;
        offer.append(a, " ");
      } else {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "secondary";
        b.textContent = `Translate into ${l.name}`;
        b.addEventListener("click", () => create({ translate: o.path, lang: l.code }, (why) => notice(why, true)));
        offer.append(b, " ");
      }
    }
  }

  // Makes a file as `rally new` does, then opens it.
  async function create(req, fail) {
    const r = await api("new", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(req) });
    if (r.status !== 200) return fail(r.body.error || "The file could not be made.");
    await loadFiles();
    history.pushState(null, "", "?path=" + encodeURIComponent(r.body.path));
    await openFile(r.body.path);
    notice(`Made ${r.body.path}.`);
  }
  $("new-form").addEventListener("submit", (e) => {
    e.preventDefault();
    $("new-error").textContent = "";
    const title = $("new-title").value.trim();
    if (!title) {
      $("new-error").textContent = "Give it a title first.";
      $("new-title").focus();
      return;
    }
    create({ collection: $("new-kind").value, title }, (why) => ($("new-error").textContent = why));
  });

  // --- Pictures --------------------------------------------------------------------------
  async function upload(f) {
    if (!file || file.textMode) return;
    if (!/^image\//.test(f.type || "")) {
      notice(`${f.name} is not a picture: only pictures can be added here.`, true);
      return;
    }
    notice(`Adding ${f.name}…`);
    const r = await fetch(`/__rally/edit/api/upload?path=${encodeURIComponent(file.path)}&name=${encodeURIComponent(f.name)}`, {
      method: "POST",
      headers: { "X-Rally-Editor": token, "Content-Type": f.type || "application/octet-stream" },
      body: f,
    }).then(async (x) => ({ status: x.status, body: await x.json().catch(() => ({})) }), () => ({ status: 0, body: {} }));
    if (r.status !== 200) {
      notice(r.body.error || "The picture could not be added.", true);
      return;
    }
    if (r.body.moved) {
      // The entry became a folder with its pictures: reopen it there, unsaved work kept.
      const kept = { changes: changes() };
      localStorage.removeItem(draftKey(file.path));
      history.replaceState(null, "", "?path=" + encodeURIComponent(r.body.path));
      await loadFiles();
      await openFile(r.body.path, kept);
    }
    const image = file.controls.find((c) => c.key === "image" && c.needs);
    const now = image && image.read();
    if (image && (!now || !now.src)) {
      image.write({ src: r.body.name, alt: (now && now.alt) || "" });
      changed();
      image.focusOf("alt")?.focus();
      notice(`Added ${r.body.name} as the entry's picture. Describe what it shows (required), then save.` + (r.body.warning ? " Note: " + r.body.warning : ""));
    } else {
      const body = $("body");
      const at = body.selectionStart ?? body.value.length;
      const insert = `![](${r.body.name})`;
      body.value = body.value.slice(0, at) + insert + body.value.slice(at);
      body.focus();
      body.setSelectionRange(at + 2, at + 2);
      changed();
      notice(`Added ${r.body.name} to the text. Write what it shows between [ and ], then save.` + (r.body.warning ? " Note: " + r.body.warning : ""));
    }
  }
  $("picture-file").addEventListener("change", (e) => {
    const f = e.target.files && e.target.files[0];
    if (f) upload(f);
    e.target.value = "";
  });
  $("editor").addEventListener("dragover", (e) => {
    if ([...(e.dataTransfer?.types || [])].includes("Files")) {
      e.preventDefault();
      $("editor").classList.add("dropping");
    }
  });
  $("editor").addEventListener("dragleave", () => $("editor").classList.remove("dropping"));
  $("editor").addEventListener("drop", (e) => {
    $("editor").classList.remove("dropping");
    const f = e.dataTransfer?.files && e.dataTransfer.files[0];
    if (f) {
      e.preventDefault();
      upload(f);
    }
  });

  function restore(list) {
    for (const ch of list) {
      if (ch.op === "set") file.controls.find((c) => c.key === ch.key)?.write(ch.value);
      if (ch.op === "remove") file.controls.find((c) => c.key === ch.key)?.write(null);
      if (ch.op === "body" || ch.op === "whole") $("body").value = ch.text;
    }
  }

  // --- Saving ----------------------------------------------------------------------------
  async function save(e) {
    e?.preventDefault();
    const list = changes();
    if (list.length === 0) {
      notice("Nothing to save: no field was changed.");
      return;
    }
    if (!file.textMode) {
      const found = problems();
      showProblems(found);
      const inBody = bodyProblems();
      for (const message of inBody) {
        const p = document.createElement("p");
        p.className = "field-error";
        p.textContent = message;
        $("body-field").append(p);
        if (!found.length) $("body").focus();
      }
      if (found.length || inBody.length) {
        const n = found.length + inBody.length;
        notice(`Not saved: ${n === 1 ? "one field needs" : n + " fields need"} your attention.`, true);
        return;
      }
    }
    $("save").disabled = true;
    const req = file.textMode
      ? { path: file.path, base: file.version, text: $("body").value }
      : { path: file.path, base: file.version, changes: list };
    const r = await api("save", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(req),
    }).catch(() => ({ status: 0, body: {} }));
    $("save").disabled = false;
    if (r.status === 200) {
      localStorage.removeItem(draftKey(file.path));
      await openFile(file.path);
      notice("Saved. The preview updates by itself.");
    } else if (r.status === 409) {
      showConflict(r.body, list);
    } else if (r.status === 0) {
      notice("rally serve did not answer: is it still running? Your changes are kept in this browser.", true);
    } else {
      notice((r.body.error || "The save was refused.") + " Your changes are kept in this browser.", true);
      const c = r.body.key && file.controls.find((x) => x.key === r.body.key);
      if (c) showProblems([[c, null, r.body.error]]);
    }
  }

  function showConflict(body, list) {
    $("conflict").hidden = false;
    $("conflict-disk").textContent = body.disk ?? "(the file was deleted)";
    $("conflict-mine").textContent = list
      .map((c) => (c.op === "set" ? c.key + ": " + JSON.stringify(c.value) : c.op === "body" ? "Text:\n" + c.text : c.text))
      .join("\n\n");
    file.diskVersion = body.version;
    $("conflict").scrollIntoView({ block: "start" });
    $("keep-mine").focus();
  }

  // Keep mine: open the new version with my changes on top, then save.
  $("keep-mine").addEventListener("click", async () => {
    const list = changes();
    await openFile(file.path, { base: null, changes: list });
    await save();
  });
  $("take-disk").addEventListener("click", async () => {
    localStorage.removeItem(draftKey(file.path));
    await openFile(file.path);
    notice("Loaded the version on disk; your changes were dropped.");
  });
  $("discard").addEventListener("click", async () => {
    localStorage.removeItem(draftKey(file.path));
    await openFile(file.path);
    notice("Unsaved changes discarded.");
  });
  $("editor").addEventListener("submit", save);
  $("as-text-button").addEventListener("click", () => openFile(file.path, null, true));
  $("body").addEventListener("input", changed);
  $("filter").addEventListener("input", filter);
  addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === "s" && file) save(e);
  });
  addEventListener("popstate", () => start());

  async function start() {
    const params = new URLSearchParams(location.search);
    let path = params.get("path");
    if (!path && params.get("page")) {
      const r = await api("source?page=" + encodeURIComponent(params.get("page")));
      path = r.body.path;
    }
    if (path) await openFile(path);
  }
  loadFiles().then(start);
})();
