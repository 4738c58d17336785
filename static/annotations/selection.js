// The text selection: read from the DOM (UTF-16) into trimmed code-point spans, and put back after a
// redraw. Depends on the state only, so that the rendering and the editor can both use it (navigate.js
// moves the selected annotation).

import { $, S, body, config, map } from "./state.js";

const WHITE = /\s/;

/** The current text selection inside the article, as code-point offsets, or null. */
export function readSelection() {
  const textEl = $("ws-text");
  const sel = window.getSelection();
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  if (!textEl.contains(range.commonAncestorContainer) && !range.intersectsNode(textEl)) return null;
  const unitAt = (container, offset, atEnd) => {
    if (!textEl.contains(container)) return atEnd ? body.length : 0;
    const seg = container.nodeType === Node.TEXT_NODE ? container.parentElement : null;
    // Inside a segment: its start plus the offset in its one text node (no need to measure the text before).
    if (seg && seg.classList.contains("seg") && seg.dataset.start !== undefined) return Number(seg.dataset.start) + offset;
    const pre = document.createRange();
    pre.selectNodeContents(textEl);
    pre.setEnd(container, offset);
    return pre.toString().length;
  };
  const u0 = unitAt(range.startContainer, range.startOffset, false);
  const u1 = unitAt(range.endContainer, range.endOffset, true);
  if (u1 <= u0) return null;
  return { start: map.utf16ToCp(u0), end: map.utf16ToCp(u1) };
}

/** Trim white space (and, for quote content, the quotation marks) from both ends of a cp span. */
export function trimSpan(span, marks = false) {
  if (!span) return null;
  let s = map.cpToUtf16(span.start);
  let e = map.cpToUtf16(span.end);
  const strip = (ch) => WHITE.test(ch) || (marks && config.quoteMarks.includes(ch));
  while (s < e && strip(body[s])) s++;
  while (e > s && strip(body[e - 1])) e--;
  if (e <= s) return null;
  return { start: map.utf16ToCp(s), end: map.utf16ToCp(e) };
}

/** The segment element holding a UTF-16 offset (binary search over the drawn segments). */
export function segmentAt(unit) {
  const els = S.rendered.elements;
  let lo = 0, hi = els.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (Number(els[mid].dataset.start) <= unit) lo = mid; else hi = mid - 1;
  }
  return els[lo] || null;
}

export function restoreSelection({ start, end }) {
  const locate = (unit) => {
    const seg = segmentAt(unit);
    return seg ? [seg.firstChild, unit - Number(seg.dataset.start)] : [$("ws-text"), 0];
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

export function currentSelection() {
  return readSelection() || S.lastSelection;
}
