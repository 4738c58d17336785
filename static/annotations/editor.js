// The editor: open a new or existing quote or entity, fill it from selections, save it through the API,
// and the undo/redo entries of every write. State only in `S` (state.js); the comboboxes keep theirs.

import { api, ApiError } from "./api.js";
import { $, S, SPEAKER_UNKNOWN, config, el, find, textOf } from "./state.js";
import { mentionPayload, quotePayload } from "./history.js";
import { onlyPunctuation } from "./words.js";
import { attachCombobox } from "./combobox.js";
import { gettext, interpolate, ngettext } from "./i18n.js";
import { choose, redrawArcsSoon, render, setStatus } from "./render.js";
import { currentSelection, trimSpan } from "./selection.js";
import { attributesPayload, genderApplies } from "./speakerform.js";
import { clearWikidataResults, renderWikidataChoice, wireWikidata } from "./wikidata.js";

const form = () => $("ws-form");
const editorEl = () => $("ws-editor");

function clearErrors() {
  $("ws-errors").replaceChildren();
  form().querySelectorAll(".ws-err").forEach((p) => { p.textContent = ""; });
}

function showErrors(errors) {
  clearErrors();
  const general = [];
  for (const [field, messages] of Object.entries(errors || {})) {
    const slot = form().querySelector(`.ws-err[data-for="${CSS.escape(field)}"]`);
    if (slot && !slot.closest("[hidden]")) slot.textContent = messages.join(" ");
    else general.push(...messages);
  }
  $("ws-errors").replaceChildren(...general.map((m) => el("p", {}, m)));
}

function blankQuote(span) {
  return { mode: "quote", id: null, version: null, editable: true, kind: "direct", spans: span ? [[span.start, span.end]] : [],
           cue: null, smention: null, speaker: null, newSpeaker: null, stances: [], tags: [] };
}

export function openQuote(span) {
  if (!requireMine()) return;
  const trimmed = trimSpan(span, true);
  if (!trimmed) { setStatus(gettext("Select the words of the quote first (without the quotation marks)."), "error"); return; }
  if (refusePunctuation(trimmed)) return;
  S.editor = blankQuote(trimmed);
  S.selectedKey = null;
  showEditor();
}

export function openEntity(span, label) {
  if (!requireMine()) return;
  const trimmed = trimSpan(span);
  if (!trimmed) { setStatus(gettext("Select the name first."), "error"); return; }
  if (refusePunctuation(trimmed)) return;
  S.editor = { mode: "entity", id: null, editable: true, start: trimmed.start, end: trimmed.end, label: label || S.lastLabel };
  S.selectedKey = null;
  showEditor();
}

export function openExisting(item) {
  if (!item) return;
  if (item.type === "quote") {
    S.editor = { mode: "quote", id: item.id, version: item.version, editable: item.editable, kind: item.kind,
                 spans: item.spans.map((s) => [...s]), cue: item.cue, smention: item.speaker_mention,
                 speaker: item.speaker, newSpeaker: null, tags: [...item.tags],
                 stances: item.stances.map((s) => ({ target: s.target.id, target_name: s.target.name, label: s.label, note: s.note })),
                 status: item.status_display, annotator: item.annotator };
  } else {
    S.editor = { mode: "entity", id: item.id, editable: item.editable, start: item.start, end: item.end, label: item.label,
                 status: item.status_display, annotator: item.annotator };
  }
  showEditor(false);
}

function refusePunctuation(span) {
  const text = textOf([span.start, span.end]);
  if (!onlyPunctuation(text)) return false;
  setStatus(interpolate(gettext("“%(text)s” is only punctuation or white space; select at least one word."), { text }), "error");
  return true;
}

function requireMine() {
  if (S.data.view !== "mine") {
    setStatus(gettext("You are looking at the accepted annotations; switch to “My annotations” (a) to annotate."), "error");
    return false;
  }
  return true;
}

