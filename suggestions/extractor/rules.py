"""The rules: quotation runs with their attributions, then reported speech around cue verbs.

Each rule is named; the name is stored with an accepted quote as its origin (``rule:<name>``):

- ``direct``           “...,” X said / X said, “...” / “...,” said X (attribution after or before)
- ``direct_split``     “A,” X said, “B.” : one quote, two spans (the second part has no attribution)
- ``direct_multi``     a quote running over paragraphs that reopen with a mark (spans per paragraph)
- ``direct_dash``      “...” — X
- ``direct_colon``     X said: “...” / X: “...”
- ``direct_context``   a quoted sentence with no attribution of its own, given to the speaker of the
                       quote just before it (same or previous paragraph)
- ``colon``            X: text  (a transcript line, unquoted)
- ``indirect``         X said (that) ... / X told reporters ... / X, a role, warned that ...
- ``indirect_after``   ..., X said. / ..., said X.
- ``according_to``     ..., according to X. / According to X, ...
- ``participle``       ..., adding that ... / ... a statement saying ...  (subject of the main clause)
- ``mixed``            any indirect rule whose content holds a quoted fragment
"""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from text.marks import DOUBLE_CLOSE, QuoteRun, find_runs, trim
from text.sentences import dateline_end, is_abbreviation, paragraphs, sentences

from .cues import (
    ACCORDING_TO,
    AUXILIARIES,
    CLAIM_NOUNS,
    CUE_FORMS,
    DOCUMENT_NOUNS,
    FRAGMENT_VERBS,
    FURNITURE_LABELS,
    HEARER_VERBS,
    INFINITIVE_CUES,
    NON_CLAUSE_STARTS,
    NOUN_DETERMINERS,
    PARTICIPLES,
    SUBORDINATORS,
    WEEKDAYS,
)
from .speakers import (
    Mention,
    Resolver,
    Tok,
    group_with_modifier,
    mention_after,
    mention_before,
    name_after,
    name_before,
    tokens,
)

