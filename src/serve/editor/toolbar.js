// The body's toolbar: links to other entries picked from a list, and rally's embeds (cite,
// partner card, call to action, form, figure, quote, video, letter, share), each with the
// arguments rally itself lists for it (`api/files` → `embeds`), written at the cursor as
// `{{< name key="value" >}}` on a paragraph of its own.
"use strict";
window.RallyToolbar = (() => {
  const el = (tag, props = {}, ...kids) => {
    const e = Object.assign(document.createElement(tag), props);
    e.append(...kids);
    return e;
  };
  const NAMES = {
    cite: "Cite a resolution",
    partner: "Partner card",
    cta: "Call to action",
    form: "Form",
    figure: "Picture with caption",
    quote: "Quote",
    video: "Video",
    letter: "Letter",
    share: "Share buttons",
  };
  let seq = 0;

  // Text inserted at the cursor (replacing the selection) as a paragraph of its own.
  function insertBlock(area, text) {
    const before = area.value.slice(0, area.selectionStart);
    const after = area.value.slice(area.selectionEnd);
    const lead = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    const tail = after.startsWith("\n\n") ? "" : after.startsWith("\n") ? "\n" : "\n\n";
    area.value = before + lead + text + tail + after;
    // After the paragraph and its blank line, where the next words go.
    const at = (before + lead + text + tail).length;
    area.focus();
    area.setSelectionRange(at, at);
  }

  function mount({ bar, panel, area, embeds, choices, onChange }) {
    bar.textContent = "";
    panel.hidden = true;
    const open = (title, build) => {
      panel.textContent = "";
      panel.hidden = false;
      const h = el("h3", { textContent: title, tabIndex: -1 });
      panel.append(h);
      const close = () => {
        panel.hidden = true;
        panel.textContent = "";
        area.focus();
      };
      build(close);
      const cancel = el("button", { type: "button", className: "secondary", textContent: "Cancel" });
      cancel.addEventListener("click", close);
      panel.append(cancel);
      panel.onkeydown = (e) => e.key === "Escape" && close();
      h.focus();
    };

    // A link: pick the entry, the selected words (or its title) become the link.
    const link = el("button", { type: "button", textContent: "Link to a page…" });
    link.addEventListener("click", () =>
      open("Link to another page of the site", (close) => {
        const selected = area.value.slice(area.selectionStart, area.selectionEnd);
        const { start, end } = { start: area.selectionStart, end: area.selectionEnd };
        const id = `link-search-${++seq}`;
        const search = el("input", { type: "search", id, autocomplete: "off" });
        const list = el("ul", { className: "picker-list" });
        for (const c of choices().links || []) {
          const b = el("button", { type: "button", className: "link-choice", textContent: c.label });
          b.addEventListener("click", () => {
            const words = selected || c.label.replace(/^[^:]*:\s*/, "");
            area.setRangeText(`[${words}](${c.id})`, start, end, "end");
            onChange();
            close();
          });
          list.append(el("li", {}, b));
        }
        search.addEventListener("input", () => {
          const q = search.value.trim().toLowerCase();
          for (const li of list.children) li.hidden = q !== "" && !li.textContent.toLowerCase().includes(q);
        });
        panel.append(el("label", { htmlFor: id, textContent: "Find the page" }), search, list);
      }),
    );
    bar.append(link);

    for (const e of embeds()) {
      const b = el("button", { type: "button", textContent: (NAMES[e.name] || e.name) + "…" });
      b.addEventListener("click", () =>
        open(`Insert: ${NAMES[e.name] || e.name}`, (close) => {
          const inputs = [];
          for (const arg of e.args) {
            const id = `embed-${e.name}-${arg}-${++seq}`;
            let input;
            const pick = arg === "id" ? (e.name === "cite" ? choices().resolutions : e.name === "partner" ? choices().partners : null) : null;
            if (pick) {
              input = el("select", { id });
              for (const c of pick) input.append(el("option", { value: c.id, textContent: c.label }));
            } else {
              input = el("input", { type: "text", id, autocomplete: "off", dir: "auto" });
              if (arg === "url") {
                const listId = id + "-list";
                const dl = el("datalist", { id: listId });
                for (const c of choices().links || []) dl.append(el("option", { value: c.id, label: c.label }));
                input.setAttribute("list", listId);
                panel.append(dl);
              }
            }
            inputs.push([arg, input]);
            panel.append(el("label", { htmlFor: id, textContent: arg === "id" ? "Which one" : arg }), input);
          }
          const insert = el("button", { type: "button", textContent: "Insert" });
          insert.addEventListener("click", () => {
            const args = inputs
              .map(([k, i]) => [k, i.value.trim().replace(/"/g, "”")])
              .filter(([, v]) => v !== "")
              .map(([k, v]) => ` ${k}="${v}"`)
              .join("");
            const inside = area.value.slice(area.selectionStart, area.selectionEnd).trim() || "Your text here.";
            const text = e.block
              ? `{{< ${e.name}${args} >}}\n${inside}\n{{< /${e.name} >}}`
              : `{{< ${e.name}${args} >}}`;
            insertBlock(area, text);
            onChange();
            close();
          });
          panel.append(insert);
        }),
      );
      bar.append(b);
    }
  }

  return { mount };
})();
