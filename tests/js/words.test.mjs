import { test } from "node:test";
import assert from "node:assert/strict";
import { onlyPunctuation, selectionRange, stepSelection, wordAt, wordBounds } from "../../static/annotations/words.js";

test("words of Latin, Arabic and Hebrew text, with emoji between", () => {
  const text = "Jane's 😀 قال שלום — ok";
  const words = wordBounds(text).map(([s, e]) => text.slice(s, e));
  assert.deepEqual(words, ["Jane's", "قال", "שלום", "ok"]);
});

test("stepping and extending a word selection", () => {
  const text = "one two three four";
  const words = wordBounds(text);
  let sel = { anchor: wordAt(words, 4), focus: wordAt(words, 4) };
  assert.deepEqual(selectionRange(words, sel), [4, 7]);
  sel = stepSelection(sel, "ArrowRight", true, words.length);
  assert.equal(text.slice(...selectionRange(words, sel)), "two three");
  sel = stepSelection(sel, "ArrowRight", false, words.length);
  assert.equal(text.slice(...selectionRange(words, sel)), "four");
  sel = stepSelection(sel, "ArrowRight", false, words.length);
  assert.equal(text.slice(...selectionRange(words, sel)), "four");
  sel = stepSelection(sel, "ArrowLeft", true, words.length);
  assert.equal(text.slice(...selectionRange(words, sel)), "three four");
});

test("punctuation-only spans", () => {
  assert.ok(onlyPunctuation("—"));
  assert.ok(onlyPunctuation(" “…” "));
  assert.ok(!onlyPunctuation("— a"));
  assert.ok(!onlyPunctuation("😀"));
});
