// A minimal annotation workspace for the suggestions page: renders the article body with highlight
// layers and offers the same API as the annotation workspace (window.workspace + "workspace:ready"),
// so panel.js runs unchanged in both. Server offsets are code points; the DOM counts UTF-16 units.
import { api as call } from "../annotations/api.js";

const bodyEl = document.getElementById("sg-body");
const body = JSON.parse(document.getElementById("sg-article-body").textContent);
const points = Array.from(body);
const prefix = new Array(points.length + 1);
prefix[0] = 0;
for (let i = 0; i < points.length; i += 1) prefix[i + 1] = prefix[i] + points[i].length;

const layers = new Map();
const pieces = []; // [startCp, element]

function cpToUtf16(cp) {
  return prefix[Math.max(0, Math.min(cp, points.length))];
}

function utf16ToCp(u) {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (prefix[mid] <= u) lo = mid; else hi = mid - 1;
  }
  return lo;
}

function render() {
  const all = [];
  for (const [name, spans] of layers) for (const s of spans) all.push({ ...s, layer: name });
  const cuts = new Set([0, points.length]);
  for (const s of all) { cuts.add(s.start); cuts.add(s.end); }
  const bounds = [...cuts].filter((c) => c >= 0 && c <= points.length).sort((a, b) => a - b);
  const frag = document.createDocumentFragment();
  pieces.length = 0;
  for (let i = 0; i < bounds.length - 1; i += 1) {
    const a = bounds[i];
    const b = bounds[i + 1];
    const text = points.slice(a, b).join("");
    const covering = all.filter((s) => s.start <= a && b <= s.end);
    if (!covering.length) {
      const span = document.createElement("span");
      span.textContent = text;
      frag.append(span);
      pieces.push([a, span]);
      continue;
    }
    const top = covering[covering.length - 1];
    const mark = document.createElement("mark");
    mark.textContent = text;
    mark.className = covering.map((s) => s.className || "").join(" ");
    mark.dataset.layer = top.layer;
    mark.dataset.id = String(top.id);
    if (top.title) mark.title = top.title;
    mark.addEventListener("click", () => {
      document.dispatchEvent(new CustomEvent("workspace:layer-click", { detail: { name: top.layer, id: top.id } }));
    });
    frag.append(mark);
    pieces.push([a, mark]);
  }
  bodyEl.replaceChildren(frag);
}

function setLayer(name, spans) {
  layers.set(name, spans.filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.end > s.start));
  render();
}

function clearLayer(name) {
  layers.delete(name);
  render();
}

function scrollToOffset(cp) {
  let found = null;
  for (const [start, el] of pieces) {
    if (start <= cp) found = el; else break;
  }
  if (found) found.scrollIntoView({ block: "center", behavior: "instant" });
}

async function refresh() {
  const panel = document.getElementById("suggestions-panel");
  let data;
  try {
    data = await call("GET", panel.dataset.listUrl);
  } catch (error) {
    return; // the panel shows the error of its own load
  }
  setLayer("quotes", data.quotes.flatMap((q) => q.spans.map(([start, end]) => ({
    start, end, id: q.id, className: "sg-own-quote", title: `Your quote (${q.origin})`,
  }))));
}

const api = {
  articleId: Number(bodyEl.dataset.article),
  body,
  cpToUtf16,
  utf16ToCp,
  refresh,
  setLayer,
  clearLayer,
  scrollToOffset,
};

render();
window.workspace = api;
refresh().finally(() => document.dispatchEvent(new CustomEvent("workspace:ready", { detail: api })));
