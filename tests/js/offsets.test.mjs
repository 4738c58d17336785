import { test } from "node:test";
import assert from "node:assert/strict";
import { offsetMap } from "../../static/annotations/offsets.js";
import { buildSegments } from "../../static/annotations/segments.js";

test("code points and UTF-16 units with emoji and right-to-left text", () => {
  const text = "😀 שלום 👍🏽 قال";
  const map = offsetMap(text);
  assert.equal(map.cpLength, [...text].length);
  const cp = [...text].indexOf("ש");
  assert.equal(text[map.cpToUtf16(cp)], "ש");
  assert.equal(map.utf16ToCp(map.cpToUtf16(cp)), cp);
  assert.equal(map.utf16ToCp(1), 1); // inside the pair rounds up
  const plain = offsetMap("abc");
  assert.equal(plain.cpToUtf16(9), 3);
});

test("segments cover the text and carry overlapping spans", () => {
  const segs = buildSegments(10, [{ start: 2, end: 6, key: "a", classes: [] }, { start: 4, end: 8, key: "b", classes: [] }]);
  assert.deepEqual(segs.map((s) => [s.start, s.end, s.covers.map((c) => c.key).join("")]),
                   [[0, 2, ""], [2, 4, "a"], [4, 6, "ab"], [6, 8, "b"], [8, 10, ""]]);
});
