// The keyboard: one keydown handler dispatching to actions (keymap.js decides which), the word selection
// mode (words.js) and the `?` overlay where the single-key shortcuts are changed or turned off.

import { $, S, body, config, el, map } from "./state.js";
import { DEFAULT_SHORTCUTS, FIXED_SHORTCUTS, actionFor, keymapChanges, keymapErrors, resolveKeymap } from "./keymap.js";
import { selectionRange, stepSelection, wordAt, wordBounds } from "./words.js";
import { gettext } from "./i18n.js";
import { markSelected, setStatus } from "./render.js";
import { readSelection, restoreSelection } from "./selection.js";
import { step } from "./navigate.js";
import { cancelEditor, openEntity, openQuote, quickEntity, removeSelected, save, switchView, takeInto, undoRedo } from "./editor.js";
import { savePrefs } from "./prefs.js";

function typing(target) {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

const ACTIONS = Object.freeze({
  quote: (selection) => openQuote(selection),
  entity: (selection) => openEntity(selection),
  span: () => takeInto("spans"),
  cue: () => takeInto("cue"),
  mention: () => takeInto("smention"),
  speaker: () => {
    if (!S.editor || S.editor.mode !== "quote") return false;
    ($("ws-newspeaker").hidden ? $("ws-speaker-input") : $("ws-ns-name")).focus();
    return true;
  },
  next: () => step(1),
  previous: () => step(-1),
  view: () => switchView(S.data.view === "mine" ? "accepted" : "mine"),
  wordmode: () => startWordMode(),
  help: () => openHelp(),
});

function digitKey(key, selection) {
  const n = key === "0" ? 10 : Number(key);
  const editor = S.editor;
  if (editor && editor.mode === "quote" && editor.editable) {
    const kind = config.kinds[n - 1];
    if (kind) { editor.kind = kind.value; $("ws-form").querySelectorAll('input[name="kind"]').forEach((r) => { r.checked = r.value === kind.value; }); }
    return true;
  }
  if (editor && editor.mode === "entity" && editor.editable) {
    const label = config.labels[n - 1];
    if (label) $("ws-label").value = label.value;
    return true;
  }
  if (selection && config.labels[n - 1]) { quickEntity(selection, config.labels[n - 1].value); return true; }
  return false;
}

function escape(ev) {
  if (S.wordMode) { stopWordMode(); setStatus(gettext("Word selection mode off.")); return; }
  if (S.deleteArmed) { S.deleteArmed = null; setStatus(gettext("Kept.")); return; }
  if (S.editor) { ev.preventDefault(); if (cancelEditor() && typing(ev.target)) ev.target.blur(); return; }
  window.getSelection().removeAllRanges();
  S.lastSelection = null;
  S.selectedKey = null;
  markSelected();
}

function onKeydown(ev) {
  if ($("ws-help").open) return; // the dialog handles its own keys (Esc closes it)
  if (ev.defaultPrevented) return; // a combobox used the key (arrows, Enter, Esc in its list)
  if ((ev.ctrlKey || ev.metaKey) && ev.key === "Enter") {
    if (S.editor) { ev.preventDefault(); save(); }
    return;
  }
  if (ev.key === "Escape") { escape(ev); return; }
  if (typing(ev.target)) return;
  if ((ev.ctrlKey || ev.metaKey) && !ev.altKey && (ev.key === "z" || ev.key === "Z" || ev.key === "y")) {
    ev.preventDefault();
    undoRedo(ev.key === "y" || ev.shiftKey);
    return;
  }
  if (S.wordMode && wordModeKey(ev)) { ev.preventDefault(); return; }
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const selection = readSelection();
  const action = actionFor(S.keymap, ev);
  let handled = true;
  if (action) handled = ACTIONS[action](selection) !== false;
  else if (ev.key === "Delete" || ev.key === "Backspace") removeSelected();
  else if (ev.key === "Enter" && S.editor && S.editor.editable && !(ev.target instanceof HTMLButtonElement)) save();
  else if (/^[0-9]$/.test(ev.key)) handled = digitKey(ev.key, selection);
  else handled = false;
  if (handled) ev.preventDefault();
}

// ---------------------------------------------------------------- word selection mode

function startWordMode() {
  const words = wordBounds(body);
  if (!words.length) return false;
  const from = S.lastSelection ? map.cpToUtf16(S.lastSelection.start) : 0;
  const at = wordAt(words, from);
  S.wordMode = { words, sel: { anchor: at, focus: at } };
  $("ws-text").classList.add("is-wordmode");
  $("ws-text").focus({ preventScroll: true });
  showWordSelection();
  setStatus(gettext("Word selection: ←/→ move, Shift+←/→ extend, then q, e, s, c or m. Esc leaves."));
  return true;
}

function stopWordMode() {
  S.wordMode = null;
  $("ws-text").classList.remove("is-wordmode");
}

function wordModeKey(ev) {
  if (!["ArrowRight", "ArrowLeft"].includes(ev.key) || ev.ctrlKey || ev.metaKey || ev.altKey) return false;
  const textEl = $("ws-text");
  const forward = ev.key === "ArrowRight";
  const logical = textEl.dir === "rtl" || getComputedStyle(textEl).direction === "rtl" ? !forward : forward;
  S.wordMode.sel = stepSelection(S.wordMode.sel, logical ? "ArrowRight" : "ArrowLeft", ev.shiftKey, S.wordMode.words.length);
  showWordSelection();
  return true;
}

function showWordSelection() {
  const [u0, u1] = selectionRange(S.wordMode.words, S.wordMode.sel);
  const span = { start: map.utf16ToCp(u0), end: map.utf16ToCp(u1) };
  restoreSelection(span);
  S.lastSelection = span;
  const sel = window.getSelection();
  if (sel.rangeCount) {
    const rect = sel.getRangeAt(0).getBoundingClientRect();
    if (rect.top < 0 || rect.bottom > window.innerHeight) sel.getRangeAt(0).startContainer.parentElement.scrollIntoView({ block: "center" });
  }
}

// ---------------------------------------------------------------- help overlay and shortcut settings

const actionLabel = (action) => gettext(DEFAULT_SHORTCUTS[action][1]);

function openHelp() {
  renderHelp();
  $("ws-help").showModal();
  return true;
}

function renderHelp() {
  const rows = Object.keys(DEFAULT_SHORTCUTS).map((action) => el("tr", {},
    el("th", { scope: "row" }, actionLabel(action)),
    el("td", {}, S.keymap[action] ? el("kbd", {}, S.keymap[action]) : el("span", { class: "muted" }, gettext("off"))),
    el("td", {}, el("label", { class: "visually-hidden", for: `ws-key-${action}` }, `${gettext("Key for:")} ${actionLabel(action)}`),
      el("input", { id: `ws-key-${action}`, class: "ws-key-input", type: "text", maxlength: "1", value: S.keymap[action],
                    dataset: { action }, autocomplete: "off", size: "2" }))));
  const fixed = FIXED_SHORTCUTS.map(([key, what]) => el("tr", {}, el("th", { scope: "row" }, gettext(what)), el("td", {}, el("kbd", {}, key)), el("td", {})));
  $("ws-help-rows").replaceChildren(...rows, ...fixed);
  $("ws-help-errors").replaceChildren();
}

/** Wire the keyboard (once, at start). */
export function wireKeyboard() {
  document.addEventListener("keydown", onKeydown);
  $("ws-help-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const proposed = {};
    document.querySelectorAll(".ws-key-input").forEach((input) => { proposed[input.dataset.action] = input.value.trim(); });
    const errors = keymapErrors(proposed);
    if (errors.length) { $("ws-help-errors").replaceChildren(...errors.map((m) => el("p", {}, m))); return; }
    S.keymap = resolveKeymap(proposed);
    await savePrefs({ shortcuts: keymapChanges(S.keymap) });
    renderHelp();
    setStatus(gettext("Shortcuts saved."), "ok");
  });
  $("ws-help-reset").addEventListener("click", () => {
    document.querySelectorAll(".ws-key-input").forEach((input) => { input.value = DEFAULT_SHORTCUTS[input.dataset.action][0]; });
  });
  $("ws-help-close").addEventListener("click", () => $("ws-help").close());
  $("ws-help-open").addEventListener("click", () => openHelp());
}
