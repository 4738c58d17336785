// The new-speaker form's rules, without the DOM (tested under node): which kinds take a gender, what the
// payload says about gender and role, and what picking a Wikidata item changes. The server checks the
// same rules (annotations/forms.py); these only keep the form from offering what it would refuse.

/** A gender applies to persons and to speakers of unknown kind, not to organizations and groups. */
export function genderApplies(kind, noGenderKinds) {
  return !noGenderKinds.includes(kind || "person");
}

/**
 * The attribute keys of `new_speaker`: gender (only where it applies), role, and whether the article
 * says so. Empty values are left out, so "not recorded" sends nothing.
 */
export function attributesPayload({ gender, role, described }, kind, noGenderKinds) {
  const out = {};
  if (gender && genderApplies(kind, noGenderKinds)) out.gender = gender;
  if (role) out.role = role;
  if (out.gender || out.role) out.described = !!described;
  return out;
}

/**
 * The new speaker once the person picked a Wikidata item: its label becomes the name and its
 * description fills an empty description; the QID is kept to be recorded with the speaker.
 */
export function applyMatch(newSpeaker, match) {
  return {
    ...newSpeaker,
    name: match.label || newSpeaker.name,
    description: newSpeaker.description || match.description || "",
    wikidata: { qid: match.qid, label: match.label || "", description: match.description || "" },
  };
}
