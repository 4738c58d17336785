// The annotation workspace. Server offsets are code points; the DOM and Selection API count UTF-16
// units; `offsets.js` converts at this boundary and nowhere else. User text only ever goes into the
// page as text nodes / textContent.

import { api, ApiError } from "./api.js";
import { offsetMap } from "./offsets.js";
import { buildSegments, renderSegments } from "./segments.js";
import { DEFAULT_SHORTCUTS, FIXED_SHORTCUTS, actionFor, keymapChanges, keymapErrors, resolveKeymap } from "./keymap.js";
import { createHistory, mentionPayload, quotePayload } from "./history.js";
import { onlyPunctuation, selectionRange, stepSelection, wordAt, wordBounds } from "./words.js";
import { drawArcs } from "./arcs.js";

const $ = (id) => document.getElementById(id);
const readJSON = (id) => JSON.parse($(id).textContent);

const config = readJSON("ws-config");
const body = readJSON("ws-body");
const map = offsetMap(body);
let state = readJSON("ws-state");
const layers = new Map();
const textEl = $("ws-text");
let rendered = { byKey: new Map(), elements: [] };
let selectedKey = null;
let lastSelection = null; // {start, end} in code points, trimmed
let editor = null; // the open form's state
let deleteArmed = null;
let lastLabel = config.labels[0].value;
const prefs = { shortcuts: {}, layers: {}, arcs: "selected" };
let keymap = resolveKeymap(prefs.shortcuts);
const history = createHistory(50);
let wordMode = null; // {words, sel} while the keyboard word-selection mode is on
const LAYERS = ["quotes", "entities", "suggestions", "stances"];

const WHITE = /\s/;
const QUOTE_MARKS = config.quoteMarks; // text.marks.EDGE_MARKS, the one set

// ---------------------------------------------------------------- rendering

function annotationSpans() {
  const spans = [];
  for (const q of state.quotes) {
    const key = `q${q.id}`;
    const title = `${q.kind_display} quote${q.speaker ? " · " + q.speaker.name : ""} · ${q.status_display}`;
    for (const [s, e] of q.spans) {
      spans.push({ start: s, end: e, key, title, classes: ["a-quote", `a-kind-${q.kind}`, `a-status-${q.status}`] });
    }
    if (q.cue) spans.push({ start: q.cue[0], end: q.cue[1], key, title: "cue", classes: ["a-cue"] });
    if (q.speaker_mention) {
      spans.push({ start: q.speaker_mention[0], end: q.speaker_mention[1], key, title: "speaker mention", classes: ["a-smention"] });
    }
  }
  for (const m of state.mentions) {
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
  for (const [name, list] of layers) {
    for (const l of list) {
      spans.push({ start: l.start, end: l.end, key: `L\u0000${name}\u0000${l.id}`, title: l.title || "",
                   classes: ["l-layer", `l-${cssName(name)}`, ...(l.className ? String(l.className).split(/\s+/) : [])] });
    }
  }
  // code points -> UTF-16 units for the DOM
  return spans.map((s) => ({ ...s, start: map.cpToUtf16(s.start), end: map.cpToUtf16(s.end) }));
}

function cssName(name) { return String(name).replace(/[^A-Za-z0-9_-]/g, "_"); }

function render() {
  const scroll = document.scrollingElement.scrollTop;
  const selection = readSelection(); // re-rendering replaces the text nodes: keep the user's selection
  rendered = renderSegments(textEl, body, buildSegments(body.length, annotationSpans()));
  if (selection) restoreSelection(selection);
  document.scrollingElement.scrollTop = scroll;
  renderLists();
  markSelected();
  const readOnly = state.view !== "mine";
  document.querySelectorAll(".ws-view").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.view === state.view)));
  $("ws-submit").disabled = readOnly || !hasDrafts();
  textEl.classList.toggle("is-readonly", readOnly);
  document.body.classList.toggle("has-sheet", !editorEl.hidden);
  redrawArcs();
}

function redrawArcs() {
  const quotes = prefs.arcs === "all" ? state.quotes
    : state.quotes.filter((q) => `q${q.id}` === selectedKey || (editor && editor.id === q.id));
  drawArcs($("ws-arcs"), $("ws-text-wrap"), rendered, quotes, (cp) => map.cpToUtf16(cp), layerShown("quotes"));
}

function layerShown(name) { return prefs.layers[name] !== false; }

function applyLayers() {
  const root = $("ws");
  for (const name of LAYERS) {
    root.classList.toggle(`hide-${name}`, !layerShown(name));
    const box = document.querySelector(`.ws-layer[value="${name}"]`);
    if (box) box.checked = layerShown(name);
  }
  const arcsBox = $("ws-arcs-all");
  if (arcsBox) arcsBox.checked = prefs.arcs === "all";
  redrawArcs();
}

async function savePrefs(changes) {
  Object.assign(prefs, changes);
  try {
    await api("POST", config.urls.preferences, changes);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    setStatus(`Your settings could not be saved: ${err.message}`, "error");
  }
}

function hasDrafts() {
  return state.quotes.some((q) => q.status === "draft") || state.mentions.some((m) => m.status === "draft");
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}

function snippet(text, n = 90) { return text.length > n ? text.slice(0, n - 1) + "…" : text; }

// Long articles: the side lists show the first LIST_PAGE items and grow on request (or when j/k or a
// click selects an item further down), so 5,000 annotations do not build 5,000 list rows at load.
const LIST_PAGE = 200;
const listLimit = { quotes: LIST_PAGE, mentions: LIST_PAGE };

function firstItems(list, name) { return list.length > listLimit[name] ? list.slice(0, listLimit[name]) : list; }

function moreButton(list, name) {
  if (list.length <= listLimit[name]) return [];
  return [el("li", {}, el("button", { type: "button", class: "secondary small ws-more",
    onclick: () => { listLimit[name] += LIST_PAGE * 5; renderLists(); markSelected(); } },
    `Show more (${list.length - listLimit[name]} not listed)`))];
}

function ensureListed(key) {
  const name = key[0] === "q" ? "quotes" : "mentions";
  const list = name === "quotes" ? state.quotes : state.mentions;
  const index = list.findIndex((x) => `${key[0]}${x.id}` === key);
  if (index >= listLimit[name]) { listLimit[name] = index + LIST_PAGE; renderLists(); }
}

