// Word-by-word keyboard selection over a text (UTF-16 units, as the DOM counts). Pure.

const WORD = /[\p{L}\p{N}\p{M}'’_-]/u;

/** [start, end) of each word of `text`, in order. */
export function wordBounds(text) {
  const words = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const inWord = i < text.length && WORD.test(text[i]);
    if (inWord && start === -1) start = i;
    else if (!inWord && start !== -1) { words.push([start, i]); start = -1; }
  }
  return words;
}

/** Index of the first word ending after `unit` (the word at or after a caret). */
export function wordAt(words, unit) {
  let lo = 0, hi = words.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (words[mid][1] <= unit) lo = mid + 1; else hi = mid; }
  return Math.min(lo, words.length - 1);
}

/**
 * One step of the selection mode. `sel` = {anchor, focus} word indexes; key = ArrowRight/ArrowLeft
 * (move one word) with `extend` (Shift: keep the anchor). Returns the new {anchor, focus}.
 */
export function stepSelection(sel, key, extend, count) {
  const delta = key === "ArrowRight" || key === "ArrowDown" ? 1 : -1;
  const focus = Math.max(0, Math.min(count - 1, sel.focus + delta));
  return { anchor: extend ? sel.anchor : focus, focus };
}

/** The UTF-16 range [start, end) covered by a selection of words. */
export function selectionRange(words, sel) {
  const a = Math.min(sel.anchor, sel.focus), b = Math.max(sel.anchor, sel.focus);
  return [words[a][0], words[b][1]];
}

/** True when a span holds nothing but punctuation, white space or control characters. */
export function onlyPunctuation(text) {
  return !/[^\p{P}\p{Z}\p{C}\s]/u.test(text);
}