_CUE_RE = re.compile(
    r"\b(?:" + "|".join(sorted((re.escape(f) for f in [*CUE_FORMS, ACCORDING_TO]), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"\w+")
_CUE_FIRST_WORDS = frozenset(form.split()[0] for form in [*CUE_FORMS, ACCORDING_TO])
_ADVERBIAL = re.compile(
    r"\s*(?:,\s*)?(?:"
    r"(?:on|last|this|next)\s+(?:" + "|".join(WEEKDAYS) + r")(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?:in|on|at|during)\s+(?:an?|the|his|her|their|its)\s+(?:[\w-]+\s+){0,3}?(?:" + "|".join(DOCUMENT_NOUNS) + r")s?"
    r"|(?:yesterday|today|tonight|recently|earlier|later|previously|again|also|repeatedly|publicly|privately)"
    r"|(?:last|this|next)\s+(?:week|month|year|night|spring|summer|fall|autumn|winter)"
    r"|for\s+(?:(?:several|many|some|two|three|a\s+few)\s+)?(?:days|weeks|months|years|some\s+time|a\s+while)"
    r"|(?:on|in)\s+(?:" + "|".join(WEEKDAYS) + r"|Twitter|X|Facebook|television|court|Congress)"
    r"|(?:" + "|".join(WEEKDAYS) + r")(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?:last|this)\s+(?:morning|afternoon|evening)"
    r")\b"
)
_RELATIVE_NEXT = re.compile(r"\s*(?:would|will|could|should|might|may|was|were|is|are|had|has|have|must|did)\b", re.I)
_FRAGMENT_VERB_RE = re.compile(r"\b(?:" + "|".join(sorted(FRAGMENT_VERBS)) + r")\b")
_CLAIM_RE = re.compile(r"\b(" + "|".join(sorted(CLAIM_NOUNS)) + r")\s+that\b")
_SECOND_CUE = re.compile(r",?\s+(?:and|but)\s+(?:also\s+)?(\w+)\b")
_TRAILING_DETERMINER = re.compile(r"(?<=[,\s])(?:the|a|an|their|its|his|her)$", re.I)
_QUANTITY_START = re.compile(r"(?:about|more than|less than|fewer than|nearly|almost|at least)\s+[\d$£€]", re.I)
_THAT = re.compile(r"\s*(?:,\s*|:\s*)?that\b", re.IGNORECASE)
_SENT_PUNCT = ".!?;:,"
_CLAUSE_WORDS = frozenset(
    {
        "is",
        "was",
        "are",
        "were",
        "be",
        "been",
        "has",
        "had",
        "have",
        "heard",
        "that",
        "which",
        "who",
        "when",
        "said",
        "says",
        "told",
        "and",
        "or",
        "but",
        "if",
        "than",
        "to",
        "of",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
    }
)
_TRAILING_CLAUSE = frozenset(
    {"as", "while", "because", "after", "before", "amid", "since", "though", "although", "when", "even"}
)
_SUBJECT_LEAD = (
    SUBORDINATORS
    | AUXILIARIES
    | {
        "but",
        "and",
        "yet",
        "so",
        "still",
        "later",
        "earlier",
        "then",
        "meanwhile",
        "separately",
        "now",
        "however",
    }
)
_LEADING_ADVERBIAL = (
    "On|In|At|This|Last|During|After|Before|Earlier|Later|Since|For|Under|Over|Asked|Speaking|"
    "Meanwhile|Still|However|Now|Then|Separately|Until|Despite|Following|Like|Unlike|Once|Today|Yesterday"
)


@dataclass
class Suggestion:
    """One suggested quote. Offsets are Python code points; content spans exclude quotation marks."""

    kind: str
    spans: list[tuple[int, int]]
    cue: tuple[int, int] | None
    speaker: str | None
    speaker_mention: tuple[int, int] | None
    rule: str
    speaker_kind: str = ""
    mention: Mention | None = field(default=None, repr=False, compare=False)

    def as_dict(self) -> dict:
        """The public JSON form (keys exactly as documented)."""
        return {
            "kind": self.kind,
            "spans": [[s, e] for s, e in self.spans],
            "cue": list(self.cue) if self.cue else None,
            "speaker": self.speaker,
            "speaker_mention": list(self.speaker_mention) if self.speaker_mention else None,
        }

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


@dataclass
class _Attribution:
    cue: tuple[int, int] | None
    mention: Mention | None
    start: int  # extent of the attribution text
    end: int
    rule: str = "direct"


class _Extractor:
    def __init__(self, text: str, aliases: Mapping[str, str] | None):
        self.text = text
        self.resolver = Resolver(text, aliases)
        self.sentences = sentences(text)
        self.paragraphs = paragraphs(text)
        self.runs = find_runs(text)
        self.used_cues: set[int] = set()
        self.blocked: list[tuple[int, int]] = []  # direct quotes with their marks and attributions

    # -- helpers ------------------------------------------------------------------------------------
    def sentence_of(self, pos: int) -> tuple[int, int]:
        for s, e in self.sentences:
            if s <= pos < e:
                return s, e
        return pos, pos

    def paragraph_of(self, pos: int) -> tuple[int, int]:
        for s, e in self.paragraphs:
            if s <= pos <= e:
                return s, e
        return pos, pos

    def _cue_at(self, start: int, end: int) -> list[re.Match]:
        # Words first, the long alternation only where a word can start a cue: the same matches as
        # _CUE_RE.finditer, several times faster.
        found = []
        for word in _WORD_RE.finditer(self.text, start, end):
            if word.group().lower() not in _CUE_FIRST_WORDS:
                continue
            m = _CUE_RE.match(self.text, word.start(), end)
            if (
                m is not None
                and (m.group().lower() == ACCORDING_TO or m.group().islower() or m.start() == start)
                and not _after_determiner(self.text, m.start())
            ):
                found.append(m)
        return found

    # -- quotation runs -----------------------------------------------------------------------------
    def is_sentence_level(self, run: QuoteRun) -> bool:
        p_start, _ = self.paragraph_of(run.open_at)
        i = run.open_at - 1
        while i >= p_start and self.text[i].isspace():
            i -= 1
        if i < p_start:
            return True
        before = self.text[i]
        if before in ".!?:—–-" or before in DOUBLE_CLOSE or before in "’":
            return True
        if unicodedata.category(before) in ("So", "Sk", "Cn", "Co"):
            return True  # an emoji or symbol before the quote
        first = self.text[run.start]
        return bool(before == "," and first.isupper())

    def attribution_after(self, run: QuoteRun) -> _Attribution | None:
        """“...,” X said / “...,” said X / “...” — X, within the same sentence part after the close mark."""
        p_start, p_end = self.paragraph_of(run.close_at)
        pos = run.close_at + 1
        rest_end = p_end
        nxt = self._next_open(pos, p_end)
        if nxt is not None:
            rest_end = nxt
        tail = self.text[pos:rest_end]
        dash = re.match(r"\s*[—–]+\s*|\s+-{1,2}\s+", tail)
        if dash:
            toks = tokens(self.text, pos + dash.end(), rest_end)
            mention = mention_after(self.text, toks)
            if mention and mention.kind != "pronoun":
                return _Attribution(None, mention, pos, mention.end, "direct_dash")
        lead = re.match(r"\s*,?\s*", tail)
        assert lead is not None  # the pattern matches the empty string
        start = pos + lead.end()
        # the attribution runs to the end of its clause
        clause_end = self._clause_stop(start, rest_end)
        cues = [m for m in self._cue_at(start, clause_end) if m.group().lower() != ACCORDING_TO]
        if not cues:
            return None
        cue = cues[0]
        before = tokens(self.text, start, cue.start())
        before = self._strip_auxiliaries(before)
        if before:
            mention = mention_before(self.text, before)
            if mention and (
                mention.start == before[0].start
                # "“...,” chief executive Chris Dunmore said": a few lowercase role words before the name
                or (mention.kind == "person" and self._subject_position(start, mention))
            ):
                return _Attribution((cue.start(), cue.end()), mention, start, clause_end)
            appositive = self._appositive(start, cue.start())
            if appositive:
                return _Attribution((cue.start(), cue.end()), appositive, start, clause_end)
            return None
        after = tokens(self.text, cue.end(), clause_end)
        mention = mention_after(self.text, after)
        if mention:
            return _Attribution((cue.start(), cue.end()), mention, start, clause_end)
        return None

    def _clause_stop(self, start: int, limit: int) -> int:
        """The first sentence-ending mark after ``start`` that is no abbreviation ("Mr.", "D.")."""
        for m in re.finditer(r"[.!?;]|,\s*[“\"]", self.text[start:limit]):
            pos = start + m.start()
            if self.text[pos] == "." and is_abbreviation(self.text, pos):
                continue
            return pos
        return limit

    def _next_open(self, start: int, end: int) -> int | None:
        for run in self.runs:
            if start <= run.open_at < end:
                return run.open_at
        return None

    def attribution_before(self, run: QuoteRun) -> _Attribution | None:
        """X said, “...” / X said: “...” / X: “...” / said X: “...”."""
        s_start, _ = self.sentence_of(run.open_at)
        p_start, _ = self.paragraph_of(run.open_at)
        s_start = max(s_start, p_start)
        # the part of the sentence before the mark, after any earlier quotation in it
        head_start = s_start
        for other in self.runs:
            if s_start <= other.close_at < run.open_at:
                head_start = other.close_at + 1
        head = self.text[head_start : run.open_at]
        punct = re.search(r"([,:])\s*$", head)
        if not punct:
            return None
        end = head_start + punct.start()
        start = _dateline_end(self.text, head_start, end)
        cues = [m for m in self._cue_at(start, end) if m.group().lower() != ACCORDING_TO]
        if cues:
            cue = cues[-1]
            if self.text[cue.end() : end].strip() == "":
                toks = self._strip_auxiliaries(tokens(self.text, start, cue.start()))
                mention = mention_before(self.text, toks) or self._appositive(start, cue.start())
                if mention:
                    return _Attribution(
                        (cue.start(), cue.end()),
                        mention,
                        start,
                        end,
                        "direct_colon" if punct.group(1) == ":" else "direct",
                    )
                return None
            toks = tokens(self.text, cue.end(), end)
            mention = mention_after(self.text, toks)
            if mention and mention.end == toks[-1].end and self.text[start : cue.start()].strip() == "":
                return _Attribution(
                    (cue.start(), cue.end()), mention, start, end, "direct_colon" if punct.group(1) == ":" else "direct"
                )
            if punct.group(1) != ":":
                return None
            # "X said he would welcome the break: “...”": the subject of the sentence's cue
            cue = cues[0]
            toks = self._strip_auxiliaries(tokens(self.text, start, cue.start()))
            mention = mention_before(self.text, toks) or self._appositive(start, cue.start())
            if mention is not None and mention.kind != "pronoun" and self._subject_position(start, mention):
                return _Attribution((cue.start(), cue.end()), mention, start, end, "direct_colon")
            return None
        if punct.group(1) == ":":
            toks = tokens(self.text, start, end)
            mention = name_after(self.text, toks)
            if mention and mention.kind == "person" and mention.start == toks[0].start and mention.end == toks[-1].end:
                return _Attribution(None, mention, start, end, "direct_colon")
        return None

    def direct_quotes(self) -> list[Suggestion]:
        result: list[Suggestion] = []
        previous: tuple[Suggestion, int] | None = None  # last direct quote and the end of its attribution
        for run in self.runs:
            if previous is not None and self._continues(previous, run):
                last = previous[0]
                last.spans.extend(run.segments)
                last.rule = "direct_split"
                self.blocked.append((run.open_at, run.close_at + 1))
                previous = (last, run.close_at + 1)
                continue
            if not self.is_sentence_level(run):
                continue
            attribution = self.attribution_after(run) or self.attribution_before(run)
            p_start, _ = self.paragraph_of(run.open_at)
            if attribution is None and previous is not None:
                last, attr_end = previous
                # a following quoted sentence: the same speaker keeps talking
                paragraphs_between = self.text[last.end : run.open_at].count("\n")
                if last.speaker and paragraphs_between <= 2:
                    suggestion = Suggestion(
                        "direct",
                        list(run.segments),
                        None,
                        last.speaker,
                        None,
                        "direct_context",
                        speaker_kind=last.speaker_kind,
                    )
                    result.append(suggestion)
                    self.blocked.append((run.open_at, run.close_at + 1))
                    previous = (suggestion, run.close_at + 1)
                    continue
            if attribution is None:
                if len(run.segments) > 1 or self._looks_like_speech(run):
                    suggestion = Suggestion(
                        "direct",
                        list(run.segments),
                        None,
                        None,
                        None,
                        "direct_multi" if len(run.segments) > 1 else "direct_context",
                    )
                    result.append(suggestion)
                    self.blocked.append((run.open_at, run.close_at + 1))
                    previous = (suggestion, run.close_at + 1)
                continue
            rule = attribution.rule
            if len(run.segments) > 1 and rule == "direct":
                rule = "direct_multi"
            suggestion = Suggestion(
                "direct",
                list(run.segments),
                attribution.cue,
                None,
                attribution.mention.span if attribution.mention else None,
                rule,
                mention=attribution.mention,
            )
            self._resolve(suggestion)
            if attribution.cue:
                self.used_cues.add(attribution.cue[0])
            result.append(suggestion)
            self.blocked.append((min(run.open_at, attribution.start), max(run.close_at + 1, attribution.end)))
            previous = (suggestion, max(run.close_at + 1, attribution.end))
        return result

    def _continues(self, previous: tuple["Suggestion", int], run: QuoteRun) -> bool:
        """“A,” X said, “B.” / “A,” X said. “B.”: B continues A when only the attribution stands between."""
        last, attr_end = previous
        if last.rule not in ("direct", "direct_split") or last.cue is None or attr_end <= last.end:
            return False
        if len(run.segments) != 1 or "\n" in self.text[last.end : run.open_at]:
            return False
        if not re.fullmatch(r"[\s,.;:]*", self.text[attr_end : run.open_at]):
            return False
        # B must not carry an attribution of its own
        return self.attribution_after(run) is None

    def _looks_like_speech(self, run: QuoteRun) -> bool:
        """An unattributed quoted sentence: several words ending in sentence punctuation."""
        content = self.text[run.start : run.end]
        return len(content.split()) >= 4 and content[-1] in ".!?,"

    # -- reported speech ----------------------------------------------------------------------------
    def _strip_auxiliaries(self, toks: list[Tok]) -> list[Tok]:
        while toks and toks[-1].lower in AUXILIARIES:
            toks = toks[:-1]
        return toks

    def _appositive(self, start: int, end: int) -> Mention | None:
        """The speaker of "NAME, ROLE, said" or "ROLE, NAME, said" (several commas allowed)."""
        segment = self.text[start:end].rstrip()
        if not segment.endswith(","):
            return None
        inner = segment[:-1]
        first_comma = inner.find(",")
        if first_comma < 0:
            return None
        # ROLE first, when the last part is a whole name: "the chief executive, Fiona Blake,"
        last_comma = inner.rfind(",")
        toks = tokens(self.text, start + last_comma + 1, start + len(inner))
        mention = name_before(self.text, toks)
        if mention and mention.kind == "person" and toks and mention.start == toks[0].start and len(toks) >= 2:
            role = self.text[start : start + last_comma].strip()
            if role[:1].islower() or role.lower().startswith(("the ", "a ", "an ", "its ", "his ", "her ")):
                return Mention(mention.start, mention.end, mention.kind, mention.text, role=role, head=mention.head)
        # NAME first: "Robert Feld, 71, who spent a week there," / "Mark Morgan, ICE’s acting director,"
        toks = tokens(self.text, start, start + first_comma)
        mention = mention_before(self.text, toks)
        if mention and mention.kind in ("person", "group", "organization") and self._opens_clause(start, mention):
            role = self.text[start + first_comma + 1 : start + len(inner)].strip()
            return Mention(mention.start, mention.end, mention.kind, mention.text, role=role, head=mention.head)
        # ROLE first: "The transit authority’s chief financial officer, Daniel Kim,"
        last_comma = inner.rfind(",")
        toks = tokens(self.text, start + last_comma + 1, start + len(inner))
        mention = mention_before(self.text, toks)
        if mention and mention.kind == "person" and toks and mention.start == toks[0].start:
            role = self.text[start : start + last_comma].strip()
            return Mention(mention.start, mention.end, mention.kind, mention.text, role=role, head=mention.head)
        return None

    def _opens_clause(self, clause_start: int, mention: Mention) -> bool:
        head = self.text[clause_start : mention.start].strip().lower()
        return all(w in _SUBJECT_LEAD or w in ("the", "a", "an") for w in head.split())

    def _clause_start(self, s_start: int, limit: int) -> int:
        """Skip a dateline and leading adverbials ("On Tuesday afternoon, ") of a sentence."""
        pos = start_pos = _dateline_end(self.text, s_start, limit)
        while True:
            words = (
                _LEADING_ADVERBIAL + r"|[A-Z][a-z]{2,}ing"
                if pos == start_pos
                else _LEADING_ADVERBIAL + "|in|on|at|during|after|before|as|with|without|under|where|when|which"
            )
            m = re.match(
                rf"(?:{words})\b(?:[^,.;“”\"]|(?<=[A-Z][a-z])\.|(?<=\b[A-Z])\.){{0,90}},\s*", self.text[pos:limit]
            )
            if not m:
                return pos
            pos += m.end()

    def _main_subject(self, s_start: int, limit: int) -> Mention | None:
        pos = self._clause_start(s_start, limit)
        toks = tokens(self.text, pos, limit)
        if not toks:
            return None
        for word in ("but", "and", "yet", "so"):
            if toks and toks[0].lower == word:
                toks = toks[1:]
        mention = mention_after(self.text, toks)
        if mention and mention.kind == "person":
            # a name followed by its role: "Ronald D. Vitiello, ICE’s former acting director"
            return mention
        return mention

    def _content(self, start: int, end: int) -> tuple[int, int] | None:
        span = trim(self.text, start, end, extra=_SENT_PUNCT)
        if span is None:
            return None
        words = self.text[span[0] : span[1]].split()
        if len(words) < 3:
            return None
        return span

    def _after_cue(self, cue: re.Match, s_end: int) -> tuple[int, bool]:
        """Where the reported clause starts after a cue (past hearer, adverbials and "that")."""
        pos = cue.end()
        lemma = CUE_FORMS.get(cue.group().lower(), "")
        if lemma in HEARER_VERBS:
            that = re.search(r"\bthat\b", self.text[pos : min(s_end, pos + 80)])
            if that and len(self.text[pos : pos + that.start()].split()) <= 6:
                return pos + that.end(), True
            obj = re.match(
                r"\s+(?:him|her|them|me|us|you|reporters|lawmakers|journalists|the\s+\w+|[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)",
                self.text[pos:s_end],
            )
            if obj:
                pos += obj.end()
        pos = self._skip_adverbials(pos, s_end)
        that = _THAT.match(self.text, pos, s_end)
        if that:
            return that.end(), True
        colon = re.match(r"\s*[,:]\s*", self.text[pos:s_end])
        if colon:
            pos += colon.end()
        return pos, False

    def _skip_adverbials(self, pos: int, limit: int) -> int:
        while True:
            adv = _ADVERBIAL.match(self.text, pos, limit)
            if not adv or adv.end() == pos:
                return pos
            pos = adv.end()

    def _clause_end(self, start: int, s_end: int, subordinate: bool) -> int:
        """End of the reported clause: the sentence end, or before ", adding"/", according to"."""
        end = s_end
        for m in re.finditer(r",\s*(\w+(?:\s+to)?)", self.text[start:s_end]):
            word = m.group(1).lower()
            if word in PARTICIPLES or word == ACCORDING_TO:
                end = start + m.start()
                break
        # "... said A and promised B": A stops before the second cue of the same subject
        for m in _SECOND_CUE.finditer(self.text, start, end):
            if re.search(r"\bthat\b", self.text[start : m.start()]):
                break  # "his client accepted that A but denied that B": the second cue is reported too
            if m.group(1).lower() in CUE_FORMS and not m.group(1).endswith("ing"):
                end = m.start()
                break
        if subordinate:
            comma = self.text.find(",", start, end)
            if comma > 0:
                end = comma
        return end

    def reported_speech(self) -> list[Suggestion]:
        result: list[Suggestion] = []
        for s_start, s_end in self.sentences:
            if self._inside_blocked(s_start, s_end):
                continue
            clause_start = self._clause_start(s_start, s_end)
            first_word = re.match(r"\W*(\w+)", self.text[clause_start:s_end])
            subordinate = bool(first_word and first_word.group(1).lower() in SUBORDINATORS)
            sentence_suggestions: list[Suggestion] = []
            for cue in self._cue_at(s_start, s_end):
                if cue.start() in self.used_cues or self._in_quote(cue.start()):
                    continue
                suggestion = self._reported(cue, s_start, s_end, clause_start, subordinate, sentence_suggestions)
                if suggestion:
                    self.used_cues.add(cue.start())
                    sentence_suggestions.append(suggestion)
            result.extend(sentence_suggestions)
        return result

    def _in_quote(self, pos: int) -> bool:
        return any(r.open_at < pos < r.close_at for r in self.runs)

    def _inside_blocked(self, start: int, end: int) -> bool:
        return any(b_start < end and start < b_end for b_start, b_end in self.blocked)

    def _reported(
        self, cue: re.Match, s_start: int, s_end: int, clause_start: int, subordinate: bool, earlier: list[Suggestion]
    ) -> Suggestion | None:
        word = cue.group().lower()
        cue_span = (cue.start(), cue.end())
        if word == ACCORDING_TO:
            after = tokens(self.text, cue.end(), s_end)
            mention = mention_after(self.text, after)
            # "according to the auction's manager, Sarah Benton": the name after the role
            named = re.match(r"[^,.;]{1,80}?,\s*", self.text[cue.end() : s_end])
            if named and (mention is None or mention.kind != "person" or mention.end > cue.end() + named.end()):
                after_name = tokens(self.text, cue.end() + named.end(), s_end)
                name = name_after(self.text, after_name)
                if (
                    name is not None
                    and name.kind == "person"
                    and self.text[name.end : s_end].strip()[:1] in ("", ".", ",", "!", "?")
                ):
                    mention = Mention(
                        name.start,
                        name.end,
                        name.kind,
                        name.text,
                        role=self.text[cue.end() : cue.end() + named.end()].strip(" ,"),
                        head=name.head,
                    )
            if mention is None:
                return None
            if cue.start() <= clause_start + 1:
                # According to X, content.
                comma = self.text.find(",", mention.end, s_end)
                if comma < 0:
                    return None
                content = self._content(comma + 1, s_end)
            else:
                head = self.text[clause_start : cue.start()].rstrip()
                if not head.endswith(","):
                    return None
                content = self._content(clause_start, cue.start())
            if content is None:
                return None
            return self._make("indirect", [content], cue_span, mention, "according_to")

        before_toks = tokens(self.text, clause_start, cue.start())
        stripped = self._strip_auxiliaries(before_toks)
        if word in PARTICIPLES:
            prev_char = self.text[: cue.start()].rstrip()[-1:]
            noun_before = stripped[-1].lower if stripped else ""
            if prev_char != "," and noun_before.rstrip("s") not in DOCUMENT_NOUNS and noun_before not in DOCUMENT_NOUNS:
                return None
            start, _ = self._after_cue(cue, s_end)
            content = self._content(start, self._clause_end(start, s_end, False))
            if content is None or not self._clause_like(content):
                return None
            mention = (
                earlier[-1].mention if earlier and earlier[-1].mention else self._main_subject(s_start, cue.start())
            )
            return self._make(
                "indirect", [content], cue_span, mention, "participle", mention_from_earlier=bool(earlier)
            )

        # Inverted: "..., said X." / "..., X said."
        head_text = self.text[clause_start : cue.start()]
        mention = mention_before(self.text, stripped) if stripped else None
        lead = stripped[1:] if stripped and stripped[0].lower in ("but", "and", "yet") else stripped
        modified = group_with_modifier(self.text, lead) if lead else None
        if modified is not None:
            mention = modified  # "Officials with the agency said", not "the agency"
        elif (
            stripped
            and stripped[-1].lower in ("but", "and", "yet")
            and not head_text.rstrip().endswith(",")
            and not any(s <= cue.start() < e for sug in earlier for s, e in sug.spans)
        ):
            # "The port employers' association offered few details but said ...": the clause's subject
            subject = (
                earlier[-1].mention if earlier and earlier[-1].mention else self._main_subject(s_start, cue.start())
            )
            if subject is None or not self._subject_position(clause_start, subject):
                return None
            start, _that = self._after_cue(cue, s_end)
            content = self._content(start, self._clause_end(start, s_end, subordinate))
            if content is None or not self._clause_like(content, cue):
                return None
            return self._make("indirect", [content], cue_span, subject, "indirect", mention_from_earlier=bool(earlier))
        if mention is not None and stripped and stripped[-1].end == mention.end:
            before = self.text[clause_start : mention.start].rstrip()
            after_cue = self._skip_adverbials(cue.end(), s_end)
            if re.search(r"\b(?:that|which)$", before) and _RELATIVE_NEXT.match(self.text, after_cue, s_end):
                # "a budget that she said would raise pay": the relative clause is the content
                content = self._content(after_cue, self._clause_end(after_cue, s_end, True))
                if content is None:
                    return None
                return self._make("indirect", [content], cue_span, mention, "indirect")
            if re.fullmatch(r"As", before.strip()):
                # "As the minister said at the despatch box, the first sites will be named within weeks."
                comma = self.text.find(",", cue.end(), s_end)
                content = self._content(comma + 1, s_end) if comma > 0 else None
                if content is None or not self._clause_like(content, cue):
                    return None
                return self._make("indirect", [content], cue_span, mention, "indirect")
        if mention is not None and self.text[mention.end : cue.start()].strip().startswith(","):
            mention = None  # "NAME, ROLE, said": the phrase before the cue is the role
        if (
            (mention is None or not self._subject_position(clause_start, mention))
            and stripped
            and self.text[stripped[-1].end : cue.start()].strip() in ("", ",")
        ):
            appositive = self._appositive(
                clause_start, stripped[-1].end + (1 if self.text[stripped[-1].end : stripped[-1].end + 1] == "," else 0)
            )
            if appositive is not None:
                mention = appositive
        if mention is None and stripped:
            mention = self._appositive(
                clause_start, stripped[-1].end + (1 if self.text[stripped[-1].end : stripped[-1].end + 1] == "," else 0)
            )
        if mention is not None:
            before_mention = self.text[clause_start : mention.start].rstrip()
            # "..., the World Health Organization said" / "..., an employment tribunal ruled"
            before_mention = _TRAILING_DETERMINER.sub("", before_mention).rstrip()
            rest = self.text[self._skip_adverbials(cue.end(), s_end) : s_end].strip()
            follow = re.match(r",\s*(\w+)", rest)
            rest_is_end = (
                rest == ""
                or rest[0] in ".!?"
                or bool(
                    follow
                    and (
                        follow.group(1).lower() in PARTICIPLES
                        or follow.group(1).lower() in _TRAILING_CLAUSE
                        # "..., the company said on Wednesday, blaming weak demand"
                        or (follow.group(1).endswith("ing") and follow.group(1).islower())
                    )
                )
            )
            sentence_start = _dateline_end(self.text, s_start, s_end)
            if not before_mention and rest_is_end and clause_start > sentence_start:
                # "At least nine people were hurt in the crash, police officials said Sunday.": what
                # looked like a leading adverbial is the content of an inverted clause
                head = _TRAILING_DETERMINER.sub("", self.text[sentence_start : mention.start].rstrip()).rstrip()
                if head.endswith(","):
                    clause_start, before_mention = sentence_start, head
            if before_mention.endswith(",") and rest_is_end:
                content = self._content(clause_start, clause_start + len(before_mention) - 1)
                if content is None:
                    return None
                return self._make("indirect", [content], cue_span, mention, "indirect_after")
            if before_mention.endswith(",") and not mention.role:
                return None  # "..., officials who said" and other clauses this rule cannot read
            if before_mention and not subordinate and not self._subject_position(clause_start, mention):
                return None
            start, _that = self._after_cue(cue, s_end)
            content = self._content(start, self._clause_end(start, s_end, subordinate))
            if content is None or not self._clause_like(content, cue):
                return None
            return self._make("indirect", [content], cue_span, mention, "indirect")
        # "..., said X."
        if head_text.rstrip().endswith(","):
            after = tokens(self.text, cue.end(), s_end)
            mention = mention_after(self.text, after)
            if mention is not None and self.text[mention.end : s_end].strip()[:1] in ("", ".", ",", "!", "?"):
                content = self._content(clause_start, clause_start + len(head_text.rstrip()) - 1)
                if content is None:
                    return None
                return self._make("indirect", [content], cue_span, mention, "indirect_after")
        return None

    def _subject_position(self, clause_start: int, mention: Mention) -> bool:
        """The speaker opens its clause: only a conjunction or a subordinator may precede it."""
        head = self.text[clause_start : mention.start].strip().lower().rstrip(",")
        if re.search(r"(?:[,;]\s*(?:and|but|while|though|although|whereas|yet|so)|;)$", head):
            return True  # "..., and doctors said ...": the speaker opens a coordinated clause
        if all(
            w in _SUBJECT_LEAD or (w == "the" and mention.kind in ("organization", "description")) for w in head.split()
        ):
            return True
        if mention.role:
            return True
        # "Local councillor Huw Davies told ...": a few lowercase role words right before a name
        words = head.split()
        return (
            mention.kind == "person"
            and 0 < len(words) <= 4
            and re.fullmatch(r"[\w’' -]+", head) is not None
            and not any(w in _CLAUSE_WORDS for w in words)
        )

    def _clause_like(self, span: tuple[int, int], cue: re.Match | None = None) -> bool:
        first = re.match(r"\W*(\w+)", self.text[span[0] : span[1]])
        if first is None:
            return False
        if cue is not None and first.group(1) == "to" and CUE_FORMS.get(cue.group().lower()) in INFINITIVE_CUES:
            return True  # "promised to build 300,000 homes"
        # "about 900 staff would ...", "more than 40 buildings had ...": a quantity opens the clause
        if _QUANTITY_START.match(self.text, span[0], span[1]):
            return True
        return first.group(1).lower() not in NON_CLAUSE_STARTS

    def _make(
        self,
        kind: str,
        spans: list[tuple[int, int]],
        cue,
        mention: Mention | None,
        rule: str,
        mention_from_earlier: bool = False,
    ) -> Suggestion:
        span_mention = mention.span if mention and not mention_from_earlier else None
        if mention is not None and mention_from_earlier:
            span_mention = None
        if mention is not None and any(s <= mention.start < e for s, e in spans):
            span_mention = None
        suggestion = Suggestion(kind, spans, cue, None, span_mention, rule, mention=mention)
        self._resolve(suggestion)
        return suggestion

    def _resolve(self, suggestion: Suggestion) -> None:
        name, kind = self.resolver.resolve(suggestion.mention)
        suggestion.speaker, suggestion.speaker_kind = name, kind

    def transcript_lines(self) -> list[Suggestion]:
        """NAME: text at the start of a paragraph (interviews, hearings)."""
        result = []
        for p_start, p_end in self.paragraphs:
            m = re.match(r"([^\W\d_][\w.’' -]{1,60}?):\s+(\S.*)", self.text[p_start:p_end])
            if not m or self._inside_blocked(p_start, p_end):
                continue
            if m.group(1).split()[-1].lower() in FURNITURE_LABELS:
                continue
            toks = tokens(self.text, p_start, p_start + m.end(1))
            mention = name_after(self.text, toks)
            if not mention or mention.kind != "person" or mention.end != p_start + m.end(1):
                continue
            if len(toks) < 2 and not self.resolver.name_mentions:
                continue
            content = trim(self.text, p_start + m.start(2), p_end)
            if content is None:
                continue
            suggestion = Suggestion("direct", [content], None, None, mention.span, "colon", mention=mention)
            self._resolve(suggestion)
            result.append(suggestion)
        return result

    def fragment_quotes(self, found: list[Suggestion]) -> list[Suggestion]:
        """Quoted fragments with no reporting verb: "called the measure a “band-aid” that ...",
        "dismissed the offer as “a rounding error”", "accused ministers of “concreting ...”" (rule
        ``fragment``), and claims with no named source: "allegations that ..." (rule ``claim_noun``)."""
        taken = [span for s in found for span in s.spans]
        result: list[Suggestion] = []
        for s_start, s_end in self.sentences:
            if self._inside_blocked(s_start, s_end) or any(a < s_end and s_start < b for a, b in taken):
                continue
            clause_start = self._clause_start(s_start, s_end)
            for verb in _FRAGMENT_VERB_RE.finditer(self.text, clause_start, s_end):
                run = next(
                    (
                        r
                        for r in self.runs
                        if verb.end() < r.open_at < s_end and not self.is_sentence_level(r) and r.close_at < s_end
                    ),
                    None,
                )
                if run is None or len(self.text[verb.end() : run.open_at].split()) > 8:
                    continue
                toks = self._strip_auxiliaries(tokens(self.text, clause_start, verb.start()))
                mention = mention_before(self.text, toks) if toks else None
                if mention is None:
                    mention = self._appositive(clause_start, verb.start())
                if mention is None or not self._subject_position(clause_start, mention):
                    continue
                content = self._content(verb.end(), self._clause_end(verb.end(), s_end, False))
                if content is None:
                    continue
                result.append(self._make("mixed", [content], (verb.start(), verb.end()), mention, "fragment"))
                break
            else:
                claim = _CLAIM_RE.search(self.text, clause_start, s_end)
                if claim and not self._in_quote(claim.start()):
                    content = self._content(claim.end(), self._clause_end(claim.end(), s_end, False))
                    if content is not None and self._clause_like(content):
                        result.append(
                            Suggestion("indirect", [content], (claim.start(), claim.end(1)), None, None, "claim_noun")
                        )
        return result

    def run(self) -> list[Suggestion]:
        direct = self.direct_quotes()
        direct += self.transcript_lines()
        reported = self.reported_speech()
        reported += self.fragment_quotes(direct + reported)
        fragments = [r for r in self.runs if not self.is_sentence_level(r)]
        for suggestion in reported:
            inside = [f for f in fragments if suggestion.start <= f.open_at and f.close_at < suggestion.end + 3]
            if inside:
                suggestion.kind = "mixed"
                suggestion.rule = "mixed" if suggestion.rule == "indirect" else suggestion.rule
                if suggestion.rule == "claim_noun":
                    suggestion.kind = "indirect"  # a quoted claim is still a claim nobody is named for
                # A mixed quote ending in its quoted fragment keeps the fragment's marks:
                # ... go in a “tougher direction.”  (the marks pair up inside the span)
                last = inside[-1]
                if last.close_at >= suggestion.end:
                    start, _ = suggestion.spans[-1]
                    suggestion.spans[-1] = (start, last.close_at + 1)
                first = inside[0]
                if first.open_at == suggestion.start - 1:
                    _, end = suggestion.spans[0]
                    suggestion.spans[0] = (first.open_at, end)
        return sorted(direct + reported, key=lambda s: s.start)


def _after_determiner(text: str, pos: int) -> bool:
    """A cue form after "the", "a", "its" ... is a noun ("the state said", "a report")."""
    m = _WORD_BEFORE.search(text, max(0, pos - 12), pos)
    return m is not None and m.group(1).lower() in NOUN_DETERMINERS


_WORD_BEFORE = re.compile(r"\b(\w+)\s+$")
# A wire dateline: "ROTTERDAM, June 3 (Northsea Press) - ", "GENEVA, July 18 (Agency) — ".
_WIRE_DATELINE = re.compile(r"[A-Z][A-Z.' -]{1,40}(?:, [A-Z][a-z]{2,8}\.? \d{1,2})? \([^()\n]{2,50}\) [-—–] ")


def _dateline_end(text: str, start: int, end: int) -> int:
    m = _WIRE_DATELINE.match(text, start, end)
    return m.end() if m else dateline_end(text, start, end)


def extract(text: str, aliases: Mapping[str, str] | None = None) -> list[Suggestion]:
    """Suggested quotes of ``text`` in text order.

    ``aliases`` maps a known speaker's name or alias to that speaker's name; a resolved speaker whose
    name matches one becomes that speaker's name.
    """
    if not text or not text.strip():
        return []
    extractor = _Extractor(text, aliases)
    suggestions = extractor.run()
    # Resolve again in text order so that pronouns see every speaker before them (and no name that
    # only occurs inside a quote's content).
    extractor.resolver.history.clear()
    extractor.resolver.set_content_spans([span for s in suggestions for span in s.spans])
    for s in suggestions:
        if s.mention is not None:
            extractor._resolve(s)
    _carry_context_speakers(suggestions)
    return suggestions


def _carry_context_speakers(suggestions: list[Suggestion]) -> None:
    """A quote with no cue that continues a speaker's run gets the speaker of the quote just before it,
    direct or reported ("..., the White House said. “Playing politics ...”")."""
    last = None
    for s in suggestions:
        if s.rule == "direct_context" and s.mention is None and last is not None and last.speaker:
            s.speaker, s.speaker_kind = last.speaker, last.speaker_kind
        last = s
