// The editor's form controls, chosen from the JSON Schema that rally makes of each
// collection's front-matter type: text, dates, partial dates, choices (enums), yes/no,
// numbers, lists, pickers of existing topics, resolutions, partners and countries, pictures
// with their required description, and repeated groups (a resolution's paragraphs). No
// collection has a form of its own: a field added to a type appears here by itself.
"use strict";
window.RallyFields = (() => {
  let seq = 0;
  const el = (tag, props = {}, ...kids) => {
    const e = Object.assign(document.createElement(tag), props);
    e.append(...kids);
    return e;
  };
  const words = (key) => key.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());

  // A property with its `$ref`, `anyOf [T, null]` and `type: [T, "null"]` resolved.
  function resolve(prop, defs) {
    let p = { ...prop };
    let nullable = false;
    if (Array.isArray(p.anyOf)) {
      const other = p.anyOf.filter((b) => b.type !== "null");
      nullable = other.length < p.anyOf.length;
      if (other.length === 1) p = { ...other[0], description: p.description ?? other[0].description, ...strip(p) };
    }
    if (p.$ref) {
      const def = defs[p.$ref.split("/").pop()] || {};
      p = { ...def, ...strip(p), description: p.description ?? def.description };
    }
    if (Array.isArray(p.type)) {
      nullable = nullable || p.type.includes("null");
      const types = p.type.filter((t) => t !== "null");
      p.type = types.length === 1 ? types[0] : types;
    }
    return { p, nullable };
  }
  const strip = (p) => Object.fromEntries(Object.entries(p).filter(([k]) => k.startsWith("x-") || k === "default"));

  // The values of a choice: `enum`, or `oneOf` of constants (with their descriptions).
  function options(p) {
    if (Array.isArray(p.enum)) return p.enum.map((v) => ({ id: v, label: words(String(v)).replace(/-/g, " ") }));
    if (Array.isArray(p.oneOf) && p.oneOf.every((o) => "const" in o)) {
      return p.oneOf.map((o) => ({ id: o.const, label: words(String(o.const)).replace(/-/g, " "), help: o.description }));
    }
    return null;
  }

  // One field: {key, wrap, read(), write(v), original, present}.
  function build({ key, value, present, prop, required, defs, choices, onChange }) {
    const { p, nullable } = resolve(prop || {}, defs);
    const id = "f-" + key.replace(/[^a-z0-9_-]/gi, "_");
    const wrap = el("div", { className: "field" });
    wrap.dataset.key = key;
    const label = el("label", { htmlFor: id, textContent: words(key) + (required ? " (required)" : "") });
    const help = p.description ? el("p", { className: "hint", id: id + "-hint", textContent: p.description.split("\n").join(" ") }) : null;
    const fallback = present ? value : p.default !== undefined ? p.default : null;
    const describe = (input) => {
      if (help) input.setAttribute("aria-describedby", help.id);
      if (required) input.setAttribute("aria-required", "true");
      input.addEventListener("input", onChange);
      input.addEventListener("change", onChange);
    };
    const done = (read, write) => {
      write(fallback);
      return { key, wrap, read, write, original: fallback, present, required };
    };
    const choice = options(p);
    const ref = p["x-rally-ref"];
    // A key the type does not know (rally reports it): edited by the shape of its value.
    const type = p.type ?? (Array.isArray(value) ? "array" : value === null ? "string" : typeof value);
    if (type === "array" && !p.items && Array.isArray(value) && value.every((v) => typeof v === "string")) {
      p.items = { type: "string" };
    }

    if (choice || (type === "string" && ref === "countries")) {
      const list = choice || choices.countries || [];
      const select = el("select", { id });
      select.append(el("option", { value: "", textContent: required ? "Choose…" : "(none)" }));
      for (const o of list) select.append(el("option", { value: o.id, textContent: o.label + (ref === "countries" ? ` (${o.id})` : "") }));
      describe(select);
      wrap.append(label, select);
      if (help) wrap.append(help);
      return done(() => (select.value === "" ? null : select.value), (v) => {
        if (v !== null && v !== undefined && ![...select.options].some((o) => o.value === String(v))) {
          select.append(el("option", { value: String(v), textContent: String(v) }));
        }
        select.value = v ?? "";
      });
    }
    if (type === "boolean") {
      const box = el("input", { type: "checkbox", id });
      describe(box);
      const l = el("label", { className: "check", htmlFor: id }, box, words(key));
      wrap.append(l);
      if (help) wrap.append(help);
      return done(() => box.checked, (v) => (box.checked = !!v));
    }
    if (type === "integer" || type === "number") {
      const input = el("input", { type: "number", id, step: type === "integer" ? "1" : "any" });
      describe(input);
      wrap.append(label, input);
      if (help) wrap.append(help);
      return done(() => (input.value === "" ? null : Number(input.value)), (v) => (input.value = v ?? ""));
    }
    if (type === "array" && p.items && ref) {
      return picker({ key, id, wrap, label, help, ref, choices, describe, done, onChange });
    }
    if (type === "array" && p.items) {
      const item = resolve(p.items, defs).p;
      if (item.type === "object") return group({ key, id, wrap, help, item, defs, choices, onChange, done });
      const area = el("textarea", { id, rows: 3, dir: "auto" });
      describe(area);
      wrap.append(label, area, help || el("p", { className: "hint", textContent: "One per line." }));
      return done(
        () => area.value.split("\n").map((s) => s.trim()).filter((s) => s !== ""),
        (v) => {
          area.value = (v || []).join("\n");
          area.rows = Math.max(3, (v || []).length + 1);
        },
      );
    }
    if (type === "object" && p.properties) {
      return object({ key, id, wrap, help, p, defs, choices, onChange, done, nullable: !required });
    }
    if (type === "string" || (Array.isArray(type) && type.includes("string")) || p["x-rally-partial-date"]) {
      const long = typeof fallback === "string" && (fallback.length > 90 || fallback.includes("\n"));
      const input = el(long ? "textarea" : "input", { id, dir: "auto" });
      if (long) input.rows = 4;
      else input.type = p.format === "date" ? "date" : "text";
      if (p["x-rally-partial-date"]) input.inputMode = "numeric";
      if (required) input.required = true;
      describe(input);
      wrap.append(label, input);
      if (help) wrap.append(help);
      return done(
        () => (input.value === "" ? (nullable || !required ? null : "") : input.value),
        (v) => (input.value = v ?? ""),
      );
    }
    // Anything else (a map of translations…): shown as written, edited as text.
    const pre = el("pre", { id, tabIndex: 0, textContent: present ? JSON.stringify(value, null, 2) : "(none)" });
    wrap.append(label, pre, el("p", { className: "hint", textContent: "Shown as written: change it in a text editor." }));
    return { key, wrap, read: () => fallback, write: () => {}, original: fallback, present, required };
  }

  // Checkboxes of the site's entries, the ones chosen first, with a search box and, for
  // topics, a way to add a new one.
  function picker({ key, id, wrap, help, ref, choices, describe, done, onChange }) {
    const fieldset = el("fieldset", { id, className: "picker" });
    fieldset.append(el("legend", { textContent: words(key) }));
    if (help) fieldset.append(help);
    const search = el("input", { type: "search", id: id + "-search", placeholder: "Search", autocomplete: "off" });
    const searchLabel = el("label", { htmlFor: search.id, className: "visually-hidden", textContent: "Search " + words(key).toLowerCase() });
    const list = el("ul", { className: "picker-list" });
    fieldset.append(searchLabel, search, list);
    let order = [];
    const known = new Map((choices[ref] || []).map((c) => [c.id, c.label]));
    const item = (cid) => {
      const box = el("input", { type: "checkbox", value: cid, id: `${id}-${++seq}` });
      box.addEventListener("change", () => {
        if (box.checked && !order.includes(cid)) order.push(cid);
        if (!box.checked) order = order.filter((x) => x !== cid);
        onChange();
      });
      const text = known.has(cid) ? known.get(cid) : `${cid} (not on the site)`;
      return el("li", {}, el("label", { htmlFor: box.id, className: "check" }, box, text));
    };
    const render = () => {
      list.textContent = "";
      const ids = [...order, ...[...known.keys()].filter((k) => !order.includes(k))];
      for (const cid of ids) {
        const li = item(cid);
        li.querySelector("input").checked = order.includes(cid);
        list.append(li);
      }
      filter();
    };
    const filter = () => {
      const q = search.value.trim().toLowerCase();
      for (const li of list.children) li.hidden = q !== "" && !li.textContent.toLowerCase().includes(q);
    };
    search.addEventListener("input", filter);
    if (ref === "tags") {
      const add = el("input", { type: "text", id: id + "-new", autocomplete: "off" });
      const addLabel = el("label", { htmlFor: add.id, textContent: "New topic (its id, e.g. family-unity)" });
      const button = el("button", { type: "button", className: "secondary", textContent: "Add topic" });
      button.addEventListener("click", () => {
        const t = add.value.trim().toLowerCase().replace(/\s+/g, "-");
        if (t && !order.includes(t)) {
          order.push(t);
          render();
          onChange();
        }
        add.value = "";
      });
      fieldset.append(el("div", { className: "add" }, addLabel, add, button));
    }
    wrap.append(fieldset);
    return done(() => [...order], (v) => {
      order = [...(v || [])];
      render();
    });
  }

  // A map of known keys (a picture and its description) as a group of fields.
  function object({ key, id, wrap, help, p, defs, choices, onChange, done, nullable }) {
    const fieldset = el("fieldset", { id, className: "group" });
    fieldset.append(el("legend", { textContent: words(key) }));
    if (help) fieldset.append(help);
    const need = new Set(p.required || []);
    // Required keys in the type's order, then the others.
    const rank = (k) => ((p.required || []).includes(k) ? p.required.indexOf(k) : 1000);
    const entries = Object.entries(p.properties).sort((a, b) => rank(a[0]) - rank(b[0]));
    const subs = entries.map(([k, sp]) => {
      const c = build({ key: `${key}.${k}`, value: null, present: false, prop: sp, required: need.has(k), defs, choices, onChange });
      c.wrap.querySelector("label").textContent = words(k) + (need.has(k) ? " (required)" : "");
      fieldset.append(c.wrap);
      return [k, c];
    });
    wrap.append(fieldset);
    const made = done(
      () => {
        const out = {};
        for (const [k, c] of subs) {
          const v = c.read();
          if (v !== null && v !== "" && !(Array.isArray(v) && v.length === 0)) out[k] = v;
        }
        return Object.keys(out).length === 0 && nullable ? null : out;
      },
      (v) => {
        for (const [k, c] of subs) c.write(v ? v[k] ?? null : null);
      },
    );
    made.needs = [...need];
    made.focusOf = (k) => subs.find(([x]) => x === k)?.[1].wrap.querySelector("input,select,textarea");
    return made;
  }

  // A list of maps (a resolution's key paragraphs): one group each, added and removed.
  function group({ key, id, wrap, help, item, defs, choices, onChange, done }) {
    const fieldset = el("fieldset", { id, className: "group" });
    fieldset.append(el("legend", { textContent: words(key) }));
    if (help) fieldset.append(help);
    const rows = el("div");
    const add = el("button", { type: "button", className: "secondary", textContent: "Add one" });
    fieldset.append(rows, add);
    wrap.append(fieldset);
    let items = [];
    const addRow = (v) => {
      const rowWrap = el("div", { className: "row" });
      const c = object({ key: `${key} ${items.length + 1}`, id: `${id}-${++seq}`, wrap: rowWrap, help: null, p: item, defs, choices, onChange, done: (read, write) => ({ read, write }), nullable: false });
      const remove = el("button", { type: "button", className: "secondary", textContent: "Remove this one" });
      const entry = { ...c, rowWrap };
      remove.addEventListener("click", () => {
        items = items.filter((x) => x !== entry);
        rowWrap.remove();
        onChange();
      });
      rowWrap.append(remove);
      c.write(v);
      items.push(entry);
      rows.append(rowWrap);
    };
    add.addEventListener("click", () => {
      addRow({});
      onChange();
    });
    const made = done(
      () => items.map((c) => c.read()).filter((v) => v && Object.keys(v).length > 0),
      (v) => {
        rows.textContent = "";
        items = [];
        for (const x of v || []) addRow(x);
      },
    );
    made.itemNeeds = item.required || [];
    return made;
  }

  return { build, resolve };
})();