function showEditor(rerender = true) {
  const editor = S.editor;
  const f = form();
  clearErrors();
  editorEl().hidden = false;
  editorEl().dataset.mode = editor.mode;
  const isQuote = editor.mode === "quote";
  f.querySelector(".ws-entity-part").hidden = isQuote;
  f.querySelector(".ws-quote-part").hidden = !isQuote;
  const titles = {
    "new quote": gettext("New quote"), "new entity": gettext("New entity"), "edit quote": gettext("Edit quote"),
    "edit entity": gettext("Edit entity"), "view quote": gettext("View quote"), "view entity": gettext("View entity"),
  };
  $("ws-editor-title").textContent = titles[`${editor.id ? (editor.editable ? "edit" : "view") : "new"} ${isQuote ? "quote" : "entity"}`];
  $("ws-delete").hidden = !(editor.id && editor.editable);
  $("ws-save").hidden = !editor.editable;
  f.querySelectorAll("input, select, .ws-quote-part button, .ws-entity-part button").forEach((n) => { n.disabled = !editor.editable; });
  $("ws-cancel").disabled = false;
  $("ws-meta").textContent = editor.id
    ? interpolate(editor.editable ? gettext("%(status)s · by %(annotator)s") : gettext("%(status)s · by %(annotator)s · read-only"),
                  { status: editor.status, annotator: editor.annotator })
    : "";
  if (isQuote) {
    f.querySelectorAll('input[name="kind"]').forEach((r) => { r.checked = r.value === editor.kind; });
    $("ws-tags").value = editor.tags.join(", ");
    $("ws-speaker-input").value = "";
    $("ws-newspeaker").hidden = !editor.newSpeaker;
    if (editor.newSpeaker) fillNewSpeaker(editor.newSpeaker);
    renderQuoteParts();
  } else {
    $("ws-label").value = editor.label;
    $("ws-entity-text").textContent = textOf([editor.start, editor.end]);
  }
  $("ws-speaker-unknown").checked = false;
  editor.initial = editorSnapshot();
  if (rerender) render();
  else redrawArcsSoon();
  placeEditor();
}

/**
 * On a narrow screen the editor is a sheet fixed over the lower part of the viewport (CSS): scroll it to
 * its top, and scroll the page so that the words being annotated stay visible above it.
 */
function placeEditor() {
  const sheet = editorEl();
  sheet.scrollTop = 0;
  document.body.classList.add("has-sheet");
  if (!window.matchMedia("(max-width: 900px)").matches) { sheet.scrollIntoView({ block: "nearest" }); return; }
  const editor = S.editor;
  const key = editor && editor.id ? `${editor.mode === "quote" ? "q" : "m"}${editor.id}` : "pending";
  const node = (S.rendered.byKey.get(key) || [])[0];
  if (!node) return;
  const rect = node.getBoundingClientRect();
  const room = sheet.getBoundingClientRect().top; // the visible height above the sheet
  if (rect.top < 8 || rect.bottom > room - 8) window.scrollBy({ top: rect.top - Math.max(8, (room - rect.height) / 2) });
}

function editorSnapshot() {
  const editor = S.editor;
  if (!editor) return "";
  if (editor.mode === "entity") return JSON.stringify([editor.start, editor.end, $("ws-label").value]);
  const kind = form().querySelector('input[name="kind"]:checked');
  return JSON.stringify([kind && kind.value, editor.spans, editor.cue, editor.smention, editor.speaker && editor.speaker.id,
    editor.newSpeaker, $("ws-tags").value, editor.stances, $("ws-target-input").value, $("ws-speaker-input").value]);
}

export function editorDirty() {
  const editor = S.editor;
  return !!(editor && editor.editable && editor.initial !== undefined && editorSnapshot() !== editor.initial);
}

/** Close the editor; when it holds changes, ask first. Returns whether it closed. */
export function cancelEditor() {
  if (editorDirty() && !window.confirm(gettext("Discard the changes in the open form?"))) {
    setStatus(gettext("The form is still open."), "warn");
    return false;
  }
  closeEditor();
  return true;
}