function renderLists() {
  const ql = $("ws-quote-list");
  const items = firstItems(state.quotes, "quotes").map((q) => {
    const stances = q.stances.map((s) => `${s.label_display} ${s.target.name}`).join("; ");
    return el("li", { class: "ws-item-row" },
      el("button", { type: "button", class: "ws-item", dataset: { key: `q${q.id}` }, onclick: () => select(`q${q.id}`, true) },
        el("span", { class: "ws-item-head" },
          el("span", { class: `badge kind-${q.kind}` }, q.kind_display),
          el("span", { class: `badge ${q.status}` }, q.status_display),
          el("strong", { class: "ws-speaker-name" }, q.speaker ? q.speaker.name : "no speaker")),
        el("span", { class: "ws-item-text" }, `“${snippet(q.text)}”`),
        stances ? el("span", { class: "ws-item-stances muted" }, `Stance: ${stances}`) : null,
        q.tags.length ? el("span", { class: "ws-item-tags muted" }, `Tags: ${q.tags.join(", ")}`) : null,
        q.status === "rejected" && q.review_note ? el("span", { class: "ws-item-note" }, `Rejected: ${q.review_note}`) : null));
  });
  ql.replaceChildren(...items, ...moreButton(state.quotes, "quotes"));
  if (!items.length) ql.replaceChildren(el("li", { class: "muted" }, state.view === "mine"
    ? "No quotes yet. Select the words inside quotation marks and press q." : "No accepted quotes."));
  $("ws-quote-count").textContent = `(${state.quotes.length})`;
  const ml = $("ws-mention-list");
  const mitems = firstItems(state.mentions, "mentions").map((m) => el("li", { class: "ws-item-row" },
    el("button", { type: "button", class: "ws-item ws-item-mention", dataset: { key: `m${m.id}` }, onclick: () => select(`m${m.id}`, true) },
      el("span", { class: `a-ent a-ent-${m.label} ws-chip` }, m.label), " ", el("span", {}, snippet(m.text, 60)),
      m.status !== "draft" ? el("span", { class: `badge ${m.status}` }, m.status_display) : null)));
  ml.replaceChildren(...mitems, ...moreButton(state.mentions, "mentions"));
  if (!mitems.length) ml.replaceChildren(el("li", { class: "muted" }, "No entities yet. Select a name and press e."));
  $("ws-mention-count").textContent = `(${state.mentions.length})`;
}

function markSelected() {
  redrawArcsSoon();
  textEl.querySelectorAll(".is-selected").forEach((n) => n.classList.remove("is-selected"));
  document.querySelectorAll(".ws-item.is-selected").forEach((n) => n.classList.remove("is-selected"));
  if (!selectedKey) return;
  for (const node of rendered.byKey.get(selectedKey) || []) node.classList.add("is-selected");
  const item = document.querySelector(`.ws-item[data-key="${selectedKey}"]`);
  if (item) item.classList.add("is-selected");
}

let arcsFrame = 0;
function redrawArcsSoon() {
  cancelAnimationFrame(arcsFrame);
  arcsFrame = requestAnimationFrame(redrawArcs);
}

// ---------------------------------------------------------------- selection

function find(key) {
  if (!key) return null;
  const id = Number(key.slice(1));
  if (key[0] === "q") return state.quotes.find((q) => q.id === id) || null;
  if (key[0] === "m") return state.mentions.find((m) => m.id === id) || null;
  return null;
}

function select(key, scroll = false, openEditor = true) {
  selectedKey = find(key) ? key : null;
  deleteArmed = null;
  if (selectedKey) ensureListed(selectedKey);
  markSelected();
  if (!selectedKey) return;
  if (scroll) {
    const nodes = rendered.byKey.get(selectedKey);
    if (nodes && nodes.length) nodes[0].scrollIntoView({ block: "center", behavior: "smooth" });
  }
  const item = document.querySelector(`.ws-item[data-key="${selectedKey}"]`);
  if (item) item.scrollIntoView({ block: "nearest" });
  if (openEditor) openExisting(find(selectedKey));
}

function orderedKeys() {
  const all = [
    ...state.quotes.map((q) => ({ key: `q${q.id}`, start: q.start, end: q.end })),
    ...state.mentions.map((m) => ({ key: `m${m.id}`, start: m.start, end: m.end })),
  ];
  all.sort((a, b) => a.start - b.start || b.end - a.end);
  return all.map((a) => a.key);
}

function step(delta) {
  const keys = orderedKeys();
  if (!keys.length) return;
  const i = keys.indexOf(selectedKey);
  const next = i === -1 ? (delta > 0 ? 0 : keys.length - 1) : (i + delta + keys.length) % keys.length;
  select(keys[next], true);
}

/** The current text selection inside the article, as trimmed code-point offsets, or null. */
function readSelection() {
  const sel = window.getSelection();
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  if (!textEl.contains(range.commonAncestorContainer) && !range.intersectsNode(textEl)) return null;
  const unitAt = (container, offset, atEnd) => {
    if (!textEl.contains(container)) return atEnd ? body.length : 0;
    const pre = document.createRange();
    pre.selectNodeContents(textEl);
    pre.setEnd(container, offset);
    return pre.toString().length;
  };
  let u0 = unitAt(range.startContainer, range.startOffset, false);
  let u1 = unitAt(range.endContainer, range.endOffset, true);
  if (u1 <= u0) return null;
  return { start: map.utf16ToCp(u0), end: map.utf16ToCp(u1) };
}

/** Trim white space (and, for quote content, the quotation marks) from both ends of a cp span. */
function trimSpan(span, marks = false) {
  if (!span) return null;
  let s = map.cpToUtf16(span.start);
  let e = map.cpToUtf16(span.end);
  const strip = (ch) => WHITE.test(ch) || (marks && QUOTE_MARKS.includes(ch));
  while (s < e && strip(body[s])) s++;
  while (e > s && strip(body[e - 1])) e--;
  if (e <= s) return null;
  return { start: map.utf16ToCp(s), end: map.utf16ToCp(e) };
}

function restoreSelection({ start, end }) {
  const locate = (unit) => {
    const els = rendered.elements;
    for (let i = els.length - 1; i >= 0; i--) {
      const at = Number(els[i].dataset.start);
      if (at <= unit) return [els[i].firstChild, unit - at];
    }
    return [textEl, 0];
  };
  const [sn, so] = locate(map.cpToUtf16(start));
  const [en, eo] = locate(map.cpToUtf16(end));
  const range = document.createRange();
  range.setStart(sn, so);
  range.setEnd(en, eo);
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
}

function textOf(span) { return body.slice(map.cpToUtf16(span[0]), map.cpToUtf16(span[1])); }

function currentSelection() {
  return readSelection() || lastSelection;
}

document.addEventListener("selectionchange", () => {
  const s = readSelection();
  if (s) lastSelection = s;
});

