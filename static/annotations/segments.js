// Overlapping and nested spans: cut the text at every span boundary; each piece carries the classes
// and keys of every span covering it. Text goes into the DOM as text nodes only (never innerHTML).

/**
 * @param {number} length  text length (in the same units as the spans)
 * @param {Array<{start:number,end:number,classes:string[],key:string,title?:string}>} spans
 * @param {number[]} cuts  extra cut points (paragraph starts), so that no segment crosses one
 * @returns {Array<{start:number,end:number,covers:Array}>} consecutive segments covering [0, length)
 */
export function buildSegments(length, spans, cuts = []) {
  const points = new Set([0, length]);
  for (const c of cuts) if (c > 0 && c < length) points.add(c);
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

/** Where each paragraph after the first starts: after every run of line breaks (UTF-16 units). Pure. */
export function paragraphStarts(text) {
  const starts = [];
  const re = /[\r\n]+/g;
  let m;
  while ((m = re.exec(text)) !== null) if (m.index + m[0].length < text.length) starts.push(m.index + m[0].length);
  return starts;
}

/**
 * Replace `container`'s children by one block per paragraph (`.ws-chunk`, starting at each of
 * `starts`), each holding one <span> per segment of `text` (UTF-16 units). The blocks let the browser
 * skip the layout and paint of paragraphs far from the viewport (`content-visibility: auto` in the CSS),
 * so a long article with thousands of highlights is laid out a screen at a time. The DOM is built in a
 * detached fragment and attached once.
 */
export function renderSegments(container, text, segments, starts = []) {
  const frag = document.createDocumentFragment();
  const byKey = new Map();
  const elements = [];
  let next = 0; // index into starts of the next paragraph
  let chunk = null;
  const openChunk = (from) => {
    chunk = document.createElement("div");
    chunk.className = "ws-chunk";
    const to = next < starts.length ? starts[next] : text.length;
    // a first guess of its height until it has been laid out once (then the browser remembers it)
    chunk.style.containIntrinsicSize = `auto ${Math.ceil(Math.max(1, (to - from) / 80)) * 2.2}em`;
    frag.appendChild(chunk);
  };
  openChunk(0);
  for (const seg of segments) {
    while (next < starts.length && seg.start >= starts[next]) { next++; openChunk(seg.start); }
    const el = document.createElement("span");
    let className = "seg";
    let keys = "";
    let titles = "";
    for (const c of seg.covers) {
      for (const cls of c.classes) if (cls) className += ` ${cls}`;
      keys += keys ? ` ${c.key}` : c.key;
      if (c.title) titles += titles ? `\n${c.title}` : c.title;
      let list = byKey.get(c.key);
      if (!list) byKey.set(c.key, (list = []));
      if (list[list.length - 1] !== el) list.push(el);
    }
    el.className = className;
    if (keys) el.dataset.keys = keys;
    if (titles) el.title = titles;
    el.dataset.start = String(seg.start);
    el.appendChild(document.createTextNode(text.slice(seg.start, seg.end)));
    chunk.appendChild(el);
    elements.push(el);
  }
  container.replaceChildren(frag);
  return { byKey, elements };
}
