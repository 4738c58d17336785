// Arcs over the text, as brat and INCEpTION draw relations: quote → speaker mention → cue.
// `arcPath` is pure (tested with node); `drawArcs` measures the rendered segments and redraws the SVG.

const SVG = "http://www.w3.org/2000/svg";

/** Top-centre anchor of a client rect, relative to the wrapper's rect. */
export function anchor(rect, origin) {
  return { x: rect.left + rect.width / 2 - origin.left, y: rect.top - origin.top };
}

/** A curve from a to b that rises above both (by `lift` px, more for far-apart ends). */
export function arcPath(a, b, lift = 18) {
  const top = Math.min(a.y, b.y) - lift - Math.min(40, Math.abs(a.x - b.x) / 12);
  const mx = (a.x + b.x) / 2;
  return `M ${a.x.toFixed(1)} ${a.y.toFixed(1)} Q ${mx.toFixed(1)} ${top.toFixed(1)} ${b.x.toFixed(1)} ${b.y.toFixed(1)}`;
}

/** The segment element where a code-point offset starts, found by binary search over the rendered segments. */
function segmentAt(rendered, unit) {
  const els = rendered.elements;
  let lo = 0, hi = els.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (Number(els[mid].dataset.start) <= unit) lo = mid; else hi = mid - 1;
  }
  return els[lo] || null;
}

function pointOf(rendered, unit, origin) {
  const seg = segmentAt(rendered, unit);
  if (!seg) return null;
  const rects = seg.getClientRects();
  if (!rects.length) return null;
  return anchor(rects[0], origin);
}

export function drawArcs(svg, wrap, rendered, quotes, cpToUtf16, visible = true) {
  if (!svg || !wrap) return;
  const origin = wrap.getBoundingClientRect();
  svg.setAttribute("width", String(wrap.scrollWidth));
  svg.setAttribute("height", String(wrap.scrollHeight));
  const paths = [];
  if (visible) {
    for (const q of quotes) {
      if (!q.speaker_mention) continue;
      const from = pointOf(rendered, cpToUtf16(q.spans[0][0]), origin);
      const mention = pointOf(rendered, cpToUtf16(q.speaker_mention[0]), origin);
      if (from && mention) paths.push(path(arcPath(from, mention), q.id, "mention", from, mention));
      if (q.cue && mention) {
        const cue = pointOf(rendered, cpToUtf16(q.cue[0]), origin);
        if (cue) paths.push(path(arcPath(mention, cue, 12), q.id, "cue", mention, cue));
      }
    }
  }
  svg.replaceChildren(...paths);
}

function path(d, id, role, a, b) {
  const p = document.createElementNS(SVG, "path");
  p.setAttribute("d", d);
  p.setAttribute("class", `ws-arc ws-arc-${role}`);
  p.dataset.quote = String(id);
  p.dataset.role = role;
  p.dataset.from = `${a.x.toFixed(1)},${a.y.toFixed(1)}`;
  p.dataset.to = `${b.x.toFixed(1)},${b.y.toFixed(1)}`;
  return p;
}