export function renderQuoteParts() {
  const editor = S.editor;
  const spans = editor.spans.map(([s, e], i) => el("li", {},
    el("q", { class: "a-quote" }, textOf([s, e])), " ",
    el("span", { class: "muted" }, `${s}–${e}`), " ",
    editor.editable && editor.spans.length > 1
      ? el("button", { type: "button", class: "secondary small", "aria-label": interpolate(gettext("Remove span %(n)s"), { n: i + 1 }),
                       onclick: () => { editor.spans.splice(i, 1); renderQuoteParts(); render(); } }, "×") : null));
  $("ws-spans").replaceChildren(...spans);
  $("ws-cue-text").textContent = editor.cue ? textOf(editor.cue) : gettext("none");
  $("ws-cue-text").classList.toggle("is-set", !!editor.cue);
  $("ws-smention-text").textContent = editor.smention ? textOf(editor.smention) : gettext("none");
  $("ws-smention-text").classList.toggle("is-set", !!editor.smention);
  const chosen = $("ws-speaker-chosen");
  if (editor.speaker) {
    chosen.hidden = false;
    chosen.replaceChildren(el("strong", {}, editor.speaker.name),
      editor.speaker.description ? el("span", { class: "muted" }, ` · ${editor.speaker.description}`) : "",
      editor.editable ? el("button", { type: "button", class: "secondary small", "aria-label": gettext("Change the speaker"),
        onclick: () => { editor.speaker = null; renderQuoteParts(); $("ws-speaker-input").focus(); } }, gettext("change")) : "");
    $("ws-speaker-input").hidden = true;
  } else {
    chosen.hidden = true;
    chosen.replaceChildren();
    $("ws-speaker-input").hidden = !!editor.newSpeaker;
  }
  $("ws-stances").replaceChildren(...editor.stances.map((s, i) => el("li", {},
    el("span", { class: `badge stance-${s.label}` }, s.label), " ", el("span", {}, s.target_name),
    s.note ? el("span", { class: "muted" }, ` — ${s.note}`) : "", " ",
    editor.editable ? el("button", { type: "button", class: "secondary small",
      "aria-label": interpolate(gettext("Remove stance on %(target)s"), { target: s.target_name }),
      onclick: () => { editor.stances.splice(i, 1); renderQuoteParts(); } }, "×") : "")));
}

export function closeEditor() {
  document.body.classList.remove("has-sheet");
  S.editor = null;
  editorEl().hidden = true;
  clearErrors();
  closeOptions();
  render();
}

export function takeInto(field) {
  const editor = S.editor;
  if (!editor || editor.mode !== "quote" || !editor.editable) {
    setStatus(gettext("Open a quote first (select its words and press q)."), "error");
    return;
  }
  const span = trimSpan(currentSelection(), field === "spans");
  if (!span) { setStatus(gettext("Select some text in the article first."), "error"); return; }
  if (refusePunctuation(span)) return;
  const pair = [span.start, span.end];
  if (field === "spans") {
    if (editor.spans.some(([s, e]) => s === pair[0] && e === pair[1])) return;
    editor.spans.push(pair);
    editor.spans.sort((a, b) => a[0] - b[0]);
  } else if (field === "cue") {
    editor.cue = pair;
  } else {
    editor.smention = pair;
    if (!editor.speaker && !editor.newSpeaker && !$("ws-speaker-input").value) {
      $("ws-speaker-input").value = textOf(pair);
      S.speakerCombo.run();
    }
  }
  window.getSelection().removeAllRanges();
  S.lastSelection = null;
  renderQuoteParts();
  render();
}