// ---------------------------------------------------------------- editor

const editorEl = $("ws-editor");
const form = $("ws-form");

function setStatus(message, kind = "info") {
  const s = $("ws-status");
  s.textContent = message;
  s.dataset.kind = kind;
}

function clearErrors() {
  $("ws-errors").replaceChildren();
  form.querySelectorAll(".ws-err").forEach((p) => { p.textContent = ""; });
}

function showErrors(errors) {
  clearErrors();
  const general = [];
  for (const [field, messages] of Object.entries(errors || {})) {
    const slot = form.querySelector(`.ws-err[data-for="${CSS.escape(field)}"]`);
    if (slot && !slot.closest("[hidden]")) slot.textContent = messages.join(" ");
    else general.push(...messages);
  }
  $("ws-errors").replaceChildren(...general.map((m) => el("p", {}, m)));
}

function blankQuote(span) {
  return { mode: "quote", id: null, version: null, editable: true, kind: "direct", spans: span ? [[span.start, span.end]] : [],
           cue: null, smention: null, speaker: null, newSpeaker: null, stances: [], tags: [] };
}

function openQuote(span) {
  if (!requireMine()) return;
  const trimmed = trimSpan(span, true);
  if (!trimmed) { setStatus("Select the words of the quote first (without the quotation marks).", "error"); return; }
  if (refusePunctuation(trimmed)) return;
  editor = blankQuote(trimmed);
  selectedKey = null;
  showEditor();
}

function openEntity(span, label) {
  if (!requireMine()) return;
  const trimmed = trimSpan(span);
  if (!trimmed) { setStatus("Select the name first.", "error"); return; }
  if (refusePunctuation(trimmed)) return;
  editor = { mode: "entity", id: null, editable: true, start: trimmed.start, end: trimmed.end, label: label || lastLabel };
  selectedKey = null;
  showEditor();
}

function openExisting(item) {
  if (!item) return;
  if (item.type === "quote") {
    editor = { mode: "quote", id: item.id, version: item.version, editable: item.editable, kind: item.kind,
               spans: item.spans.map((s) => [...s]), cue: item.cue, smention: item.speaker_mention,
               speaker: item.speaker, newSpeaker: null, tags: [...item.tags],
               stances: item.stances.map((s) => ({ target: s.target.id, target_name: s.target.name, label: s.label, note: s.note })),
               status: item.status_display, annotator: item.annotator };
  } else {
    editor = { mode: "entity", id: item.id, editable: item.editable, start: item.start, end: item.end, label: item.label,
               status: item.status_display, annotator: item.annotator };
  }
  showEditor(false);
}

function refusePunctuation(span) {
  if (!onlyPunctuation(textOf([span.start, span.end]))) return false;
  setStatus(`“${textOf([span.start, span.end])}” is only punctuation or white space; select at least one word.`, "error");
  return true;
}

function requireMine() {
  if (state.view !== "mine") {
    setStatus("You are looking at the accepted annotations; switch to “My annotations” (a) to annotate.", "error");
    return false;
  }
  return true;
}

function showEditor(rerender = true) {
  clearErrors();
  editorEl.hidden = false;
  editorEl.dataset.mode = editor.mode;
  const isQuote = editor.mode === "quote";
  form.querySelector(".ws-entity-part").hidden = isQuote;
  form.querySelector(".ws-quote-part").hidden = !isQuote;
  $("ws-editor-title").textContent = `${editor.id ? (editor.editable ? "Edit" : "View") : "New"} ${isQuote ? "quote" : "entity"}`;
  $("ws-delete").hidden = !(editor.id && editor.editable);
  $("ws-save").hidden = !editor.editable;
  form.querySelectorAll("input, select, .ws-quote-part button, .ws-entity-part button").forEach((n) => { n.disabled = !editor.editable; });
  $("ws-cancel").disabled = false;
  $("ws-meta").textContent = editor.id ? `${editor.status} · by ${editor.annotator}${editor.editable ? "" : " · read-only"}` : "";
  if (isQuote) {
    form.querySelectorAll('input[name="kind"]').forEach((r) => { r.checked = r.value === editor.kind; });
    $("ws-tags").value = editor.tags.join(", ");
    $("ws-speaker-input").value = "";
    $("ws-newspeaker").hidden = !editor.newSpeaker;
    if (editor.newSpeaker) fillNewSpeaker(editor.newSpeaker);
    renderQuoteParts();
  } else {
    $("ws-label").value = editor.label;
    $("ws-entity-text").textContent = textOf([editor.start, editor.end]);
  }
  $("ws-speaker-unknown").checked = false;
  editor.initial = editorSnapshot();
  if (rerender) render();
  else redrawArcs();
  placeEditor();
}

/** On a narrow screen the editor is a sheet fixed inside the viewport (CSS); scroll it to its top. */
function placeEditor() {
  editorEl.scrollTop = 0;
  document.body.classList.add("has-sheet");
  if (!window.matchMedia("(max-width: 900px)").matches) editorEl.scrollIntoView({ block: "nearest" });
}

function editorSnapshot() {
  if (!editor) return "";
  if (editor.mode === "entity") return JSON.stringify([editor.start, editor.end, $("ws-label").value]);
  const kind = form.querySelector('input[name="kind"]:checked');
  return JSON.stringify([kind && kind.value, editor.spans, editor.cue, editor.smention, editor.speaker && editor.speaker.id,
    editor.newSpeaker, $("ws-tags").value, editor.stances, $("ws-target-input").value, $("ws-speaker-input").value]);
}

function editorDirty() {
  return !!(editor && editor.editable && editor.initial !== undefined && editorSnapshot() !== editor.initial);
}

/** Close the editor; when it holds changes, ask first. Returns whether it closed. */
function cancelEditor() {
  if (editorDirty() && !window.confirm("Discard the changes in the open form?")) {
    setStatus("The form is still open.", "warn");
    return false;
  }
  closeEditor();
  return true;
}

