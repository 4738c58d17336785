// Correction by selection on the review quote page: the editor selects text in the quote's
// paragraph; the same offset code as the workspace (offsets.js) turns the selection into code points
// of the article, written into the form's hidden inputs (spans "s-e;s-e", cue "s-e"). The speaker is
// picked with the workspace's combobox and sent as a hidden id that the server validates.

import { api } from "../annotations/api.js";
import { attachCombobox } from "../annotations/combobox.js";
import { offsetMap } from "../annotations/offsets.js";
import { onlyPunctuation } from "../annotations/words.js";

const root = document.getElementById("correct");
const para = document.getElementById("correct-text");
if (root && para) {
  const form = root.querySelector("form");
  const spansInput = form.querySelector('input[name="spans"]');
  const cueInput = form.querySelector('input[name="cue"]');
  const mentionInput = form.querySelector('input[name="speaker_mention"]');
  const speakerInput = form.querySelector('input[name="speaker"]');
  const status = document.getElementById("correct-status");
  const text = para.textContent;
  const map = offsetMap(text);
  const parse = (value) => value.split(";").map((p) => p.trim()).filter(Boolean).map((p) => p.split("-").map(Number));
  // The paragraph's first code point in the article: the first quote span minus the text before its mark.
  const firstMark = para.querySelector('[data-kind="quote"]');
  const before = document.createRange();
  before.selectNodeContents(para);
  before.setEndBefore(firstMark);
  const initialSpans = parse(spansInput.value);
  const base = initialSpans[0][0] - map.utf16ToCp(before.toString().length);
  const slice = ([s, e]) => text.slice(map.cpToUtf16(s - base), map.cpToUtf16(e - base));

  const say = (message) => { status.textContent = message; };
  // White space and quotation marks never stand at a selection's edge (text.marks.EDGE_MARKS, the one set).
  const quoteMarks = JSON.parse(document.getElementById("quote-marks").textContent);
  const edge = (ch) => /\s/.test(ch) || quoteMarks.includes(ch);

  function selection() {
    const sel = window.getSelection();
    if (!sel.rangeCount || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    if (!para.contains(range.startContainer) || !para.contains(range.endContainer)) return null;
    const unit = (node, offset) => { const r = document.createRange(); r.selectNodeContents(para); r.setEnd(node, offset); return r.toString().length; };
    let u0 = unit(range.startContainer, range.startOffset);
    let u1 = unit(range.endContainer, range.endOffset);
    while (u0 < u1 && edge(text[u0])) u0++;
    while (u1 > u0 && edge(text[u1 - 1])) u1--;
    if (u1 <= u0) return null;
    return [base + map.utf16ToCp(u0), base + map.utf16ToCp(u1)];
  }

  function show() {
    const spans = parse(spansInput.value);
    document.getElementById("correct-spans").replaceChildren(...spans.map((s) => {
      const li = document.createElement("li");
      const q = document.createElement("q");
      q.textContent = slice(s);
      li.append(q, ` ${s[0]}–${s[1]}`);
      return li;
    }));
    const cue = cueInput.value ? parse(cueInput.value)[0] : null;
    document.getElementById("correct-cue").textContent = cue ? `“${slice(cue)}” ${cue[0]}–${cue[1]}` : "none";
    const mention = mentionInput && mentionInput.value ? parse(mentionInput.value)[0] : null;
    document.getElementById("correct-mention").textContent = mention ? `“${slice(mention)}” ${mention[0]}–${mention[1]}` : "none";
  }

  function take(what) {
    const span = selection();
    if (!span) { say("Select words in the paragraph above first."); return; }
    if (onlyPunctuation(slice(span))) { say("That selection is only punctuation; select at least one word."); return; }
    const value = `${span[0]}-${span[1]}`;
    if (what === "replace") spansInput.value = value;
    else if (what === "add") spansInput.value = [...parse(spansInput.value), span].sort((a, b) => a[0] - b[0]).map((s) => s.join("-")).join(";");
    else if (what === "mention") mentionInput.value = value;
    else cueInput.value = value;
    window.getSelection().removeAllRanges();
    say(`${{ cue: "Cue", mention: "Speaker mention" }[what] || "Content"} set to “${slice(span)}”.`);
    show();
  }

  for (const button of root.querySelectorAll("[data-take]")) {
    button.addEventListener("mousedown", (ev) => ev.preventDefault()); // keep the text selection
    button.addEventListener("click", () => take(button.dataset.take));
  }
  root.querySelector("[data-clear-cue]").addEventListener("click", () => { cueInput.value = ""; show(); });
  root.querySelector("[data-clear-mention]").addEventListener("click", () => { mentionInput.value = ""; show(); });

  const chosen = document.getElementById("correct-speaker-chosen");
  attachCombobox({
    input: document.getElementById("correct-speaker-input"),
    list: document.getElementById("correct-speaker-options"),
    search: async (term) => (await api("GET", `${root.dataset.speakersUrl}?q=${encodeURIComponent(term)}`)).results,
    describe: (s) => {
      const strong = document.createElement("strong");
      strong.textContent = s.name;
      return strong;
    },
    onPick: (s) => {
      speakerInput.value = String(s.id);
      chosen.textContent = s.name;
      document.getElementById("correct-speaker-input").value = "";
    },
  });
  root.querySelector("[data-clear-speaker]").addEventListener("click", () => { speakerInput.value = ""; chosen.textContent = "none"; });
  show();
}
