// Offsets: the server counts Python code points, the browser's strings count UTF-16 code units.
// A character outside the Basic Multilingual Plane (😀, the 👍 of 👍🏽 and its skin-tone modifier)
// is one code point but two UTF-16 units. These helpers convert between the two for one text.

/** Build a converter for `text`. Identity (and cheap) when the text has no surrogate pairs. */
export function offsetMap(text) {
  const n = text.length;
  let astral = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) { astral = true; break; }
  }
  if (!astral) {
    const clamp = (x) => Math.max(0, Math.min(x, n));
    return { cpLength: n, cpToUtf16: clamp, utf16ToCp: clamp };
  }
  // cpStarts[cp] = UTF-16 index where code point cp starts (plus the end); unitToCp[u] = code point
  // holding unit u (a unit inside a pair maps to the code point after it, so a caret never splits one).
  const cpStarts = [];
  const unitToCp = new Array(n + 1);
  let cp = 0;
  for (let u = 0; u < n; u++) {
    const c = text.charCodeAt(u);
    const low = u > 0 && c >= 0xdc00 && c <= 0xdfff && isHigh(text.charCodeAt(u - 1));
    if (low) {
      unitToCp[u] = cp; // middle of a pair: round up to the next code point boundary
    } else {
      cpStarts.push(u);
      unitToCp[u] = cp;
      cp++;
    }
  }
  cpStarts.push(n);
  unitToCp[n] = cp;
  const cpLength = cp;
  return {
    cpLength,
    cpToUtf16: (x) => cpStarts[Math.max(0, Math.min(x, cpLength))],
    utf16ToCp: (u) => unitToCp[Math.max(0, Math.min(u, n))],
  };
}

function isHigh(c) { return c >= 0xd800 && c <= 0xdbff; }

/** One-off conversion: code point index -> UTF-16 index in `text`. */
export function cpToUtf16(text, cp) { return offsetMap(text).cpToUtf16(cp); }

/** One-off conversion: UTF-16 index -> code point index in `text`. */
export function utf16ToCp(text, u) { return offsetMap(text).utf16ToCp(u); }