function fillNewSpeaker(ns) {
  $("ws-ns-name").value = ns.name || "";
  $("ws-ns-kind").value = ns.kind || "person";
  $("ws-ns-description").value = ns.description || "";
  $("ws-ns-gender").value = ns.gender || "";
  $("ws-ns-role").value = ns.role || "";
  $("ws-ns-described").checked = !!ns.described;
  showGenderField();
  renderWikidataChoice();
  renderAffiliation();
}

/** Organizations and groups have no gender: the field is not offered for them (and its value dropped). */
function showGenderField() {
  const applies = genderApplies($("ws-ns-kind").value, config.noGenderKinds);
  $("ws-ns-gender-field").hidden = !applies;
  if (!applies) {
    $("ws-ns-gender").value = "";
    if (S.editor && S.editor.newSpeaker) S.editor.newSpeaker.gender = "";
  }
}

function renderAffiliation() {
  const ns = S.editor && S.editor.newSpeaker;
  const chosen = $("ws-ns-affiliation-chosen");
  if (ns && ns.affiliation) {
    chosen.hidden = false;
    chosen.replaceChildren(el("strong", {}, ns.affiliation.name), " ",
      el("button", { type: "button", class: "secondary small", "aria-label": gettext("Remove the affiliation"),
                     onclick: () => { ns.affiliation = null; renderAffiliation(); } }, "×"));
    $("ws-ns-affiliation-input").hidden = true;
  } else {
    chosen.hidden = true;
    chosen.replaceChildren();
    $("ws-ns-affiliation-input").hidden = false;
  }
}

function startNewSpeaker(name) {
  const editor = S.editor;
  editor.speaker = null;
  editor.newSpeaker = { name, kind: "person", description: "", affiliation: null, gender: "", role: "", described: false, wikidata: null };
  $("ws-newspeaker").hidden = false;
  clearWikidataResults();
  fillNewSpeaker(editor.newSpeaker);
  renderQuoteParts();
  closeOptions();
  $("ws-ns-name").focus();
}

/** Double quotation marks pair up inside the text (as annotations/marks.py checks on the server). */
function balancedMarks(text) {
  const count = (ch) => text.split(ch).length - 1;
  return count("“") === count("”") && count("«") === count("»") && count('"') % 2 === 0;
}

/**
 * A mixed quote may begin or end with its quoted fragment, marks included. Selection trimming removed
 * those marks; give a span back the mark just outside it when that is what makes its marks pair up.
 */
function withFragmentMarks(spans) {
  return spans.map(([s, e]) => {
    if (balancedMarks(textOf([s, e]))) return [s, e];
    const after = textOf([e, e + 1]);
    if ("”»\"".includes(after) && balancedMarks(textOf([s, e + 1]))) return [s, e + 1];
    const before = s > 0 ? textOf([s - 1, s]) : "";
    if ("“«\"".includes(before) && balancedMarks(textOf([s - 1, e]))) return [s - 1, e];
    return [s, e];
  });
}

function collectQuote() {
  const editor = S.editor;
  const kind = form().querySelector('input[name="kind"]:checked');
  const kindValue = kind ? kind.value : "direct";
  const spans = kindValue === "mixed" ? withFragmentMarks(editor.spans) : editor.spans;
  const payload = {
    kind: kindValue,
    spans,
    span_texts: spans.map(textOf),
    cue: editor.cue,
    cue_text: editor.cue ? textOf(editor.cue) : "",
    speaker_mention: editor.smention,
    speaker_mention_text: editor.smention ? textOf(editor.smention) : "",
    speaker: editor.speaker ? editor.speaker.id : null,
    tags: $("ws-tags").value.split(",").map((t) => t.trim()).filter(Boolean),
    stances: editor.stances.map((s) => ({ target: s.target || null, target_name: s.target_name, label: s.label, note: s.note || "" })),
  };
  if (editor.newSpeaker) {
    const kind = $("ws-ns-kind").value;
    payload.new_speaker = {
      name: $("ws-ns-name").value.trim(), kind, description: $("ws-ns-description").value.trim(),
      affiliation: editor.newSpeaker.affiliation ? editor.newSpeaker.affiliation.id : null,
      wikidata_qid: editor.newSpeaker.wikidata ? editor.newSpeaker.wikidata.qid : "",
      ...attributesPayload({ gender: $("ws-ns-gender").value, role: $("ws-ns-role").value,
                             described: $("ws-ns-described").checked }, kind, config.noGenderKinds),
    };
    payload.speaker = null;
  }
  if (editor.id) payload.version = editor.version;
  return payload;
}

