// Moving the selected annotation: j/k, a click in the text or the side lists, `?quote=`, a suggestion.
// Above the rendering and the editor in the module graph (it uses both; neither imports it).

import { S, find, map } from "./state.js";
import { choose } from "./render.js";
import { openExisting } from "./editor.js";
import { segmentAt } from "./selection.js";

/**
 * Scroll a segment of the text to the middle of the window. Paragraphs off screen are laid out with an
 * estimated height (`content-visibility: auto`), so the first jump can land short once the paragraphs
 * around the target take their real height: look again after that layout and correct. (A smooth scroll
 * aims at the estimate and stops wherever that was; a jump that is checked lands on the words.)
 */
function reveal(node) {
  node.scrollIntoView({ block: "center" });
  requestAnimationFrame(() => {
    const box = node.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) node.scrollIntoView({ block: "center" });
  });
}

/** Select an annotation (`key`): outlined in the text and the list; `scroll` brings it into view, and
 * `openEditor` opens it in the editor. */
export function select(key, scroll = false, openEditor = true) {
  choose(key);
  if (!S.selectedKey) return;
  if (scroll) {
    const nodes = S.rendered.byKey.get(S.selectedKey);
    if (nodes && nodes.length) reveal(nodes[0]);
  }
  if (openEditor) openExisting(find(S.selectedKey));
}

function orderedKeys() {
  const all = [
    ...S.data.quotes.map((q) => ({ key: `q${q.id}`, start: q.start, end: q.end })),
    ...S.data.mentions.map((m) => ({ key: `m${m.id}`, start: m.start, end: m.end })),
  ];
  all.sort((a, b) => a.start - b.start || b.end - a.end);
  return all.map((a) => a.key);
}

export function step(delta) {
  const keys = orderedKeys();
  if (!keys.length) return;
  const i = keys.indexOf(S.selectedKey);
  const next = i === -1 ? (delta > 0 ? 0 : keys.length - 1) : (i + delta + keys.length) % keys.length;
  select(keys[next], true);
}

export function scrollToOffset(cp) {
  const target = segmentAt(map.cpToUtf16(cp));
  if (!target) return;
  reveal(target);
  target.classList.add("is-flash");
  setTimeout(() => target.classList.remove("is-flash"), 1200);
}
