import { test } from "node:test";
import assert from "node:assert/strict";
import { anchor, arcPath } from "../../static/annotations/arcs.js";

test("anchors are the top centre of a rect relative to the wrapper", () => {
  assert.deepEqual(anchor({ left: 110, top: 60, width: 20 }, { left: 100, top: 50 }), { x: 20, y: 10 });
});

test("an arc starts and ends at its anchors and rises above both", () => {
  const d = arcPath({ x: 10, y: 100 }, { x: 250, y: 60 });
  const nums = d.match(/-?\d+(\.\d+)?/g).map(Number);
  assert.deepEqual([nums[0], nums[1]], [10, 100]);
  assert.deepEqual(nums.slice(-2), [250, 60]);
  assert.ok(nums[3] < 60);
});
