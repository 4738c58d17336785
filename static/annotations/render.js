// Rendering: the article text with its highlights (segments.js), the side lists, the selection outline,
// the layers and the arcs. Reads and writes the state only through `S` (state.js).

import { $, S, body, el, find, hasDrafts, map, LAYERS, LIST_PAGE } from "./state.js";
import { buildSegments, paragraphStarts, renderSegments } from "./segments.js";
import { drawArcs } from "./arcs.js";
import { gettext, interpolate } from "./i18n.js";
import { readSelection, restoreSelection } from "./selection.js";

const textEl = () => $("ws-text");
// Paragraph starts of the body (constant for the page): the text is drawn one block per paragraph.
const STARTS = Object.freeze(paragraphStarts(body));

function annotationSpans() {
  const spans = [];
  const editor = S.editor;
  for (const q of S.data.quotes) {
    const key = `q${q.id}`;
    const title = `${q.kind_display} ${gettext("quote")}${q.speaker ? " · " + q.speaker.name : ""} · ${q.status_display}`;
    const classes = ["a-quote", `a-kind-${q.kind}`, `a-status-${q.status}`];
    for (const [s, e] of q.spans) spans.push({ start: s, end: e, key, title, classes });
    if (q.cue) spans.push({ start: q.cue[0], end: q.cue[1], key, title: gettext("cue"), classes: ["a-cue"] });
    if (q.speaker_mention) {
      spans.push({ start: q.speaker_mention[0], end: q.speaker_mention[1], key, title: gettext("speaker mention"), classes: ["a-smention"] });
    }
  }
  for (const m of S.data.mentions) {
    spans.push({ start: m.start, end: m.end, key: `m${m.id}`, title: m.label_display,
                 classes: ["a-ent", `a-ent-${m.label}`, `a-status-${m.status}`] });
  }
  if (editor && editor.mode === "quote") {
    for (const [s, e] of editor.spans) spans.push({ start: s, end: e, key: "pending", classes: ["a-pending"] });
    if (editor.cue) spans.push({ start: editor.cue[0], end: editor.cue[1], key: "pending", classes: ["a-pending", "a-pending-cue"] });
    if (editor.smention) spans.push({ start: editor.smention[0], end: editor.smention[1], key: "pending", classes: ["a-pending", "a-pending-smention"] });
  }
  if (editor && editor.mode === "entity" && !editor.id) {
    spans.push({ start: editor.start, end: editor.end, key: "pending", classes: ["a-pending"] });
  }
  for (const [name, list] of S.layers) {
    for (const l of list) {
      spans.push({ start: l.start, end: l.end, key: `L\u0000${name}\u0000${l.id}`, title: l.title || "",
                   classes: ["l-layer", `l-${cssName(name)}`, ...(l.className ? String(l.className).split(/\s+/) : [])] });
    }
  }
  // code points -> UTF-16 units for the DOM
  for (const s of spans) { s.start = map.cpToUtf16(s.start); s.end = map.cpToUtf16(s.end); }
  return spans;
}

function cssName(name) { return String(name).replace(/[^A-Za-z0-9_-]/g, "_"); }

/** Redraw the text and everything that depends on it. The side lists follow when the browser is idle. */
export function render() {
  const text = textEl();
  // A redraw replaces the text nodes: keep the user's scroll position and selection. The first drawing
  // has neither, and reading the scroll position would force a layout of the page before it is drawn.
  const first = !S.drawn;
  const scroll = first ? 0 : document.scrollingElement.scrollTop;
  const selection = first ? null : readSelection();
  S.rendered = renderSegments(text, body, buildSegments(body.length, annotationSpans(), STARTS), STARTS);
  if (selection) restoreSelection(selection);
  if (!first) document.scrollingElement.scrollTop = scroll;
  S.drawn = true;
  scheduleLists();
  markSelected();
  const readOnly = S.data.view !== "mine";
  document.querySelectorAll(".ws-view").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.view === S.data.view)));
  $("ws-submit").disabled = readOnly || !hasDrafts();
  text.classList.toggle("is-readonly", readOnly);
  document.body.classList.toggle("has-sheet", !$("ws-editor").hidden);
}

/** The arcs of the selected quote (or of all quotes), measured from the rendered segments. */
export function redrawArcs() {
  S.arcsFrame = 0;
  const editor = S.editor;
  const quotes = S.prefs.arcs === "all" ? S.data.quotes
    : S.data.quotes.filter((q) => `q${q.id}` === S.selectedKey || (editor && editor.id === q.id));
  const svg = $("ws-arcs");
  // Nothing to draw and nothing drawn: no need to measure the text (which would lay all of it out).
  if (!quotes.length && !svg.firstChild) return;
  drawArcs(svg, $("ws-text-wrap"), S.rendered, quotes, (cp) => map.cpToUtf16(cp), layerShown("quotes"));
}

/** Arcs are measured after the frame's layout, once per frame however many changes asked for them. */
export function redrawArcsSoon() {
  if (S.arcsFrame) return;
  S.arcsFrame = requestAnimationFrame(redrawArcs);
}

export function layerShown(name) { return S.prefs.layers[name] !== false; }

export function applyLayers() {
  const root = $("ws");
  for (const name of LAYERS) {
    root.classList.toggle(`hide-${name}`, !layerShown(name));
    const box = document.querySelector(`.ws-layer[value="${name}"]`);
    if (box) box.checked = layerShown(name);
  }
  const arcsBox = $("ws-arcs-all");
  if (arcsBox) arcsBox.checked = S.prefs.arcs === "all";
  redrawArcsSoon();
}

export function setStatus(message, kind = "info") {
  const s = $("ws-status");
  s.textContent = message;
  s.dataset.kind = kind;
}

