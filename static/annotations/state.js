// The workspace's state: the one module with mutable state. Every other module of the workspace reads and
// writes it through `S`; the page's fixed data (configuration, article body, offset map) are constants.

import { offsetMap } from "./offsets.js";
import { resolveKeymap } from "./keymap.js";
import { createHistory } from "./history.js";

export const $ = (id) => document.getElementById(id);
const readJSON = (id) => JSON.parse($(id).textContent);

export const config = readJSON("ws-config");
export const body = readJSON("ws-body");
export const map = offsetMap(body);
export const LAYERS = Object.freeze(["quotes", "entities", "suggestions", "stances"]);
export const LIST_PAGE = 200;
export const SPEAKER_UNKNOWN = "speaker-unknown";

export const S = {
  data: readJSON("ws-state"), // {view, quotes, mentions} as the API describes them
  layers: new Map(), // plug-in highlight layers: name -> [{start, end, id, className, title}]
  rendered: { byKey: new Map(), elements: [] }, // the segments drawn (segments.js)
  drawn: false, // whether the text has been drawn once (the first drawing keeps no scroll or selection)
  selectedKey: null,
  lastSelection: null, // {start, end} in code points, trimmed
  editor: null, // the open form's state
  deleteArmed: null,
  lastLabel: config.labels[0].value,
  prefs: { shortcuts: {}, layers: {}, arcs: "selected" },
  keymap: resolveKeymap({}),
  history: createHistory(50),
  wordMode: null, // {words, sel} while the keyboard word-selection mode is on
  listLimit: { quotes: LIST_PAGE, mentions: LIST_PAGE }, // the side lists grow on request
  listsStale: true, // the side lists are built after the text, when the browser is idle
  arcsFrame: 0,
  saving: false,
  targetCache: [],
  speakerCombo: null, // the comboboxes (combobox.js keeps their own state)
  affiliationCombo: null,
};

/** The quote (`q<id>`) or mention (`m<id>`) shown now, or null. */
export function find(key) {
  if (!key) return null;
  const id = Number(key.slice(1));
  if (key[0] === "q") return S.data.quotes.find((q) => q.id === id) || null;
  if (key[0] === "m") return S.data.mentions.find((m) => m.id === id) || null;
  return null;
}

export function hasDrafts() {
  return S.data.quotes.some((q) => q.status === "draft") || S.data.mentions.some((m) => m.status === "draft");
}

export function textOf(span) { return body.slice(map.cpToUtf16(span[0]), map.cpToUtf16(span[1])); }

/** A DOM element; attributes set as attributes (never HTML), children as text nodes or nodes. */
export function el(tag, attrs = {}, ...children) {
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
