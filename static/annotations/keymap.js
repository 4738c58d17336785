// Single-key shortcuts: the defaults, the user's remapping (or "" for off, WCAG 2.1.4), and the
// lookup from a key to an action. Pure: no DOM, no module state (tested with `node --test`).

// Descriptions are marked for translation here and translated where shown (keyboard.js).
const gettext_noop = (s) => s;

/** action -> [default key, description]. Keys with modifiers (Ctrl+Enter, Ctrl+Z) are fixed. */
export const DEFAULT_SHORTCUTS = Object.freeze({
  quote: ["q", gettext_noop("New quote from the selection")],
  entity: ["e", gettext_noop("New entity from the selection")],
  span: ["s", gettext_noop("Add the selection as another span of the open quote (split quote)")],
  cue: ["c", gettext_noop("Take the cue (“said”) from the selection")],
  mention: ["m", gettext_noop("Take the speaker mention from the selection")],
  speaker: ["p", gettext_noop("Go to the speaker field")],
  next: ["j", gettext_noop("Next annotation")],
  previous: ["k", gettext_noop("Previous annotation")],
  view: ["a", gettext_noop("Switch between my annotations and accepted ones")],
  wordmode: ["v", gettext_noop("Word selection mode in the text (arrows move, Shift+arrows extend)")],
  help: ["?", gettext_noop("Show the shortcuts and their settings")],
});

export const FIXED_SHORTCUTS = Object.freeze([
  ["1–9, 0", gettext_noop("Entity label (entity form) · quote kind 1–3 (quote form)")],
  ["Ctrl+Enter", gettext_noop("Save the open form")],
  ["Esc", gettext_noop("Cancel the form (asks first when it holds changes) / clear the selection")],
  ["Delete", gettext_noop("Delete the selected annotation (press twice)")],
  ["Ctrl+Z", gettext_noop("Undo the last create, edit or delete")],
  ["Ctrl+Shift+Z", gettext_noop("Redo")],
]);

/** Merge the user's choices over the defaults: {action: key}, "" meaning off. Unknown actions dropped. */
export function resolveKeymap(custom = {}) {
  const map = {};
  for (const [action, [key]] of Object.entries(DEFAULT_SHORTCUTS)) {
    const chosen = custom && Object.prototype.hasOwnProperty.call(custom, action) ? custom[action] : key;
    map[action] = typeof chosen === "string" ? chosen : key;
  }
  return map;
}

/** Check a proposed keymap: returns a list of messages (empty when it is fine). */
export function keymapErrors(map) {
  const errors = [];
  const seen = new Map();
  for (const [action, key] of Object.entries(map)) {
    if (!(action in DEFAULT_SHORTCUTS)) { errors.push(`Unknown action “${action}”.`); continue; }
    if (key === "") continue;
    if ([...key].length !== 1 || /\s/.test(key)) { errors.push(`The key of “${action}” must be one character.`); continue; }
    if (/[0-9]/.test(key)) { errors.push(`“${key}” is taken by the entity labels and quote kinds.`); continue; }
    if (seen.has(key)) errors.push(`“${key}” is used by both “${seen.get(key)}” and “${action}”.`);
    else seen.set(key, action);
  }
  return errors;
}

/** The action bound to a key press, or null (modifier combinations never match a single key). */
export function actionFor(map, { key, ctrlKey = false, metaKey = false, altKey = false }) {
  if (ctrlKey || metaKey || altKey || !key || key.length !== 1) return null;
  for (const [action, bound] of Object.entries(map)) if (bound && bound === key) return action;
  return null;
}

/** Only the entries that differ from the defaults (what is worth saving). */
export function keymapChanges(map) {
  const changes = {};
  for (const [action, [key]] of Object.entries(DEFAULT_SHORTCUTS)) if (map[action] !== undefined && map[action] !== key) changes[action] = map[action];
  return changes;
}