export async function save() {
  if (!S.editor || !S.editor.editable || S.saving) return;
  S.saving = true;
  clearErrors();
  try {
    const editor = S.editor;
    if (editor.mode === "quote") {
      if ($("ws-target-input").value.trim()) addStanceFromForm();
      const payload = collectQuote();
      if (!payload.speaker && !payload.new_speaker && !$("ws-speaker-unknown").checked
          && !window.confirm(gettext("This quote has no speaker. Save it with the speaker unknown?"))) {
        setStatus(gettext("Not saved: pick the speaker (p), or tick “Speaker unknown”."), "warn");
        return;
      }
      if (!payload.speaker && !payload.new_speaker && !payload.tags.includes(SPEAKER_UNKNOWN)) payload.tags.push(SPEAKER_UNKNOWN);
      const before = editor.id ? quotePayload(find(`q${editor.id}`), textOf) : null;
      const data = editor.id
        ? await api("PATCH", quoteUrl(editor.id), payload)
        : await api("POST", config.urls.quotes, payload);
      recordQuoteChange(before, data.quote);
      setStatus(editor.id ? gettext("Quote saved. Ctrl+Z undoes it.") : gettext("Quote created. Ctrl+Z undoes it."), "ok");
      S.editor = null;
      await refresh();
      editorEl().hidden = true;
      choose(`q${data.quote.id}`);
    } else {
      const label = $("ws-label").value;
      S.lastLabel = label;
      const before = editor.id ? find(`m${editor.id}`) : null;
      const data = editor.id
        ? await api("PATCH", mentionUrl(editor.id), { label })
        : await api("POST", config.urls.mentions, { start: editor.start, end: editor.end, label, text: textOf([editor.start, editor.end]) });
      recordMentionChange(before, data.mention);
      setStatus(interpolate(gettext("Entity %(label)s saved."), { label: data.mention.label }), "ok");
      S.editor = null;
      await refresh();
      editorEl().hidden = true;
      choose(`m${data.mention.id}`);
    }
    window.getSelection().removeAllRanges();
    S.lastSelection = null;
  } catch (err) {
    handleError(err);
  } finally {
    S.saving = false;
  }
}

// ---------------------------------------------------------------- undo / redo (through the API)

const quoteUrl = (id) => config.urls.quote.replace("{id}", id);
const mentionUrl = (id) => config.urls.mention.replace("{id}", id);
const versionOf = (id) => { const q = find(`q${id}`); return q ? q.version : undefined; };

function recordQuoteChange(before, after) {
  const ref = { id: after.id };
  const afterPayload = quotePayload(after, textOf);
  if (!before) {
    S.history.push({ what: gettext("quote creation"),
      undo: async () => { await api("DELETE", quoteUrl(ref.id)); },
      redo: async () => { ref.id = (await api("POST", config.urls.quotes, afterPayload)).quote.id; } });
  } else {
    S.history.push({ what: gettext("quote edit"),
      undo: async () => { await api("PATCH", quoteUrl(ref.id), { ...before, version: versionOf(ref.id) }); },
      redo: async () => { await api("PATCH", quoteUrl(ref.id), { ...afterPayload, version: versionOf(ref.id) }); } });
  }
}

function recordQuoteDeletion(item) {
  const ref = { id: item.id };
  const payload = quotePayload(item, textOf);
  S.history.push({ what: gettext("quote deletion"),
    undo: async () => { ref.id = (await api("POST", config.urls.quotes, payload)).quote.id; },
    redo: async () => { await api("DELETE", quoteUrl(ref.id)); } });
}