function snippet(text, n = 90) { return text.length > n ? text.slice(0, n - 1) + "…" : text; }

// Long articles: the side lists show the first LIST_PAGE items and grow on request (or when j/k or a
// click selects an item further down), so 5,000 annotations do not build 5,000 list rows. They are
// built after the text is shown (on the next idle period, or at once when something needs them).

function firstItems(list, name) { return list.length > S.listLimit[name] ? list.slice(0, S.listLimit[name]) : list; }

function moreButton(list, name) {
  if (list.length <= S.listLimit[name]) return [];
  return [el("li", {}, el("button", { type: "button", class: "secondary small ws-more",
    onclick: () => { S.listLimit[name] += LIST_PAGE * 5; renderLists(); markSelected(); } },
    interpolate(gettext("Show more (%(n)s not listed)"), { n: list.length - S.listLimit[name] })))];
}

export function ensureListed(key) {
  const name = key[0] === "q" ? "quotes" : "mentions";
  const list = name === "quotes" ? S.data.quotes : S.data.mentions;
  const index = list.findIndex((x) => `${key[0]}${x.id}` === key);
  if (index >= S.listLimit[name]) { S.listLimit[name] = index + LIST_PAGE; S.listsStale = true; }
  if (S.listsStale) renderLists();
}

function whenIdle(fn) {
  if (window.requestIdleCallback) requestIdleCallback(fn, { timeout: 300 });
  else setTimeout(fn, 0);
}

function scheduleLists() {
  S.listsStale = true;
  whenIdle(() => listsNow());
}

/** Build the side lists now if a redraw left them out of date. */
function listsNow() {
  if (S.listsStale) { renderLists(); markSelected(); }
}

/** Resolves once the side lists are built: right after the text's first paint (not at the next idle
 * period, which a long article can put off by the idle callback's whole timeout). */
export function listsBuilt() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => { listsNow(); resolve(); }, 0)));
}

export function renderLists() {
  S.listsStale = false;
  const ql = $("ws-quote-list");
  const items = firstItems(S.data.quotes, "quotes").map((q) => {
    const stances = q.stances.map((s) => `${s.label_display} ${s.target.name}`).join("; ");
    return el("li", { class: "ws-item-row" },
      el("button", { type: "button", class: "ws-item", dataset: { key: `q${q.id}` } },
        el("span", { class: "ws-item-head" },
          el("span", { class: `badge kind-${q.kind}` }, q.kind_display),
          el("span", { class: `badge ${q.status}` }, q.status_display),
          el("strong", { class: "ws-speaker-name" }, q.speaker ? q.speaker.name : gettext("no speaker"))),
        el("span", { class: "ws-item-text" }, `“${snippet(q.text)}”`),
        stances ? el("span", { class: "ws-item-stances muted" }, interpolate(gettext("Stance: %(stances)s"), { stances })) : null,
        q.tags.length ? el("span", { class: "ws-item-tags muted" }, interpolate(gettext("Tags: %(tags)s"), { tags: q.tags.join(", ") })) : null,
        q.status === "rejected" && q.review_note
          ? el("span", { class: "ws-item-note" }, interpolate(gettext("Rejected: %(note)s"), { note: q.review_note })) : null));
  });
  ql.replaceChildren(...items, ...moreButton(S.data.quotes, "quotes"));
  if (!items.length) ql.replaceChildren(el("li", { class: "muted" }, S.data.view === "mine"
    ? gettext("No quotes yet. Select the words inside quotation marks and press q.") : gettext("No accepted quotes.")));
  $("ws-quote-count").textContent = `(${S.data.quotes.length})`;
  const ml = $("ws-mention-list");
  const mitems = firstItems(S.data.mentions, "mentions").map((m) => el("li", { class: "ws-item-row" },
    el("button", { type: "button", class: "ws-item ws-item-mention", dataset: { key: `m${m.id}` } },
      el("span", { class: `a-ent a-ent-${m.label} ws-chip` }, m.label), " ", el("span", {}, snippet(m.text, 60)),
      m.status !== "draft" ? el("span", { class: `badge ${m.status}` }, m.status_display) : null)));
  ml.replaceChildren(...mitems, ...moreButton(S.data.mentions, "mentions"));
  if (!mitems.length) ml.replaceChildren(el("li", { class: "muted" }, gettext("No entities yet. Select a name and press e.")));
  $("ws-mention-count").textContent = `(${S.data.mentions.length})`;
}

/** Make `key` the selected annotation (none when it is not shown), outlined in the text and listed and
 * scrolled to in the side list. The list first: scrolling its item into view may scroll the page too,
 * and a scroll to the words (navigate.js) comes after it. */
export function choose(key) {
  S.selectedKey = find(key) ? key : null;
  S.deleteArmed = null;
  if (S.selectedKey) ensureListed(S.selectedKey);
  markSelected();
  if (!S.selectedKey) return;
  const item = document.querySelector(`.ws-item[data-key="${S.selectedKey}"]`);
  if (item) item.scrollIntoView({ block: "nearest" });
}

/** Outline the selected annotation in the text and in the side list. */
export function markSelected() {
  redrawArcsSoon();
  textEl().querySelectorAll(".is-selected").forEach((n) => n.classList.remove("is-selected"));
  document.querySelectorAll(".ws-item.is-selected").forEach((n) => n.classList.remove("is-selected"));
  if (!S.selectedKey || !find(S.selectedKey)) return;
  for (const node of S.rendered.byKey.get(S.selectedKey) || []) node.classList.add("is-selected");
  const item = document.querySelector(`.ws-item[data-key="${S.selectedKey}"]`);
  if (item) item.classList.add("is-selected");
}
