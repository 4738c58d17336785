import { test } from "node:test";
import assert from "node:assert/strict";
import { buildSegments, paragraphStarts } from "../../static/annotations/segments.js";
import { interpolate, ngettext } from "../../static/annotations/i18n.js";

test("paragraphs start after each run of line breaks, CRLF included", () => {
  assert.deepEqual(paragraphStarts("one\n\ntwo\r\nthree\n"), [5, 10]);
  assert.deepEqual(paragraphStarts("no break"), []);
  assert.deepEqual(paragraphStarts("\n\nlead"), [2]);
});

test("a quote across a paragraph break is cut there, keeping its key on both pieces", () => {
  const text = "ab\ncd";
  const segs = buildSegments(text.length, [{ start: 1, end: 4, key: "q1", classes: ["a-quote"] }], paragraphStarts(text));
  assert.deepEqual(segs.map((s) => [s.start, s.end, s.covers.map((c) => c.key).join("")]),
                   [[0, 1, ""], [1, 3, "q1"], [3, 4, "q1"], [4, 5, ""]]);
  assert.equal(segs.map((s) => text.slice(s.start, s.end)).join(""), text);
});

test("cut points outside the text are ignored", () => {
  const segs = buildSegments(4, [], [0, 4, 9, -1]);
  assert.deepEqual(segs.map((s) => [s.start, s.end]), [[0, 4]]);
});

test("interface strings: named placeholders and plurals without Django's catalogue", () => {
  assert.equal(interpolate("%(n)s of %(all)s", { n: 2, all: 5 }), "2 of 5");
  assert.equal(interpolate("<%(x)s>", { x: "<b>" }), "<<b>>"); // text, never HTML: the caller uses textContent
  assert.equal(ngettext("one quote", "%(n)s quotes", 1), "one quote");
  assert.equal(ngettext("one quote", "%(n)s quotes", 3), "%(n)s quotes");
});
