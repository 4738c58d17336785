// The annotation workspace: wires the modules together and starts the page. Server offsets are code
// points; the DOM and Selection API count UTF-16 units; `offsets.js` converts at that boundary and
// nowhere else. User text only ever goes into the page as text nodes / textContent.
//
// Modules: state.js (the one mutable state) · render.js (text, lists, layers, arcs) · selection.js (the
// DOM selection) · navigate.js (moving the selected annotation) ·
// editor.js (forms, saves, undo entries) · wikidata.js (the new speaker's Wikidata search) · combobox.js ·
// keyboard.js (keys, word mode, `?` overlay) · prefs.js · arcs.js, segments.js, keymap.js, history.js,
// words.js, offsets.js, speakerform.js (pure) · api.js · i18n.js.

import { $, S, body, config, find, map } from "./state.js";
import { resolveKeymap } from "./keymap.js";
import { gettext, interpolate } from "./i18n.js";
import { applyLayers, listsBuilt, redrawArcsSoon, render, setStatus } from "./render.js";
import { readSelection } from "./selection.js";
import { scrollToOffset, select } from "./navigate.js";
import { editorDirty, refresh, wireEditor } from "./editor.js";
import { wireKeyboard } from "./keyboard.js";
import { loadPrefs, savePrefs } from "./prefs.js";

performance.mark("workspace:start");
const textEl = $("ws-text");

document.addEventListener("selectionchange", () => {
  const s = readSelection();
  if (s) S.lastSelection = s;
});

textEl.addEventListener("click", (ev) => {
  const sel = window.getSelection();
  if (sel && !sel.isCollapsed) return; // the user is selecting
  const seg = ev.target.closest(".seg");
  if (!seg || !seg.dataset.keys) return;
  const keys = seg.dataset.keys.split(" ");
  for (const key of keys.filter((k) => k.startsWith("L\u0000"))) {
    const [, name, id] = key.split("\u0000");
    const layer = S.layers.get(name) || [];
    const span = layer.find((l) => String(l.id) === id);
    document.dispatchEvent(new CustomEvent("workspace:layer-click", { detail: { name, id: span ? span.id : id } }));
  }
  // The innermost annotation under the click: the shortest one.
  const candidates = keys.filter((k) => k[0] === "q" || k[0] === "m").map(find).filter(Boolean);
  candidates.sort((a, b) => (a.end - a.start) - (b.end - b.start));
  if (candidates.length) select(`${candidates[0].type === "quote" ? "q" : "m"}${candidates[0].id}`, false);
});

// An item of a side list selects its annotation: one listener per list, as the items are redrawn often.
for (const id of ["ws-quote-list", "ws-mention-list"]) {
  $(id).addEventListener("click", (ev) => {
    const item = ev.target.closest(".ws-item");
    if (item && item.dataset.key) select(item.dataset.key, true);
  });
}

wireEditor();
wireKeyboard();

document.querySelectorAll(".ws-layer").forEach((box) => box.addEventListener("change", () => {
  savePrefs({ layers: { ...S.prefs.layers, [box.value]: box.checked } });
  applyLayers();
}));
$("ws-arcs-all").addEventListener("change", (ev) => {
  savePrefs({ arcs: ev.target.checked ? "all" : "selected" });
  applyLayers();
});
new ResizeObserver(() => redrawArcsSoon()).observe(textEl);

window.addEventListener("beforeunload", (ev) => {
  if (editorDirty()) { ev.preventDefault(); ev.returnValue = ""; }
});
// Back/Forward may show the page from the back-forward cache (persisted) or the HTTP cache (a
// back_forward navigation): either way the annotations may be older than the server's; reload them.
window.addEventListener("pageshow", (ev) => {
  const nav = performance.getEntriesByType("navigation")[0];
  if (ev.persisted || (nav && nav.type === "back_forward")) {
    refresh(false).then(() => setStatus(gettext("Reloaded: you are seeing the saved state.")));
  }
});

/** `?quote=<id>` opens the workspace at that quote (links from /review/mine/). */
function openRequestedQuote() {
  const id = new URLSearchParams(window.location.search).get("quote");
  if (!id) return;
  if (find(`q${id}`)) select(`q${id}`, true);
  else setStatus(interpolate(gettext("Quote #%(id)s is not among the annotations shown here."), { id }), "warn");
}

// ---------------------------------------------------------------- public API for panels (suggestions)

window.workspace = Object.freeze({
  articleId: config.articleId,
  body,
  cpToUtf16: (cp) => map.cpToUtf16(cp),
  utf16ToCp: (u) => map.utf16ToCp(u),
  refresh,
  setLayer(name, spans) {
    S.layers.set(String(name), (spans || []).map((s) => ({ start: Number(s.start), end: Number(s.end), id: s.id,
      className: s.className || "", title: s.title || "" })));
    render();
  },
  clearLayer(name) {
    S.layers.delete(String(name));
    render();
  },
  scrollToOffset,
  get state() { return S.data; },
});

// The user's shortcuts and layers come from their own endpoint (the page itself stays at a fixed number of
// queries); it is asked at once and the text drawn meanwhile.
const saved = loadPrefs();
render();
performance.mark("workspace:text");
Object.assign(S.prefs, await saved);
S.prefs.layers = S.prefs.layers || {};
S.keymap = resolveKeymap(S.prefs.shortcuts);
applyLayers();
openRequestedQuote();
await listsBuilt(); // the side lists come after the text's first paint
textEl.classList.add("is-ready");
document.documentElement.dataset.workspaceReady = "true";
performance.mark("workspace:ready");
document.dispatchEvent(new CustomEvent("workspace:ready", { detail: window.workspace }));
