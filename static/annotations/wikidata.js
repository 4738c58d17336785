// "Search Wikidata" in the new-speaker form: asks GET /api/v1/workspace/wikidata for the typed name and
// lists the items. Nothing is linked until the person picks one: then its label and description fill the
// form and its QID goes with the new speaker (an editor's pick links it; an annotator's is a proposal an
// editor confirms, decided by the server); an item already linked to a speaker of the corpus, or proposed
// for one, offers that speaker instead. Off or unreachable, the form says so and works without it. State lives in `S`.

import { api, ApiError } from "./api.js";
import { $, S, config, el } from "./state.js";
import { gettext, interpolate } from "./i18n.js";
import { applyMatch } from "./speakerform.js";

function say(text) { $("ws-ns-wd-message").textContent = text; }

export function clearWikidataResults() {
  $("ws-ns-wd-results").hidden = true;
  $("ws-ns-wd-results").replaceChildren();
  say("");
}

/** Show the picked item (or nothing) under the name, with a button to drop it. */
export function renderWikidataChoice() {
  const ns = S.editor && S.editor.newSpeaker;
  const chosen = $("ws-ns-wd-chosen");
  const pick = ns && ns.wikidata;
  chosen.hidden = !pick;
  if (!pick) { chosen.replaceChildren(); return; }
  chosen.replaceChildren(
    gettext("Wikidata: "), el("strong", {}, pick.qid), pick.description ? el("span", { class: "muted" }, ` · ${pick.description}`) : "", " ",
    el("button", { type: "button", class: "secondary small", "aria-label": gettext("Do not link to Wikidata"),
                   onclick: () => { ns.wikidata = null; renderWikidataChoice(); } }, "×"));
}

function matchItem(match, { onFill, onUseSpeaker }) {
  const label = el("span", {}, el("strong", {}, match.label || match.qid), " ", el("span", { class: "muted" }, match.qid),
    ` — ${match.description || gettext("no description")}`);
  const existing = match.speaker || match.proposed_for;  // linked, or proposed for a speaker (not picked twice)
  if (existing) {
    return el("li", {}, el("button", { type: "button", class: "secondary small", "data-qid": match.qid,
      onclick: () => { clearWikidataResults(); onUseSpeaker(existing); } },
      label, el("span", { class: "muted" }, interpolate(gettext(" · already in the corpus as %(name)s: use that speaker"), { name: existing.name }))));
  }
  return el("li", {}, el("button", { type: "button", class: "secondary small", "data-qid": match.qid,
    onclick: () => {
      S.editor.newSpeaker = applyMatch({ ...S.editor.newSpeaker, name: $("ws-ns-name").value.trim(),
                                         description: $("ws-ns-description").value.trim() }, match);
      clearWikidataResults();
      onFill(S.editor.newSpeaker);
    } }, label));
}

async function search(handlers) {
  const ns = S.editor && S.editor.newSpeaker;
  const term = $("ws-ns-name").value.trim();
  if (!ns || !term) { say(gettext("Type the name to look for first.")); return; }
  const button = $("ws-ns-wd-search");
  button.disabled = true;
  say(gettext("Searching Wikidata…"));
  try {
    const data = await api("GET", `${config.urls.wikidata}?q=${encodeURIComponent(term)}`);
    if (S.editor === null || S.editor.newSpeaker !== ns) return; // the form moved on meanwhile
    if (!data.available) {
      say(interpolate(gettext("%(reason)s The speaker can be created without it."), { reason: data.message }));
      return;
    }
    const list = $("ws-ns-wd-results");
    list.replaceChildren(...data.results.map((m) => matchItem(m, handlers)));
    list.hidden = data.results.length === 0;
    say(data.results.length
      ? gettext("Pick the item that is this speaker, or none: nothing is linked until you pick one.")
      : interpolate(gettext("Wikidata has no item for “%(name)s”."), { name: term }));
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    say(interpolate(gettext("Wikidata search failed: %(reason)s The speaker can be created without it."), { reason: err.message }));
  } finally {
    button.disabled = false;
  }
}

/** `onFill(newSpeaker)` redraws the form after a pick; `onUseSpeaker(speaker)` picks an existing speaker. */
export function wireWikidata(handlers) {
  $("ws-ns-wd-search").addEventListener("click", () => search(handlers));
}