function renderQuoteParts() {
  const spans = editor.spans.map(([s, e], i) => el("li", {},
    el("q", { class: "a-quote" }, textOf([s, e])), " ",
    el("span", { class: "muted" }, `${s}–${e}`), " ",
    editor.editable && editor.spans.length > 1
      ? el("button", { type: "button", class: "secondary small", "aria-label": `Remove span ${i + 1}`,
                       onclick: () => { editor.spans.splice(i, 1); renderQuoteParts(); render(); } }, "×") : null));
  $("ws-spans").replaceChildren(...spans);
  $("ws-cue-text").textContent = editor.cue ? textOf(editor.cue) : "none";
  $("ws-cue-text").classList.toggle("is-set", !!editor.cue);
  $("ws-smention-text").textContent = editor.smention ? textOf(editor.smention) : "none";
  $("ws-smention-text").classList.toggle("is-set", !!editor.smention);
  const chosen = $("ws-speaker-chosen");
  if (editor.speaker) {
    chosen.hidden = false;
    chosen.replaceChildren(el("strong", {}, editor.speaker.name),
      editor.speaker.description ? el("span", { class: "muted" }, ` · ${editor.speaker.description}`) : "",
      editor.editable ? el("button", { type: "button", class: "secondary small", "aria-label": "Change the speaker",
        onclick: () => { editor.speaker = null; renderQuoteParts(); $("ws-speaker-input").focus(); } }, "change") : "");
    $("ws-speaker-input").hidden = true;
  } else {
    chosen.hidden = true;
    chosen.replaceChildren();
    $("ws-speaker-input").hidden = !!editor.newSpeaker;
  }
  $("ws-stances").replaceChildren(...editor.stances.map((s, i) => el("li", {},
    el("span", { class: `badge stance-${s.label}` }, s.label), " ", el("span", {}, s.target_name),
    s.note ? el("span", { class: "muted" }, ` — ${s.note}`) : "", " ",
    editor.editable ? el("button", { type: "button", class: "secondary small", "aria-label": `Remove stance on ${s.target_name}`,
      onclick: () => { editor.stances.splice(i, 1); renderQuoteParts(); } }, "×") : "")));
}

function closeEditor() {
  document.body.classList.remove("has-sheet");
  editor = null;
  editorEl.hidden = true;
  clearErrors();
  closeOptions();
  render();
}

function takeInto(field) {
  if (!editor || editor.mode !== "quote" || !editor.editable) {
    setStatus("Open a quote first (select its words and press q).", "error");
    return;
  }
  const span = trimSpan(currentSelection(), field === "spans");
  if (!span) { setStatus("Select some text in the article first.", "error"); return; }
  if (refusePunctuation(span)) return;
  const pair = [span.start, span.end];
  if (field === "spans") {
    if (editor.spans.some(([s, e]) => s === pair[0] && e === pair[1])) return;
    editor.spans.push(pair);
    editor.spans.sort((a, b) => a[0] - b[0]);
  } else if (field === "cue") {
    editor.cue = pair;
  } else {
    editor.smention = pair;
    if (!editor.speaker && !editor.newSpeaker && !$("ws-speaker-input").value) {
      $("ws-speaker-input").value = textOf(pair);
      searchSpeakers($("ws-speaker-input"));
    }
  }
  window.getSelection().removeAllRanges();
  lastSelection = null;
  renderQuoteParts();
  render();
}

function fillNewSpeaker(ns) {
  $("ws-ns-name").value = ns.name || "";
  $("ws-ns-kind").value = ns.kind || "person";
  $("ws-ns-description").value = ns.description || "";
  renderAffiliation();
}

function renderAffiliation() {
  const ns = editor && editor.newSpeaker;
  const chosen = $("ws-ns-affiliation-chosen");
  if (ns && ns.affiliation) {
    chosen.hidden = false;
    chosen.replaceChildren(el("strong", {}, ns.affiliation.name), " ",
      el("button", { type: "button", class: "secondary small", "aria-label": "Remove the affiliation",
                     onclick: () => { ns.affiliation = null; renderAffiliation(); } }, "×"));
    $("ws-ns-affiliation-input").hidden = true;
  } else {
    chosen.hidden = true;
    chosen.replaceChildren();
    $("ws-ns-affiliation-input").hidden = false;
  }
}

function startNewSpeaker(name) {
  editor.speaker = null;
  editor.newSpeaker = { name, kind: "person", description: "", affiliation: null };
  $("ws-newspeaker").hidden = false;
  fillNewSpeaker(editor.newSpeaker);
  renderQuoteParts();
  closeOptions();
  $("ws-ns-name").focus();
}

/** Double quotation marks pair up inside the text (as annotations/marks.py checks on the server). */
function balancedMarks(text) {
  const count = (ch) => text.split(ch).length - 1;
  return count("“") === count("”") && count("«") === count("»") && count('"') % 2 === 0;
}

/**
 * A mixed quote may begin or end with its quoted fragment, marks included. Selection trimming removed
 * those marks; give a span back the mark just outside it when that is what makes its marks pair up.
 */
function withFragmentMarks(spans) {
  return spans.map(([s, e]) => {
    if (balancedMarks(textOf([s, e]))) return [s, e];
    const after = textOf([e, e + 1]);
    if ("”»\"".includes(after) && balancedMarks(textOf([s, e + 1]))) return [s, e + 1];
    const before = s > 0 ? textOf([s - 1, s]) : "";
    if ("“«\"".includes(before) && balancedMarks(textOf([s - 1, e]))) return [s - 1, e];
    return [s, e];
  });
}

function collectQuote() {
  const kind = form.querySelector('input[name="kind"]:checked');
  const kindValue = kind ? kind.value : "direct";
  const spans = kindValue === "mixed" ? withFragmentMarks(editor.spans) : editor.spans;
  const payload = {
    kind: kindValue,
    spans,
    span_texts: spans.map(textOf),
    cue: editor.cue,
    cue_text: editor.cue ? textOf(editor.cue) : "",
    speaker_mention: editor.smention,
    speaker_mention_text: editor.smention ? textOf(editor.smention) : "",
    speaker: editor.speaker ? editor.speaker.id : null,
    tags: $("ws-tags").value.split(",").map((t) => t.trim()).filter(Boolean),
    stances: editor.stances.map((s) => ({ target: s.target || null, target_name: s.target_name, label: s.label, note: s.note || "" })),
  };
  if (editor.newSpeaker) {
    payload.new_speaker = {
      name: $("ws-ns-name").value.trim(), kind: $("ws-ns-kind").value, description: $("ws-ns-description").value.trim(),
      affiliation: editor.newSpeaker.affiliation ? editor.newSpeaker.affiliation.id : null,
    };
    payload.speaker = null;
  }
  if (editor.id) payload.version = editor.version;
  return payload;
}