function recordMentionChange(before, after) {
  const ref = { id: after.id };
  if (!before) {
    const payload = mentionPayload(after);
    S.history.push({ what: gettext("entity creation"),
      undo: async () => { await api("DELETE", mentionUrl(ref.id)); },
      redo: async () => { ref.id = (await api("POST", config.urls.mentions, payload)).mention.id; } });
  } else {
    S.history.push({ what: gettext("entity edit"),
      undo: async () => { await api("PATCH", mentionUrl(ref.id), { label: before.label }); },
      redo: async () => { await api("PATCH", mentionUrl(ref.id), { label: after.label }); } });
  }
}

function recordMentionDeletion(item) {
  const ref = { id: item.id };
  const payload = mentionPayload(item);
  S.history.push({ what: gettext("entity deletion"),
    undo: async () => { ref.id = (await api("POST", config.urls.mentions, payload)).mention.id; },
    redo: async () => { await api("DELETE", mentionUrl(ref.id)); } });
}

/** A quote that appeared through the suggestions panel (origin rule:…) can be undone like one we created. */
function recordSuggestionAccepts(previous) {
  if (!previous) return;
  for (const q of S.data.quotes) {
    if (!previous.has(q.id) && q.editable && String(q.origin || "").startsWith("rule:")) recordQuoteChange(null, q);
  }
}

export async function undoRedo(redo) {
  if (S.editor && !cancelEditor()) return;
  const entry = redo ? await runHistory(() => S.history.redo()) : await runHistory(() => S.history.undo());
  if (entry === undefined) return;
  if (entry === null) { setStatus(redo ? gettext("Nothing to redo.") : gettext("Nothing to undo.")); return; }
  S.selectedKey = null;
  await refresh(false);
  setStatus(interpolate(redo ? gettext("Redone: %(what)s.") : gettext("Undone: %(what)s."), { what: entry.what }), "ok");
}

async function runHistory(step) {
  try { return await step(); } catch (err) { handleError(err); return undefined; }
}

export function handleError(err) {
  if (!(err instanceof ApiError)) throw err;
  if (S.editor && !editorEl().hidden) showErrors(err.errors);
  setStatus(Object.values(err.errors).flat().join(" "), "error");
  if (err.status === 409) refresh();
}

export async function quickEntity(span, label) {
  if (!requireMine()) return;
  const trimmed = trimSpan(span);
  if (!trimmed || refusePunctuation(trimmed)) return;
  S.lastLabel = label;
  try {
    const data = await api("POST", config.urls.mentions,
      { start: trimmed.start, end: trimmed.end, label, text: textOf([trimmed.start, trimmed.end]) });
    window.getSelection().removeAllRanges();
    S.lastSelection = null;
    recordMentionChange(null, data.mention);
    setStatus(interpolate(gettext("Entity %(label)s saved: %(text)s"), { label, text: data.mention.text }), "ok");
    await refresh();
  } catch (err) {
    handleError(err);
  }
}

export async function removeSelected() {
  const item = find(S.selectedKey);
  if (!item) return;
  if (!item.editable) { setStatus(gettext("This annotation is read-only for you."), "error"); return; }
  if (S.deleteArmed !== S.selectedKey) {
    S.deleteArmed = S.selectedKey;
    setStatus(gettext("Press Delete again to delete this annotation (Esc to keep it)."), "warn");
    return;
  }
  try {
    await api("DELETE", item.type === "quote" ? quoteUrl(item.id) : mentionUrl(item.id));
    if (item.type === "quote") recordQuoteDeletion(item); else recordMentionDeletion(item);
    setStatus(item.type === "quote" ? gettext("Quote deleted. Ctrl+Z brings it back.") : gettext("Entity deleted. Ctrl+Z brings it back."), "ok");
    S.selectedKey = null;
    S.deleteArmed = null;
    S.editor = null;
    editorEl().hidden = true;
    await refresh();
  } catch (err) {
    handleError(err);
  }
}

