import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_SHORTCUTS, actionFor, keymapChanges, keymapErrors, resolveKeymap } from "../../static/annotations/keymap.js";

test("defaults resolve and map keys to actions", () => {
  const map = resolveKeymap();
  assert.equal(map.quote, "q");
  assert.equal(actionFor(map, { key: "q" }), "quote");
  assert.equal(actionFor(map, { key: "q", ctrlKey: true }), null);
  assert.equal(actionFor(map, { key: "Enter" }), null);
});

test("a remapped and a switched-off shortcut", () => {
  const map = resolveKeymap({ quote: "w", entity: "", bogus: "x" });
  assert.equal(actionFor(map, { key: "w" }), "quote");
  assert.equal(actionFor(map, { key: "q" }), null);
  assert.equal(actionFor(map, { key: "e" }), null);
  assert.ok(!("bogus" in map));
  assert.deepEqual(keymapChanges(map), { quote: "w", entity: "" });
  assert.deepEqual(keymapErrors(map), []);
});

test("clashes, digits and long keys are refused", () => {
  assert.equal(keymapErrors({ ...resolveKeymap(), quote: "e" }).length, 1);
  assert.equal(keymapErrors({ quote: "1" }).length, 1);
  assert.equal(keymapErrors({ quote: "ab" }).length, 1);
  assert.equal(keymapErrors({ quote: " " }).length, 1);
  assert.equal(keymapErrors({ nothing: "z" }).length, 1);
  assert.equal(Object.keys(DEFAULT_SHORTCUTS).length, new Set(Object.values(DEFAULT_SHORTCUTS).map(([k]) => k)).size);
});