let saving = false;
async function save() {
  if (!editor || !editor.editable || saving) return;
  saving = true;
  clearErrors();
  try {
    if (editor.mode === "quote") {
      if ($("ws-target-input").value.trim()) addStanceFromForm();
      const payload = collectQuote();
      if (!payload.speaker && !payload.new_speaker && !$("ws-speaker-unknown").checked
          && !window.confirm("This quote has no speaker. Save it with the speaker unknown?")) {
        setStatus("Not saved: pick the speaker (p), or tick “Speaker unknown”.", "warn");
        return;
      }
      if (!payload.speaker && !payload.new_speaker && !payload.tags.includes(SPEAKER_UNKNOWN)) payload.tags.push(SPEAKER_UNKNOWN);
      const before = editor.id ? quotePayload(find(`q${editor.id}`), textOf) : null;
      const data = editor.id
        ? await api("PATCH", config.urls.quote.replace("{id}", editor.id), payload)
        : await api("POST", config.urls.quotes, payload);
      recordQuoteChange(before, data.quote);
      setStatus(editor.id ? "Quote saved. Ctrl+Z undoes it." : "Quote created. Ctrl+Z undoes it.", "ok");
      editor = null;
      await refresh();
      editorEl.hidden = true;
      select(`q${data.quote.id}`, false, false);
    } else {
      const label = $("ws-label").value;
      lastLabel = label;
      const before = editor.id ? find(`m${editor.id}`) : null;
      const data = editor.id
        ? await api("PATCH", config.urls.mention.replace("{id}", editor.id), { label })
        : await api("POST", config.urls.mentions, { start: editor.start, end: editor.end, label, text: textOf([editor.start, editor.end]) });
      recordMentionChange(before, data.mention);
      setStatus(`Entity ${data.mention.label} saved.`, "ok");
      editor = null;
      await refresh();
      editorEl.hidden = true;
      select(`m${data.mention.id}`, false, false);
    }
    window.getSelection().removeAllRanges();
    lastSelection = null;
  } catch (err) {
    handleError(err);
  } finally {
    saving = false;
  }
}

const SPEAKER_UNKNOWN = "speaker-unknown";

// ---------------------------------------------------------------- undo / redo (through the JSON endpoints)

const quoteUrl = (id) => config.urls.quote.replace("{id}", id);
const mentionUrl = (id) => config.urls.mention.replace("{id}", id);
const versionOf = (id) => { const q = find(`q${id}`); return q ? q.version : undefined; };

function recordQuoteChange(before, after) {
  const ref = { id: after.id };
  const afterPayload = quotePayload(after, textOf);
  if (!before) {
    history.push({ what: "quote creation",
      undo: async () => { await api("DELETE", quoteUrl(ref.id)); },
      redo: async () => { ref.id = (await api("POST", config.urls.quotes, afterPayload)).quote.id; } });
  } else {
    history.push({ what: "quote edit",
      undo: async () => { await api("PATCH", quoteUrl(ref.id), { ...before, version: versionOf(ref.id) }); },
      redo: async () => { await api("PATCH", quoteUrl(ref.id), { ...afterPayload, version: versionOf(ref.id) }); } });
  }
}

function recordQuoteDeletion(item) {
  const ref = { id: item.id };
  const payload = quotePayload(item, textOf);
  history.push({ what: "quote deletion",
    undo: async () => { ref.id = (await api("POST", config.urls.quotes, payload)).quote.id; },
    redo: async () => { await api("DELETE", quoteUrl(ref.id)); } });
}

function recordMentionChange(before, after) {
  const ref = { id: after.id };
  if (!before) {
    const payload = mentionPayload(after);
    history.push({ what: "entity creation",
      undo: async () => { await api("DELETE", mentionUrl(ref.id)); },
      redo: async () => { ref.id = (await api("POST", config.urls.mentions, payload)).mention.id; } });
  } else {
    history.push({ what: "entity edit",
      undo: async () => { await api("PATCH", mentionUrl(ref.id), { label: before.label }); },
      redo: async () => { await api("PATCH", mentionUrl(ref.id), { label: after.label }); } });
  }
}

function recordMentionDeletion(item) {
  const ref = { id: item.id };
  const payload = mentionPayload(item);
  history.push({ what: "entity deletion",
    undo: async () => { ref.id = (await api("POST", config.urls.mentions, payload)).mention.id; },
    redo: async () => { await api("DELETE", mentionUrl(ref.id)); } });
}

/** A quote that appeared through the suggestions panel (origin rule:…) can be undone like one we created. */
function recordSuggestionAccepts(previous) {
  if (!previous) return;
  for (const q of state.quotes) {
    if (!previous.has(q.id) && q.editable && String(q.origin || "").startsWith("rule:")) recordQuoteChange(null, q);
  }
}

async function undoRedo(redo) {
  if (editor && !cancelEditor()) return;
  const entry = redo ? await runHistory(() => history.redo()) : await runHistory(() => history.undo());
  if (entry === undefined) return;
  if (entry === null) { setStatus(redo ? "Nothing to redo." : "Nothing to undo."); return; }
  selectedKey = null;
  await refresh(false);
  setStatus(`${redo ? "Redone" : "Undone"}: ${entry.what}.`, "ok");
}

async function runHistory(step) {
  try { return await step(); } catch (err) { handleError(err); return undefined; }
}

function handleError(err) {
  if (!(err instanceof ApiError)) throw err;
  if (editor && !editorEl.hidden) showErrors(err.errors);
  setStatus(Object.values(err.errors).flat().join(" "), "error");
  if (err.status === 409) refresh();
}

async function quickEntity(span, label) {
  if (!requireMine()) return;
  const trimmed = trimSpan(span);
  if (!trimmed || refusePunctuation(trimmed)) return;
  lastLabel = label;
  try {
    const data = await api("POST", config.urls.mentions,
      { start: trimmed.start, end: trimmed.end, label, text: textOf([trimmed.start, trimmed.end]) });
    window.getSelection().removeAllRanges();
    lastSelection = null;
    recordMentionChange(null, data.mention);
    setStatus(`Entity ${label} saved: ${data.mention.text}`, "ok");
    await refresh();
  } catch (err) {
    handleError(err);
  }
}

async function removeSelected() {
  const item = find(selectedKey);
  if (!item) return;
  if (!item.editable) { setStatus("This annotation is read-only for you.", "error"); return; }
  if (deleteArmed !== selectedKey) {
    deleteArmed = selectedKey;
    setStatus("Press Delete again to delete this annotation (Esc to keep it).", "warn");
    return;
  }
  const url = item.type === "quote" ? config.urls.quote : config.urls.mention;
  try {
    await api("DELETE", url.replace("{id}", item.id));
    if (item.type === "quote") recordQuoteDeletion(item); else recordMentionDeletion(item);
    setStatus(`${item.type === "quote" ? "Quote" : "Entity"} deleted. Ctrl+Z brings it back.`, "ok");
    selectedKey = null;
    deleteArmed = null;
    editor = null;
    editorEl.hidden = true;
    await refresh();
  } catch (err) {
    handleError(err);
  }
}