function addStanceFromForm() {
  const name = $("ws-target-input").value.trim();
  if (!name) return;
  const known = S.targetCache.find((t) => t.name.toLowerCase() === name.toLowerCase());
  const stance = { target: known ? known.id : null, target_name: known ? known.name : name,
                   label: $("ws-stance-label").value, note: $("ws-stance-note").value.trim() };
  S.editor.stances = S.editor.stances.filter((s) => s.target_name.toLowerCase() !== stance.target_name.toLowerCase());
  S.editor.stances.push(stance);
  $("ws-target-input").value = "";
  $("ws-stance-note").value = "";
  renderQuoteParts();
}

// ---------------------------------------------------------------- loading, views, submit

export async function refresh(watchSuggestions = true) {
  const previous = watchSuggestions && S.data.view === "mine" ? new Set(S.data.quotes.map((q) => q.id)) : null;
  const data = await api("GET", `${config.urls.state}?view=${encodeURIComponent(S.data.view)}`);
  S.data = data;
  if (previous && data.view === "mine") recordSuggestionAccepts(previous);
  if (S.selectedKey && !find(S.selectedKey)) S.selectedKey = null;
  render();
}

export async function switchView(view) {
  if (view === S.data.view) return;
  S.data.view = view;
  S.editor = null;
  editorEl().hidden = true;
  S.selectedKey = null;
  const url = new URL(window.location.href);
  url.searchParams.set("view", view);
  window.history.replaceState(null, "", url);
  await refresh();
  setStatus(view === "mine" ? gettext("Showing your annotations.") : gettext("Showing accepted annotations (read-only)."));
}

async function submit() {
  try {
    const data = await api("POST", config.urls.submit, {});
    setStatus(interpolate(ngettext("Submitted for review: %(n)s quote and your entities.",
      "Submitted for review: %(n)s quotes and your entities.", data.submitted), { n: data.submitted }), "ok");
    S.data = { view: data.view, quotes: data.quotes, mentions: data.mentions };
    render();
  } catch (err) { handleError(err); }
}

// ---------------------------------------------------------------- speaker and affiliation search

function closeOptions() {
  if (S.speakerCombo) S.speakerCombo.close();
  if (S.affiliationCombo) S.affiliationCombo.close();
}

async function searchSpeakers(term) {
  try {
    return (await api("GET", `${config.urls.speakers}?q=${encodeURIComponent(term)}`)).results;
  } catch (err) { handleError(err); return []; }
}

function describeSpeaker(s) {
  const frag = document.createDocumentFragment();
  frag.append(el("strong", {}, s.name));
  if (s.matched_alias) frag.append(el("span", { class: "muted" }, interpolate(gettext(" (as “%(alias)s”)"), { alias: s.matched_alias })));
  if (s.description || s.affiliation) frag.append(el("span", { class: "muted" }, ` · ${[s.description, s.affiliation].filter(Boolean).join(", ")}`));
  return frag;
}

function newSpeakerOption(term) {
  const node = document.createDocumentFragment();
  node.append(gettext("+ New speaker"), " “", el("strong", {}, term), "”");
  return { node, className: "ws-option-create", pick: () => startNewSpeaker(term) };
}

/** An existing speaker becomes the quote's (from the picker, or a Wikidata item already in the corpus). */
function useSpeaker(speaker) {
  S.editor.speaker = speaker;
  S.editor.newSpeaker = null;
  $("ws-newspeaker").hidden = true;
  $("ws-speaker-input").value = "";
  clearWikidataResults();
  renderQuoteParts();
}

