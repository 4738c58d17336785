import { test } from "node:test";
import assert from "node:assert/strict";
import { createHistory, mentionPayload, quotePayload } from "../../static/annotations/history.js";

test("undo and redo run in order and a new action clears redo", async () => {
  const log = [];
  const h = createHistory();
  const entry = (n) => ({ undo: async () => log.push(`undo ${n}`), redo: async () => log.push(`redo ${n}`) });
  h.push(entry(1)); h.push(entry(2));
  await h.undo(); await h.undo(); await h.redo();
  assert.deepEqual(log, ["undo 2", "undo 1", "redo 1"]);
  assert.ok(h.canRedo());
  h.push(entry(3));
  assert.ok(!h.canRedo());
  assert.deepEqual(h.size, { done: 2, undone: 0 });
  assert.equal(await createHistory().undo(), null);
});

test("a failed undo stays on the undo stack", async () => {
  const h = createHistory();
  h.push({ undo: async () => { throw new Error("409"); }, redo: async () => {} });
  await assert.rejects(h.undo());
  assert.ok(h.canUndo());
  assert.ok(!h.canRedo());
});

test("the stack keeps its limit", () => {
  const h = createHistory(2);
  for (let i = 0; i < 5; i++) h.push({ undo: async () => {}, redo: async () => {} });
  assert.equal(h.size.done, 2);
});

test("payloads rebuild a quote and a mention from the state", () => {
  const body = "“We act,” Jane said.";
  const textOf = ([s, e]) => body.slice(s, e);
  const q = { kind: "direct", spans: [[1, 8]], cue: [15, 19], speaker_mention: [10, 14], speaker: { id: 4, name: "Jane" },
              tags: ["x"], stances: [{ target: { id: 2, name: "T" }, label: "favor", note: "" }] };
  const p = quotePayload(q, textOf);
  assert.deepEqual(p.span_texts, ["We act,"]);
  assert.equal(p.cue_text, "said");
  assert.equal(p.speaker_mention_text, "Jane");
  assert.equal(p.speaker, 4);
  assert.deepEqual(p.stances, [{ target: 2, target_name: "T", label: "favor", note: "" }]);
  assert.deepEqual(mentionPayload({ start: 10, end: 14, label: "PERSON", text: "Jane", id: 9 }),
                   { start: 10, end: 14, label: "PERSON", text: "Jane" });
});