function addStanceFromForm() {
  const name = $("ws-target-input").value.trim();
  if (!name) return;
  const known = targetCache.find((t) => t.name.toLowerCase() === name.toLowerCase());
  const stance = { target: known ? known.id : null, target_name: known ? known.name : name,
                   label: $("ws-stance-label").value, note: $("ws-stance-note").value.trim() };
  editor.stances = editor.stances.filter((s) => s.target_name.toLowerCase() !== stance.target_name.toLowerCase());
  editor.stances.push(stance);
  $("ws-target-input").value = "";
  $("ws-stance-note").value = "";
  renderQuoteParts();
}

// ---------------------------------------------------------------- autocomplete

let searchTimer = null;
let activeCombo = null;
let targetCache = [];

function closeOptions() {
  for (const id of ["ws-speaker-options", "ws-ns-affiliation-options"]) {
    const list = $(id);
    list.hidden = true;
    list.replaceChildren();
  }
  for (const id of ["ws-speaker-input", "ws-ns-affiliation-input"]) {
    $(id).setAttribute("aria-expanded", "false");
    $(id).removeAttribute("aria-activedescendant");
  }
  activeCombo = null;
}

function searchSpeakers(input) {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(async () => {
    const term = input.value.trim();
    const isAffiliation = input.id === "ws-ns-affiliation-input";
    const list = $(isAffiliation ? "ws-ns-affiliation-options" : "ws-speaker-options");
    if (!term) { closeOptions(); return; }
    let results = [];
    try {
      results = (await api("GET", `${config.urls.speakers}?q=${encodeURIComponent(term)}`)).results;
    } catch (err) { handleError(err); return; }
    if (input.value.trim() !== term) return;
    const pick = (speaker) => {
      if (isAffiliation) { editor.newSpeaker.affiliation = speaker; renderAffiliation(); }
      else { editor.speaker = speaker; editor.newSpeaker = null; $("ws-newspeaker").hidden = true; renderQuoteParts(); }
      input.value = "";
      closeOptions();
    };
    const options = results.map((s) => el("li", { role: "option", class: "ws-option", tabindex: "-1", onmousedown: (ev) => { ev.preventDefault(); pick(s); } },
      el("strong", {}, s.name),
      s.matched_alias ? el("span", { class: "muted" }, ` (as “${s.matched_alias}”)`) : "",
      s.description || s.affiliation ? el("span", { class: "muted" }, ` · ${[s.description, s.affiliation].filter(Boolean).join(", ")}`) : ""));
    options.forEach((o, i) => { o._pick = () => pick(results[i]); });
    if (!isAffiliation) {
      const create = el("li", { role: "option", class: "ws-option ws-option-create", tabindex: "-1",
                                 onmousedown: (ev) => { ev.preventDefault(); startNewSpeaker(term); } },
        "+ New speaker “", el("strong", {}, term), "”");
      create._pick = () => startNewSpeaker(term);
      options.push(create);
    }
    list.replaceChildren(...options);
    list.hidden = options.length === 0;
    input.setAttribute("aria-expanded", String(options.length > 0));
    activeCombo = { input, list, index: 0 };
    highlightOption();
  }, 120);
}

function highlightOption() {
  if (!activeCombo) return;
  const options = [...activeCombo.list.children];
  options.forEach((o, i) => {
    o.id = `${activeCombo.list.id}-${i}`;
    o.setAttribute("aria-selected", String(i === activeCombo.index));
  });
  const active = options[activeCombo.index];
  if (active) { activeCombo.input.setAttribute("aria-activedescendant", active.id); active.scrollIntoView({ block: "nearest" }); }
  else activeCombo.input.removeAttribute("aria-activedescendant");
}

function comboKey(ev) {
  if (!activeCombo || activeCombo.input !== ev.target || activeCombo.list.hidden) return false;
  const options = [...activeCombo.list.children];
  if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
    activeCombo.index = (activeCombo.index + (ev.key === "ArrowDown" ? 1 : -1) + options.length) % options.length;
    highlightOption();
    return true;
  }
  if (ev.key === "Enter") {
    const option = options[activeCombo.index];
    if (option && option._pick) option._pick();
    return true;
  }
  if (ev.key === "Escape") { closeOptions(); return true; }
  return false;
}

$("ws-speaker-input").addEventListener("input", (ev) => searchSpeakers(ev.target));
$("ws-ns-affiliation-input").addEventListener("input", (ev) => searchSpeakers(ev.target));
$("ws-speaker-input").addEventListener("blur", () => setTimeout(closeOptions, 150));
$("ws-ns-affiliation-input").addEventListener("blur", () => setTimeout(closeOptions, 150));
$("ws-target-input").addEventListener("input", async (ev) => {
  const term = ev.target.value.trim();
  try {
    targetCache = (await api("GET", `${config.urls.targets}?q=${encodeURIComponent(term)}`)).results;
  } catch (err) { return; }
  $("ws-target-list").replaceChildren(...targetCache.map((t) => el("option", { value: t.name })));
});
$("ws-target-input").addEventListener("keydown", (ev) => {
  if (ev.key === "Enter") { ev.preventDefault(); addStanceFromForm(); }
});
$("ws-stance-add").addEventListener("click", () => addStanceFromForm());
$("ws-ns-cancel").addEventListener("click", () => {
  editor.newSpeaker = null;
  $("ws-newspeaker").hidden = true;
  renderQuoteParts();
  $("ws-speaker-input").focus();
});
$("ws-ns-name").addEventListener("input", (ev) => { if (editor && editor.newSpeaker) editor.newSpeaker.name = ev.target.value; });
$("ws-add-span").addEventListener("click", () => takeInto("spans"));
$("ws-take-cue").addEventListener("click", () => takeInto("cue"));
$("ws-take-smention").addEventListener("click", () => takeInto("smention"));
$("ws-clear-cue").addEventListener("click", () => { if (editor) { editor.cue = null; renderQuoteParts(); render(); } });
$("ws-clear-smention").addEventListener("click", () => { if (editor) { editor.smention = null; renderQuoteParts(); render(); } });
$("ws-cancel").addEventListener("click", () => cancelEditor());
$("ws-delete").addEventListener("click", () => { deleteArmed = selectedKey; removeSelected(); });
form.addEventListener("submit", (ev) => { ev.preventDefault(); save(); });
// Buttons in the panel must not steal the text selection before they read it.
$("ws-new-quote").addEventListener("click", () => openQuote(currentSelection()));
$("ws-new-entity").addEventListener("click", () => openEntity(currentSelection()));
for (const id of ["ws-add-span", "ws-take-cue", "ws-take-smention", "ws-new-quote", "ws-new-entity"]) {
  $(id).addEventListener("mousedown", (ev) => ev.preventDefault());
}

