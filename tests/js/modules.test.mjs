// The workspace's modules keep no mutable state of their own: only state.js has any (issue #18).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const DIR = fileURLToPath(new URL("../../static/annotations/", import.meta.url));
const MUTABLE = /^(?:export\s+)?(?:let|var)\s|^(?:export\s+)?const\s+\w+\s*=\s*(?:new\s|\[|\{)/;

export function moduleLevelState(source) {
  return source.split("\n").filter((line) => MUTABLE.test(line));
}

test("the check finds a module-level let, var, array, object or new Map", () => {
  assert.equal(moduleLevelState("let a = 1;\n  let inner = 2;\nconst b = [];\nexport const c = {};\nconst d = new Map();\nconst e = 3;").length, 4);
});

test("no workspace module but state.js holds module-level mutable state", () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith(".js") && f !== "state.js");
  assert.ok(files.includes("workspace.js") && files.includes("render.js") && files.includes("editor.js"));
  for (const file of files) {
    assert.deepEqual(moduleLevelState(readFileSync(DIR + file, "utf8")), [], file);
  }
});
