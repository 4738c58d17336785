// Overlapping and nested spans: cut the text at every span boundary; each piece carries the classes
// and keys of every span covering it. Text goes into the DOM as text nodes only (never innerHTML).

/**
 * @param {number} length  text length (in the same units as the spans)
 * @param {Array<{start:number,end:number,classes:string[],key:string,title?:string}>} spans
 * @returns {Array<{start:number,end:number,covers:Array}>} consecutive segments covering [0, length)
 */
export function buildSegments(length, spans) {
  const points = new Set([0, length]);
  const valid = [];
  for (const s of spans) {
    const start = Math.max(0, Math.min(s.start, length));
    const end = Math.max(0, Math.min(s.end, length));
    if (end <= start) continue;
    points.add(start); points.add(end);
    valid.push({ ...s, start, end });
  }
  const bounds = [...points].sort((a, b) => a - b);
  const index = new Map(bounds.map((b, i) => [b, i]));
  const segments = [];
  for (let i = 0; i < bounds.length - 1; i++) segments.push({ start: bounds[i], end: bounds[i + 1], covers: [] });
  for (const s of valid) {
    for (let i = index.get(s.start); i < index.get(s.end); i++) segments[i].covers.push(s);
  }
  return segments;
}

/** Replace `container`'s children by one <span> per segment of `text` (UTF-16 units). */
export function renderSegments(container, text, segments) {
  const frag = document.createDocumentFragment();
  const byKey = new Map();
  const elements = [];
  for (const seg of segments) {
    const el = document.createElement("span");
    const classes = new Set(["seg"]);
    const keys = [];
    const titles = [];
    for (const c of seg.covers) {
      for (const cls of c.classes) if (cls) classes.add(cls);
      keys.push(c.key);
      if (c.title) titles.push(c.title);
      let list = byKey.get(c.key);
      if (!list) byKey.set(c.key, (list = []));
      list.push(el);
    }
    el.className = [...classes].join(" ");
    if (keys.length) el.dataset.keys = keys.join(" ");
    if (titles.length) el.title = titles.join("\n");
    el.dataset.start = String(seg.start);
    el.appendChild(document.createTextNode(text.slice(seg.start, seg.end)));
    frag.appendChild(el);
    elements.push(el);
  }
  container.replaceChildren(frag);
  return { byKey, elements };
}