// ---------------------------------------------------------------- text clicks, view, submit

textEl.addEventListener("click", (ev) => {
  const sel = window.getSelection();
  if (sel && !sel.isCollapsed) return; // the user is selecting
  const seg = ev.target.closest(".seg");
  if (!seg || !seg.dataset.keys) return;
  const keys = seg.dataset.keys.split(" ");
  for (const key of keys.filter((k) => k.startsWith("L\u0000"))) {
    const [, name, id] = key.split("\u0000");
    const layer = layers.get(name) || [];
    const span = layer.find((l) => String(l.id) === id);
    document.dispatchEvent(new CustomEvent("workspace:layer-click", { detail: { name, id: span ? span.id : id } }));
  }
  // The innermost annotation under the click: the shortest one.
  const candidates = keys.filter((k) => k[0] === "q" || k[0] === "m").map(find).filter(Boolean);
  candidates.sort((a, b) => (a.end - a.start) - (b.end - b.start));
  if (candidates.length) select(`${candidates[0].type === "quote" ? "q" : "m"}${candidates[0].id}`, false);
});

document.querySelectorAll(".ws-view").forEach((b) => b.addEventListener("click", () => switchView(b.dataset.view)));

async function switchView(view) {
  if (view === state.view) return;
  state.view = view;
  editor = null;
  editorEl.hidden = true;
  selectedKey = null;
  const url = new URL(window.location.href);
  url.searchParams.set("view", view);
  window.history.replaceState(null, "", url);
  await refresh();
  setStatus(view === "mine" ? "Showing your annotations." : "Showing accepted annotations (read-only).");
}

$("ws-submit").addEventListener("click", async () => {
  try {
    const data = await api("POST", config.urls.submit, {});
    setStatus(`Submitted for review: ${data.submitted} quote${data.submitted === 1 ? "" : "s"} and your entities.`, "ok");
    state = { view: data.view, quotes: data.quotes, mentions: data.mentions };
    render();
  } catch (err) { handleError(err); }
});

async function refresh(watchSuggestions = true) {
  const previous = watchSuggestions && state.view === "mine" ? new Set(state.quotes.map((q) => q.id)) : null;
  const data = await api("GET", `${config.urls.state}?view=${encodeURIComponent(state.view)}`);
  state = data;
  if (previous && data.view === "mine") recordSuggestionAccepts(previous);
  if (selectedKey && !find(selectedKey)) selectedKey = null;
  render();
}

// ---------------------------------------------------------------- keyboard

function typing(target) {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

const ACTIONS = {
  quote: (selection) => openQuote(selection),
  entity: (selection) => openEntity(selection),
  span: () => takeInto("spans"),
  cue: () => takeInto("cue"),
  mention: () => takeInto("smention"),
  speaker: () => {
    if (!editor || editor.mode !== "quote") return false;
    ($("ws-newspeaker").hidden ? $("ws-speaker-input") : $("ws-ns-name")).focus();
    return true;
  },
  next: () => step(1),
  previous: () => step(-1),
  view: () => switchView(state.view === "mine" ? "accepted" : "mine"),
  wordmode: () => startWordMode(),
  help: () => openHelp(),
};

function digitKey(key, selection) {
  const n = key === "0" ? 10 : Number(key);
  if (editor && editor.mode === "quote" && editor.editable) {
    const kind = config.kinds[n - 1];
    if (kind) { editor.kind = kind.value; form.querySelectorAll('input[name="kind"]').forEach((r) => { r.checked = r.value === kind.value; }); }
    return true;
  }
  if (editor && editor.mode === "entity" && editor.editable) {
    const label = config.labels[n - 1];
    if (label) $("ws-label").value = label.value;
    return true;
  }
  if (selection && config.labels[n - 1]) { quickEntity(selection, config.labels[n - 1].value); return true; }
  return false;
}

function escape(ev) {
  if (wordMode) { stopWordMode(); setStatus("Word selection mode off."); return; }
  if (deleteArmed) { deleteArmed = null; setStatus("Kept."); return; }
  if (editor) { ev.preventDefault(); if (cancelEditor() && typing(ev.target)) ev.target.blur(); return; }
  window.getSelection().removeAllRanges();
  lastSelection = null;
  selectedKey = null;
  markSelected();
}

document.addEventListener("keydown", (ev) => {
  if ($("ws-help").open) return; // the dialog handles its own keys (Esc closes it)
  if (comboKey(ev)) { ev.preventDefault(); return; }
  if ((ev.ctrlKey || ev.metaKey) && ev.key === "Enter") {
    if (editor) { ev.preventDefault(); save(); }
    return;
  }
  if (ev.key === "Escape") { escape(ev); return; }
  if (typing(ev.target)) return;
  if ((ev.ctrlKey || ev.metaKey) && !ev.altKey && (ev.key === "z" || ev.key === "Z" || ev.key === "y")) {
    ev.preventDefault();
    undoRedo(ev.key === "y" || ev.shiftKey);
    return;
  }
  if (wordMode && wordModeKey(ev)) { ev.preventDefault(); return; }
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const selection = readSelection();
  const action = actionFor(keymap, ev);
  let handled = true;
  if (action) handled = ACTIONS[action](selection) !== false;
  else if (ev.key === "Delete" || ev.key === "Backspace") removeSelected();
  else if (ev.key === "Enter" && editor && editor.editable && !(ev.target instanceof HTMLButtonElement)) save();
  else if (/^[0-9]$/.test(ev.key)) handled = digitKey(ev.key, selection);
  else handled = false;
  if (handled) ev.preventDefault();
});

// ---------------------------------------------------------------- word selection mode (keyboard)

function startWordMode() {
  const words = wordBounds(body);
  if (!words.length) return false;
  const from = lastSelection ? map.cpToUtf16(lastSelection.start) : 0;
  const at = wordAt(words, from);
  wordMode = { words, sel: { anchor: at, focus: at } };
  textEl.classList.add("is-wordmode");
  textEl.focus({ preventScroll: true });
  showWordSelection();
  setStatus("Word selection: ←/→ move, Shift+←/→ extend, then q, e, s, c or m. Esc leaves.");
  return true;
}

function stopWordMode() {
  wordMode = null;
  textEl.classList.remove("is-wordmode");
}

function wordModeKey(ev) {
  if (!["ArrowRight", "ArrowLeft"].includes(ev.key) || ev.ctrlKey || ev.metaKey || ev.altKey) return false;
  const forward = ev.key === "ArrowRight";
  const logical = textEl.dir === "rtl" || getComputedStyle(textEl).direction === "rtl" ? !forward : forward;
  wordMode.sel = stepSelection(wordMode.sel, logical ? "ArrowRight" : "ArrowLeft", ev.shiftKey, wordMode.words.length);
  showWordSelection();
  return true;
}

function showWordSelection() {
  const [u0, u1] = selectionRange(wordMode.words, wordMode.sel);
  const span = { start: map.utf16ToCp(u0), end: map.utf16ToCp(u1) };
  restoreSelection(span);
  lastSelection = span;
  const sel = window.getSelection();
  if (sel.rangeCount) {
    const rect = sel.getRangeAt(0).getBoundingClientRect();
    if (rect.top < 0 || rect.bottom > window.innerHeight) sel.getRangeAt(0).startContainer.parentElement.scrollIntoView({ block: "center" });
  }
}

// ---------------------------------------------------------------- help overlay and shortcut settings

const ACTION_LABELS = Object.fromEntries(Object.entries(DEFAULT_SHORTCUTS).map(([a, [, what]]) => [a, what]));

function openHelp() {
  renderHelp();
  $("ws-help").showModal();
  return true;
}

function renderHelp() {
  const rows = Object.keys(DEFAULT_SHORTCUTS).map((action) => el("tr", {},
    el("th", { scope: "row" }, ACTION_LABELS[action]),
    el("td", {}, keymap[action] ? el("kbd", {}, keymap[action]) : el("span", { class: "muted" }, "off")),
    el("td", {}, el("label", { class: "visually-hidden", for: `ws-key-${action}` }, `Key for: ${ACTION_LABELS[action]}`),
      el("input", { id: `ws-key-${action}`, class: "ws-key-input", type: "text", maxlength: "1", value: keymap[action],
                    dataset: { action }, autocomplete: "off", size: "2" }))));
  const fixed = FIXED_SHORTCUTS.map(([key, what]) => el("tr", {}, el("th", { scope: "row" }, what), el("td", {}, el("kbd", {}, key)), el("td", {})));
  $("ws-help-rows").replaceChildren(...rows, ...fixed);
  $("ws-help-errors").replaceChildren();
}

$("ws-help-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const proposed = {};
  document.querySelectorAll(".ws-key-input").forEach((input) => { proposed[input.dataset.action] = input.value.trim(); });
  const errors = keymapErrors(proposed);
  if (errors.length) { $("ws-help-errors").replaceChildren(...errors.map((m) => el("p", {}, m))); return; }
  keymap = resolveKeymap(proposed);
  await savePrefs({ shortcuts: keymapChanges(keymap) });
  renderHelp();
  setStatus("Shortcuts saved.", "ok");
});
$("ws-help-reset").addEventListener("click", () => {
  document.querySelectorAll(".ws-key-input").forEach((input) => { input.value = DEFAULT_SHORTCUTS[input.dataset.action][0]; });
});
$("ws-help-close").addEventListener("click", () => $("ws-help").close());
$("ws-help-open").addEventListener("click", () => openHelp());

