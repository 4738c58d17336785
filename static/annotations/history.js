// Undo/redo stack of the workspace. Pure: each entry holds its own `undo` and `redo` functions
// (which call the JSON endpoints through api.js); the stack only orders them.

export function createHistory(limit = 50) {
  const done = [];
  const undone = [];
  return {
    push(entry) {
      done.push(entry);
      if (done.length > limit) done.shift();
      undone.length = 0;
    },
    canUndo: () => done.length > 0,
    canRedo: () => undone.length > 0,
    /** Run the last entry's undo; it moves to the redo stack only when the undo succeeded. */
    async undo() {
      const entry = done.pop();
      if (!entry) return null;
      try { await entry.undo(); } catch (err) { done.push(entry); throw err; }
      undone.push(entry);
      return entry;
    },
    async redo() {
      const entry = undone.pop();
      if (!entry) return null;
      try { await entry.redo(); } catch (err) { undone.push(entry); throw err; }
      done.push(entry);
      return entry;
    },
    get size() { return { done: done.length, undone: undone.length }; },
  };
}

/** The create payload that rebuilds a quote as the state endpoint describes it. `textOf([s, e])` slices the body. */
export function quotePayload(q, textOf) {
  return {
    kind: q.kind,
    spans: q.spans.map((s) => [s[0], s[1]]),
    span_texts: q.spans.map(textOf),
    cue: q.cue ? [q.cue[0], q.cue[1]] : null,
    cue_text: q.cue ? textOf(q.cue) : "",
    speaker_mention: q.speaker_mention ? [q.speaker_mention[0], q.speaker_mention[1]] : null,
    speaker_mention_text: q.speaker_mention ? textOf(q.speaker_mention) : "",
    speaker: q.speaker ? q.speaker.id : null,
    tags: [...q.tags],
    stances: q.stances.map((s) => ({ target: s.target.id, target_name: s.target.name, label: s.label, note: s.note || "" })),
  };
}

export function mentionPayload(m) {
  return { start: m.start, end: m.end, label: m.label, text: m.text };
}
