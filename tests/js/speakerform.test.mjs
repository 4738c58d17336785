import { test } from "node:test";
import assert from "node:assert/strict";
import { applyMatch, attributesPayload, genderApplies } from "../../static/annotations/speakerform.js";

const NO_GENDER = ["group", "organization"];

test("a gender applies to persons and unknown kinds, not to organizations and groups", () => {
  assert.equal(genderApplies("person", NO_GENDER), true);
  assert.equal(genderApplies("unknown", NO_GENDER), true);
  assert.equal(genderApplies("", NO_GENDER), true); // the form's default kind is a person
  assert.equal(genderApplies("organization", NO_GENDER), false);
  assert.equal(genderApplies("group", NO_GENDER), false);
});

test("the payload leaves out what is not recorded, and a gender where none applies", () => {
  assert.deepEqual(attributesPayload({ gender: "", role: "", described: true }, "person", NO_GENDER), {});
  assert.deepEqual(attributesPayload({ gender: "woman", role: "", described: true }, "person", NO_GENDER),
    { gender: "woman", described: true });
  assert.deepEqual(attributesPayload({ gender: "man", role: "advocacy", described: false }, "organization", NO_GENDER),
    { role: "advocacy", described: false });
  assert.deepEqual(attributesPayload({ gender: "man", role: "", described: true }, "group", NO_GENDER), {});
});

test("picking a Wikidata item fills the name, an empty description, and keeps the QID", () => {
  const ns = { name: "maria scott", description: "", kind: "person", wikidata: null };
  const picked = applyMatch(ns, { qid: "Q9000001", label: "Maria Scott", description: "legislator" });
  assert.deepEqual(picked, { name: "Maria Scott", description: "legislator", kind: "person",
    wikidata: { qid: "Q9000001", label: "Maria Scott", description: "legislator" } });
  assert.equal(ns.wikidata, null); // a new object; the old one is unchanged
  const typed = applyMatch({ ...ns, description: "the senator" }, { qid: "Q2", label: "", description: "painter" });
  assert.equal(typed.name, "maria scott");
  assert.equal(typed.description, "the senator"); // what the annotator typed from the article stays
});