/** Wire the editor's controls (once, at start). */
export function wireEditor() {
  const f = form();
  S.speakerCombo = attachCombobox({
    input: $("ws-speaker-input"), list: $("ws-speaker-options"), search: searchSpeakers, describe: describeSpeaker,
    extra: newSpeakerOption, onPick: useSpeaker,
  });
  wireWikidata({ onFill: fillNewSpeaker, onUseSpeaker: useSpeaker });
  S.affiliationCombo = attachCombobox({
    input: $("ws-ns-affiliation-input"), list: $("ws-ns-affiliation-options"), search: searchSpeakers, describe: describeSpeaker,
    onPick: (speaker) => {
      S.editor.newSpeaker.affiliation = speaker;
      $("ws-ns-affiliation-input").value = "";
      renderAffiliation();
    },
  });
  $("ws-target-input").addEventListener("input", async (ev) => {
    const term = ev.target.value.trim();
    try {
      S.targetCache = (await api("GET", `${config.urls.targets}?q=${encodeURIComponent(term)}`)).results;
    } catch (err) { return; }
    $("ws-target-list").replaceChildren(...S.targetCache.map((t) => el("option", { value: t.name })));
  });
  $("ws-target-input").addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") { ev.preventDefault(); addStanceFromForm(); }
  });
  $("ws-stance-add").addEventListener("click", () => addStanceFromForm());
  $("ws-ns-cancel").addEventListener("click", () => {
    S.editor.newSpeaker = null;
    $("ws-newspeaker").hidden = true;
    clearWikidataResults();
    renderQuoteParts();
    $("ws-speaker-input").focus();
  });
  $("ws-ns-name").addEventListener("input", (ev) => { if (S.editor && S.editor.newSpeaker) S.editor.newSpeaker.name = ev.target.value; });
  const keep = (id, key, read) => $(id).addEventListener("change", (ev) => {
    if (S.editor && S.editor.newSpeaker) S.editor.newSpeaker[key] = read(ev.target);
  });
  keep("ws-ns-kind", "kind", (n) => n.value);
  keep("ws-ns-description", "description", (n) => n.value);
  keep("ws-ns-gender", "gender", (n) => n.value);
  keep("ws-ns-role", "role", (n) => n.value);
  keep("ws-ns-described", "described", (n) => n.checked);
  $("ws-ns-kind").addEventListener("change", () => showGenderField());
  $("ws-add-span").addEventListener("click", () => takeInto("spans"));
  $("ws-take-cue").addEventListener("click", () => takeInto("cue"));
  $("ws-take-smention").addEventListener("click", () => takeInto("smention"));
  $("ws-clear-cue").addEventListener("click", () => { if (S.editor) { S.editor.cue = null; renderQuoteParts(); render(); } });
  $("ws-clear-smention").addEventListener("click", () => { if (S.editor) { S.editor.smention = null; renderQuoteParts(); render(); } });
  $("ws-cancel").addEventListener("click", () => cancelEditor());
  $("ws-delete").addEventListener("click", () => { S.deleteArmed = S.selectedKey; removeSelected(); });
  f.addEventListener("submit", (ev) => { ev.preventDefault(); save(); });
  // Buttons in the panel must not steal the text selection before they read it.
  $("ws-new-quote").addEventListener("click", () => openQuote(currentSelection()));
  $("ws-new-entity").addEventListener("click", () => openEntity(currentSelection()));
  for (const id of ["ws-add-span", "ws-take-cue", "ws-take-smention", "ws-new-quote", "ws-new-entity"]) {
    $(id).addEventListener("mousedown", (ev) => ev.preventDefault());
  }
  f.querySelectorAll('input[name="kind"]').forEach((r) => r.addEventListener("change", () => { if (S.editor) S.editor.kind = r.value; }));
  $("ws-label").addEventListener("change", (ev) => { if (S.editor) S.editor.label = ev.target.value; });
  document.querySelectorAll(".ws-view").forEach((b) => b.addEventListener("click", () => switchView(b.dataset.view)));
  $("ws-submit").addEventListener("click", () => submit());
}