// ---------------------------------------------------------------- layers and arcs toggles

document.querySelectorAll(".ws-layer").forEach((box) => box.addEventListener("change", () => {
  savePrefs({ layers: { ...prefs.layers, [box.value]: box.checked } });
  applyLayers();
}));
$("ws-arcs-all").addEventListener("change", (ev) => {
  savePrefs({ arcs: ev.target.checked ? "all" : "selected" });
  applyLayers();
});
new ResizeObserver(() => redrawArcsSoon()).observe(textEl);

// ---------------------------------------------------------------- leaving and coming back

window.addEventListener("beforeunload", (ev) => {
  if (editorDirty()) { ev.preventDefault(); ev.returnValue = ""; }
});
// Back/Forward may show the page from the back-forward cache (persisted) or the HTTP cache (a
// back_forward navigation): either way the annotations may be older than the server's; reload them.
window.addEventListener("pageshow", (ev) => {
  const nav = performance.getEntriesByType("navigation")[0];
  if (ev.persisted || (nav && nav.type === "back_forward")) {
    refresh(false).then(() => setStatus("Reloaded: you are seeing the saved state."));
  }
});

form.querySelectorAll('input[name="kind"]').forEach((r) => r.addEventListener("change", () => { if (editor) editor.kind = r.value; }));
$("ws-label").addEventListener("change", (ev) => { if (editor) editor.label = ev.target.value; });

// ---------------------------------------------------------------- public API for panels (suggestions)

/** `?quote=<id>` opens the workspace at that quote (links from /review/mine/). */
function openRequestedQuote() {
  const id = new URLSearchParams(window.location.search).get("quote");
  if (!id) return;
  if (find(`q${id}`)) select(`q${id}`, true);
  else setStatus(`Quote #${id} is not among the annotations shown here.`, "warn");
}

function scrollToOffset(cp) {
  const u = map.cpToUtf16(cp);
  const els = rendered.elements;
  let lo = 0, hi = els.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (Number(els[mid].dataset.start) <= u) lo = mid; else hi = mid - 1;
  }
  const target = els[lo];
  if (!target) return;
  target.scrollIntoView({ block: "center", behavior: "smooth" });
  target.classList.add("is-flash");
  setTimeout(() => target.classList.remove("is-flash"), 1200);
}

window.workspace = Object.freeze({
  articleId: config.articleId,
  body,
  cpToUtf16: (cp) => map.cpToUtf16(cp),
  utf16ToCp: (u) => map.utf16ToCp(u),
  refresh,
  setLayer(name, spans) {
    layers.set(String(name), (spans || []).map((s) => ({ start: Number(s.start), end: Number(s.end), id: s.id,
      className: s.className || "", title: s.title || "" })));
    render();
  },
  clearLayer(name) {
    layers.delete(String(name));
    render();
  },
  scrollToOffset,
  get state() { return state; },
});

render();
// The user's shortcuts and layers come from their own endpoint (the page itself stays at a fixed number of
// queries); a failure leaves the defaults.
try {
  const saved = (await api("GET", config.urls.preferences)).preferences || {};
  Object.assign(prefs, saved);
  keymap = resolveKeymap(prefs.shortcuts);
} catch (err) {
  if (!(err instanceof ApiError)) throw err;
}
prefs.layers = prefs.layers || {};
applyLayers();
openRequestedQuote();
textEl.classList.add("is-ready");
document.documentElement.dataset.workspaceReady = "true";
document.dispatchEvent(new CustomEvent("workspace:ready", { detail: window.workspace }));
