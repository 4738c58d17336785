"""Speaker noun phrases near a cue, and their resolution to one name per speaker within an article.

A mention is found by small token patterns: a personal name (with honorifics and titles), a group of
unnamed sources ending in a source noun ("two homeland security officials"), an organization ("ICE",
"the agency") or a pronoun. Names are then resolved within the article: "Mr. Trump", "Trump" and
"he" all point to the earlier "President Trump"; known speakers' aliases, passed in by the caller,
turn a resolved name into the stored speaker's name.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from text.names import normalize_name as normalize
from text.sentences import ABBREVIATIONS

from .cues import (
    AUXILIARIES,
    CUE_FORMS,
    DETERMINERS,
    FIRST_PERSON,
    GROUP_QUANTIFIERS,
    HONORIFICS,
    NON_NAME_WORDS,
    NUMBER_WORDS,
    ORG_NAME_WORDS,
    ORG_NOUNS,
    ORG_PRONOUNS,
    PERSONAL_PRONOUNS,
    PLURAL_PRONOUNS,
    ROLE_NOUNS,
    SOURCE_NOUNS,
    TITLES,
)

PARTICLES = frozenset(
    {
        "de",
        "del",
        "della",
        "da",
        "di",
        "van",
        "von",
        "der",
        "den",
        "bin",
        "ibn",
        "al",
        "el",
        "le",
        "la",
        "du",
        "dos",
        "das",
    }
)
GROUP_STOPS = frozenset(
    {
        "but",
        "and",
        "or",
        "so",
        "yet",
        "while",
        "when",
        "after",
        "before",
        "although",
        "though",
        "because",
        "since",
        "if",
        "as",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "to",
        "into",
        "about",
        "over",
        "under",
        "during",
        "than",
        "however",
        "meanwhile",
        "also",
        "then",
        "said",
        "told",
        "says",
        "according",
        "is",
        "are",
        "was",
        "were",
    }
)

_WORD = re.compile(r"[^\W_](?:[\w’'\-]*[\w])?")


@dataclass(frozen=True)
class Tok:
    start: int
    end: int
    word: str  # without a trailing abbreviation dot

    @property
    def lower(self) -> str:
        return self.word.lower()

    @property
    def bare(self) -> str:
        """The word without a possessive ’s."""
        for suffix in ("’s", "'s", "’", "'"):
            if self.word.endswith(suffix):
                return self.word[: -len(suffix)]
        return self.word

    @property
    def possessive(self) -> bool:
        return self.bare != self.word

    @property
    def capitalized(self) -> bool:
        return self.word[:1].isupper()


def tokens(text: str, start: int, end: int) -> list[Tok]:
    """Word tokens in [start, end); an abbreviation or initial keeps its dot ("Mr.", "D.")."""
    result = []
    for match in _WORD.finditer(text, start, end):
        s, e = match.span()
        word = match.group()
        if e < end and text[e] == "." and (word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper())):
            e += 1
        result.append(Tok(s, e, word))
    return result


def _gap_is_space(text: str, left: Tok, right: Tok) -> bool:
    """Only spaces between two tokens: no punctuation, and no line break (a byline, a heading)."""
    gap = text[left.end : right.start]
    return gap.strip() == "" and "\n" not in gap


def _gap_in_phrase(text: str, left: Tok, right: Tok) -> bool:
    """A space, or a plural possessive's apostrophe and a space: "the port employers' association"."""
    gap = text[left.end : right.start]
    return "\n" not in gap and gap.strip() in ("", "'", "’")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    kind: str  # person, group, organization, pronoun
    text: str
    role: str = ""
    head: str = ""  # group head noun, pronoun, or surname

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


def _name_like(tok: Tok) -> bool:
    return tok.capitalized or tok.lower in PARTICLES


def _is_title(tok: Tok) -> bool:
    return tok.lower.rstrip(".") in TITLES or tok.lower.rstrip(".") in HONORIFICS


def _classify_name(toks: list[Tok], text: str) -> Mention | None:
    # Drop words that start sentences but are no names ("But Mr. Trump").
    while toks and toks[0].lower in NON_NAME_WORDS and not _is_title(toks[0]):
        toks = toks[1:]
    while toks and toks[-1].lower in PARTICLES:
        toks = toks[:-1]
    if not toks:
        return None
    last = toks[-1]
    if not last.capitalized or (_is_title(last) and len(toks) == 1):
        return None
    start, end = toks[0].start, toks[-1].end
    if last.possessive:
        end = last.start + len(last.bare)
    words = [t.bare.lower().rstrip(".") for t in toks]
    org_at = [i for i, w in enumerate(words) if w in ORG_NAME_WORDS]
    # "Senate Majority Leader Mark Delaney": a title after the organization's words makes a person
    titled = bool(org_at) and any(w in TITLES or w in ROLE_NOUNS for w in words[org_at[-1] + 1 : -1])
    if (org_at and not titled) or (len(toks) == 1 and last.bare.isupper() and len(last.bare) > 1):
        return Mention(start, end, "organization", text[start:end], head=last.bare)
    return Mention(start, end, "person", text[start:end], head=last.bare)


ORG_CONNECTORS = frozenset({"of", "for", "and", "&"})
ORG_DETERMINERS = frozenset({"the", "their", "its", "a", "an"})


def name_before(text: str, toks: list[Tok]) -> Mention | None:
    """A name ending at the last token of ``toks`` ("Mr. Trump", "Ronald D. Vitiello")."""
    if not toks or not toks[-1].capitalized:
        return None
    picked = [toks[-1]]
    for tok in reversed(toks[:-1]):
        if not _name_like(tok) or not _gap_is_space(text, tok, picked[0]) or tok.possessive:
            break
        picked.insert(0, tok)
    mention = _classify_name(picked, text)
    # an organization's name may hold "of", "for", "and": "Texas Department of Agriculture"
    i = len(toks) - len(picked) - 1
    if i >= 1 and toks[i].lower in ORG_CONNECTORS and toks[i - 1].capitalized and not toks[i - 1].possessive:
        longer = name_before(text, toks[:i])
        if longer is not None and _gap_is_space(text, toks[i - 1], toks[i]) and _gap_is_space(text, toks[i], picked[0]):
            whole = _classify_name([t for t in toks[: len(toks)] if longer.start <= t.start], text)
            if (
                whole is not None
                and whole.kind == "organization"
                and (longer.kind == "organization" or mention is None or mention.kind == "organization")
            ):
                return whole
    return mention


def name_after(text: str, toks: list[Tok]) -> Mention | None:
    if not toks or not toks[0].capitalized:
        return None
    picked = [toks[0]]
    for tok in toks[1:]:
        if picked[-1].possessive or not _name_like(tok) or not _gap_is_space(text, picked[-1], tok):
            break
        picked.append(tok)
    return _classify_name(picked, text)


def group_before(text: str, toks: list[Tok]) -> Mention | None:
    """A group ending in a source noun: "two Department of Homeland Security officials"."""
    if not toks or toks[-1].lower not in SOURCE_NOUNS:
        return None
    picked = [toks[-1]]
    for tok in reversed(toks[:-1]):
        if len(picked) >= 8 or not _gap_in_phrase(text, tok, picked[0]) or tok.lower in GROUP_STOPS:
            break
        if tok.lower in NON_NAME_WORDS and tok.lower not in DETERMINERS | NUMBER_WORDS | {"senior", "of"}:
            break
        picked.insert(0, tok)
        if tok.lower in DETERMINERS or tok.lower in NUMBER_WORDS or tok.word.isdigit():
            break
    return _group(text, picked)


GROUP_PREPOSITIONS = frozenset({"with", "in", "at", "from", "for", "of", "on", "across", "near", "inside"})
_MODIFIER_STOPS = frozenset({"who", "which", "that", "whose", "and", "or", "but", "is", "are", "was", "were", "had"})


def group_with_modifier(text: str, toks: list[Tok]) -> Mention | None:
    """A group with a prepositional modifier that runs up to the cue: "Officials with the agency",
    "Public health officials in Ohio", "Parents at one of the schools" (``toks`` from the clause start
    to the cue). Affiliations ("with", "from", "for") keep the whole phrase; a place or a part keeps the
    group ("Public health officials")."""
    for k in range(min(5, len(toks) - 2)):
        if toks[k].lower in GROUP_STOPS or (not _gap_is_space(text, toks[k], toks[k + 1]) and k + 1 < len(toks)):
            return None
        if toks[k].lower in SOURCE_NOUNS and toks[k + 1].lower in GROUP_PREPOSITIONS:
            rest = toks[k + 2 :]
            if not 1 <= len(rest) <= 7 or any(
                t.lower in _MODIFIER_STOPS or t.lower in CUE_FORMS or t.lower in AUXILIARIES or t.lower == "not"
                for t in rest
            ):
                return None
            if any(ch in text[toks[k].end : toks[-1].end] for ch in ',;:“”"()'):
                return None
            last = toks[-1] if toks[k + 1].lower in ("with", "from", "for") else toks[k]
            start = toks[0].start
            return Mention(start, last.end, "group", text[start : last.end], head=toks[k].lower)
    return None


def group_after(text: str, toks: list[Tok]) -> Mention | None:
    """ "one of the homeland security officials", "officials who were not authorized ..." (head only)."""
    picked: list[Tok] = []
    for tok in toks[:10]:
        if picked and not _gap_in_phrase(text, picked[-1], tok):
            return None
        if tok.lower in GROUP_STOPS and tok.lower != "of":
            return None
        picked.append(tok)
        if tok.lower in SOURCE_NOUNS:
            following = toks[len(picked)] if len(picked) < len(toks) else None
            if (
                following is not None
                and following.lower in SOURCE_NOUNS
                and text[tok.end : following.start].strip() in ("'", "’")
            ):
                continue  # "Tenants' groups", "teachers' unions": the possessor is part of the group
            if following is not None and following.capitalized and _gap_is_space(text, tok, following):
                return None  # part of a name: "the Massachusetts Nurses Association"
            return _group(text, picked)
    return None


def _group(text: str, picked: list[Tok]) -> Mention | None:
    start, end = picked[0].start, picked[-1].end
    head = picked[-1].lower
    if head in {"spokesman", "spokeswoman", "spokesperson"} and len(picked) == 1:
        return None
    return Mention(start, end, "group", text[start:end], head=head)


def org_before(text: str, toks: list[Tok]) -> Mention | None:
    """ "the agency", "the White House", "Spain's health ministry", "a federal appeals court",
    "the GMB union", "their union"."""
    if len(toks) >= 2 and toks[-1].lower in ORG_NOUNS:
        for k in range(len(toks) - 2, max(-1, len(toks) - 6), -1):
            if not _gap_in_phrase(text, toks[k], toks[k + 1]):
                break
            if toks[k].lower in ORG_DETERMINERS or (toks[k].possessive and toks[k].capitalized):
                start = toks[k].start if toks[k].lower not in ("a", "an") else toks[k + 1].start
                if toks[k].lower in ("a", "an") and k + 1 == len(toks) - 1:
                    return None  # "a company": too vague to name a speaker
                return Mention(start, toks[-1].end, "organization", text[start : toks[-1].end], head=toks[-1].lower)
            if toks[k].capitalized and not (k == len(toks) - 2 and toks[k].word.isupper()):
                break  # only an acronym may stand right before the noun: "the GMB union"
    if len(toks) >= 3 and toks[-3].lower == "the" and toks[-1].capitalized and toks[-2].capitalized:
        m = name_before(text, toks[-2:])
        if m and m.kind == "organization":
            return Mention(toks[-3].start, m.end, "organization", text[toks[-3].start : m.end], head=m.head)
    return None


SOURCE_DOCUMENTS = frozenset(
    {
        "analysis",
        "study",
        "survey",
        "report",
        "data",
        "figures",
        "estimate",
        "estimates",
        "statement",
        "review",
        "records",
        "documents",
        "poll",
        "count",
        "tally",
        "audit",
        "filing",
        "filings",
    }
)


def org_after(text: str, toks: list[Tok]) -> Mention | None:
    if len(toks) >= 2 and toks[0].lower == "the":
        # "the agency", "the transit authority", "the state health department"
        for k in range(1, min(5, len(toks))):
            if not _gap_in_phrase(text, toks[k - 1], toks[k]) or toks[k].capitalized:
                break
            if toks[k].lower in ORG_NOUNS:
                return Mention(
                    toks[0].start, toks[k].end, "organization", text[toks[0].start : toks[k].end], head=toks[k].lower
                )
    if len(toks) >= 2 and toks[0].lower == "the" and toks[1].capitalized:
        name = name_after(text, toks[1:])
        if name is not None and name.kind == "organization":
            return Mention(toks[0].start, name.end, "organization", text[toks[0].start : name.end], head=name.head)
    return None


def document_source(text: str, toks: list[Tok]) -> list[Tok] | None:
    """The tokens after "an analysis by" / "a statement from" / "data from": the source itself."""
    if (
        len(toks) >= 3
        and toks[0].lower in ("a", "an", "the", "new")
        and toks[1].lower in SOURCE_DOCUMENTS
        and toks[2].lower in ("by", "from", "of")
    ):
        return toks[3:]
    if len(toks) >= 2 and toks[0].lower in SOURCE_DOCUMENTS and toks[1].lower in ("by", "from", "of"):
        return toks[2:]
    return None


def pronoun(tok: Tok) -> Mention | None:
    if tok.lower in PERSONAL_PRONOUNS | PLURAL_PRONOUNS | ORG_PRONOUNS | FIRST_PERSON:
        return Mention(tok.start, tok.end, "pronoun", tok.word, head=tok.lower)
    return None


REPRESENTATIVES = frozenset(
    {
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "official",
        "representative",
        "lawyer",
        "attorney",
        "adviser",
        "advisor",
        "aide",
        "executive",
        "officer",
        "member",
        "source",
    }
)


def representative_before(text: str, toks: list[Tok]) -> Mention | None:
    """ "a spokeswoman for the Welsh government", "a lawyer for Mr. Smith" (ending at the cue)."""
    for i in range(len(toks) - 2, max(-1, len(toks) - 9), -1):
        if toks[i].lower in REPRESENTATIVES and i + 1 < len(toks) and toks[i + 1].lower in ("for", "of", "at", "with"):
            start = i - 1 if i > 0 and toks[i - 1].lower in ("a", "an", "the", "one", "another") else i
            span = toks[start:]
            if any(not _gap_is_space(text, a, b) for a, b in zip(span, span[1:])):
                return None
            return Mention(
                span[0].start, span[-1].end, "person", text[span[0].start : span[-1].end], head=toks[i].lower
            )
    return None


DESCRIPTION_MODIFIERS = frozenset({"head", "assistant", "interim", "caretaker", "home", "away", "new", "former"})


def description_before(text: str, toks: list[Tok]) -> Mention | None:
    """ "the United head coach", "the judge", "the Rovers boss": a role that stands for a person named
    elsewhere in the article (resolved by ``Resolver``), ending at the cue."""
    if not toks or toks[-1].lower not in ROLE_NOUNS or toks[-1].capitalized:
        return None
    for k in range(len(toks) - 2, max(-1, len(toks) - 6), -1):
        if not _gap_is_space(text, toks[k], toks[k + 1]):
            return None
        if toks[k].lower == "the":
            return Mention(
                toks[k].start, toks[-1].end, "description", text[toks[k].start : toks[-1].end], head=toks[-1].lower
            )
        if not (toks[k].capitalized or toks[k].lower in DESCRIPTION_MODIFIERS or toks[k].lower in ROLE_NOUNS):
            return None
    return None


def description_after(text: str, toks: list[Tok]) -> Mention | None:
    """ "said the judge", "said the United head coach"."""
    if len(toks) < 2 or toks[0].lower != "the":
        return None
    for k in range(1, min(5, len(toks))):
        if not _gap_is_space(text, toks[k - 1], toks[k]):
            return None
        if toks[k].lower in ROLE_NOUNS and not toks[k].capitalized:
            following = toks[k + 1] if k + 1 < len(toks) else None
            if following is not None and following.capitalized and _gap_is_space(text, toks[k], following):
                return None  # "the manager Steve Hollis": the name follows
            return Mention(
                toks[0].start, toks[k].end, "description", text[toks[0].start : toks[k].end], head=toks[k].lower
            )
        if not (toks[k].capitalized or toks[k].lower in DESCRIPTION_MODIFIERS):
            return None
    return None


def quantifier(text: str, toks: list[Tok]) -> Mention | None:
    """ "Most said ...", "Several admitted ...": a quantifier standing alone for the latest group."""
    if len(toks) == 1 and toks[0].lower in GROUP_QUANTIFIERS:
        return Mention(toks[0].start, toks[0].end, "pronoun", toks[0].word, head="they")
    if len(toks) >= 2 and toks[-1].lower in GROUP_QUANTIFIERS and toks[-2].lower in ("but", "and", "though", "while"):
        return Mention(toks[-1].start, toks[-1].end, "pronoun", toks[-1].word, head="they")
    return None


def mention_before(text: str, toks: list[Tok]) -> Mention | None:
    """The speaker phrase that ends right before a cue (``toks`` end at the cue)."""
    if not toks:
        return None
    if (
        len(toks) >= 3
        and toks[-1].lower == "them"
        and toks[-2].lower == "of"
        and toks[-3].lower in NUMBER_WORDS | {"one", "none", "each"}
    ):
        return Mention(toks[-3].start, toks[-1].end, "pronoun", text[toks[-3].start : toks[-1].end], head="they")
    spokes = representative_before(text, toks)
    if spokes:
        return spokes
    if len(toks) >= 4 and toks[-2].lower == "of" and toks[-1].capitalized and not toks[-1].possessive:
        # "Sen. Carla Mendes of Arizona called ...": the person, not the place
        person = name_before(text, toks[:-2])
        if person is not None and person.kind == "person" and len(toks[:-2]) >= 2:
            return person
    return (
        pronoun(toks[-1])
        or quantifier(text, toks)
        or group_before(text, toks)
        or org_before(text, toks)
        or description_before(text, toks)
        or name_before(text, toks)
    )


def mention_after(text: str, toks: list[Tok]) -> Mention | None:
    """The speaker phrase that starts right after a cue ("said Mark Morgan", "according to officials")."""
    if not toks:
        return None
    source = document_source(text, toks)
    if source:
        return mention_after(text, source)
    return (
        pronoun(toks[0])
        or org_after(text, toks)
        or description_after(text, toks)
        or group_after(text, toks)
        or name_after(text, toks)
    )


# ---------------------------------------------------------------------------------------------------
# Resolution within the article


@dataclass
class Entity:
    name: str
    kind: str
    surname: str = ""
    first: str = ""
    score: int = 0
    group_words: frozenset[str] = frozenset()
    gender: str = ""  # "f", "m" or unknown: from an honorific, a gendered role, or "she"/"he" resolved to it


_GENDERED = {
    "mr": "m",
    "sir": "m",
    "lord": "m",
    "king": "m",
    "prince": "m",
    "father": "m",
    "brother": "m",
    "chairman": "m",
    "spokesman": "m",
    "congressman": "m",
    "councilman": "m",
    "mrs": "f",
    "ms": "f",
    "miss": "f",
    "dame": "f",
    "lady": "f",
    "queen": "f",
    "princess": "f",
    "sister": "f",
    "chairwoman": "f",
    "spokeswoman": "f",
    "congresswoman": "f",
    "councilwoman": "f",
}
_PRONOUN_GENDER = {"he": "m", "she": "f"}
# Roles that name the same post: "United boss Marco Ventura" ... "the United head coach".
_FOOTBALL_MANAGER = {"manager", "boss", "coach"}
_ROLE_CLASSES = dict.fromkeys(_FOOTBALL_MANAGER, _FOOTBALL_MANAGER) | {
    "chairman": {"chairman", "chairwoman", "chair"},
    "chairwoman": {"chairman", "chairwoman", "chair"},
    "chair": {"chairman", "chairwoman", "chair"},
}
# Common first names whose gender agrees with "he"/"she" (a short list; any other name is unknown).
_FEMALE_NAMES = (
    "mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra "
    "ashley emily donna michelle carol amanda melissa deborah stephanie rebecca laura helen sharon cynthia "
    "kathleen amy angela anna ruth emma olivia sophie charlotte hannah lucy rachel claire fiona julia maria "
    "ana elena nadia priya aisha fatima grace alice chloe jane joanna katherine catherine victoria natalie "
    "harriet megan paula irene denise carla judith ellen nora jenna diane louise caroline"
)
_MALE_NAMES = (
    "james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony "
    "mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan "
    "jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory frank "
    "raymond patrick jack dennis peter harry oliver tom tim ben sam neil ian steve alan martin simon graham "
    "luis carlos jorge juan pedro marco ahmed mohammed ali omar raj lars hans pieter dan dean owen"
)
_FIRST_NAME_GENDER = dict.fromkeys(_FEMALE_NAMES.split(), "f") | dict.fromkeys(_MALE_NAMES.split(), "m")
# Words after a name that are no part of it: "Judith Okafor KC", "John Smith Jr."
POSTNOMINALS = frozenset({"kc", "qc", "mp", "msp", "mep", "jr", "sr", "obe", "mbe", "cbe", "phd"})
# A capitalized pair after these is a place, not a person: "on Capitol Hill", "in Santa Monica".
_PLACE_PREPOSITIONS = frozenset(
    {"in", "on", "at", "from", "near", "outside", "across", "into", "to", "toward", "towards", "around", "of"}
)
# Last words of places and buildings: never a person for "he" or "she".
_PLACE_WORDS = frozenset({"road", "avenue", "square", "river", "infirmary", "airport", "stadium"})
# Nouns that may name the same body: "the state health department" ... "the agency".
_ORG_CLASSES = (
    frozenset({"agency", "department", "ministry", "office", "bureau", "authority", "regulator", "service"}),
    frozenset(
        {"company", "firm", "group", "airline", "carrier", "retailer", "chain", "maker", "carmaker", "chipmaker"}
    ),
)
_BYLINE = re.compile(
    r"(?m)^(?:By|BY)\s+[A-Z][^\n]{0,80}$|\((?:Reporting|Writing|Editing|Additional reporting)\s+by[^()\n]*\)"
)


@lru_cache(maxsize=4096)
def _name_parts(mention_text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(titles, name words) of a person mention, possessive and honorific dots removed."""
    words = [w for w in re.split(r"\s+", mention_text.strip()) if w]
    while len(words) > 2 and words[-1].lower().rstrip(".") in POSTNOMINALS:
        words.pop()
    titles: list[str] = []
    names: list[str] = []
    for w in words:
        key = w.lower().rstrip(".")
        if not names and (key in TITLES or key in HONORIFICS or key in ROLE_NOUNS):
            titles.append(w)
        else:
            names.append(w)
    # "Senate Majority Leader Mark Delaney": everything up to the last role word is the title
    for i in range(len(names) - 3, -1, -1):
        if names[i][:1].isupper() and (names[i].lower().rstrip(".") in TITLES or names[i].lower() in ROLE_NOUNS):
            titles, names = titles + names[: i + 1], names[i + 1 :]
            break
    return tuple(titles), tuple(names)


@lru_cache(maxsize=4096)
def _display(mention_text: str) -> str:
    titles, names = _name_parts(mention_text)
    kept_titles = [t for t in titles if t.lower().rstrip(".") not in HONORIFICS]
    if len(names) >= 2:
        return " ".join(names)
    return " ".join([*kept_titles, *names])


def _group_key(text: str) -> frozenset[str]:
    words = [
        w for w in re.findall(r"[\w’'-]+", text.lower()) if w not in DETERMINERS and w not in NUMBER_WORDS and w != "of"
    ]
    return frozenset(words)


class Resolver:
    """Assigns each mention a speaker name, in text order."""

    def __init__(self, text: str, aliases: Mapping[str, str] | None = None):
        self.text = text
        self.aliases = {normalize(k): v for k, v in (aliases or {}).items() if normalize(k)}
        self.persons: list[Entity] = []
        self.groups: list[Entity] = []
        self.history: list[tuple[int, Entity]] = []  # (position, entity) of resolved mentions
        self.org_mentions: list[tuple[int, str]] = []  # named organizations, in text order
        # the byline and the wire's credit line: their names are never speakers nor antecedents
        self.bylines = [m.span() for m in _BYLINE.finditer(text)]
        # positions of names inside the content of a quote found: talked about, not talking
        self.quoted_names: frozenset[int] = frozenset()
        self.name_mentions = self._scan_person_names()

    def _scan_person_names(self) -> list[tuple[int, Entity]]:
        """Every personal name in the text (with a title, or of two words or more), in order."""
        found = []
        self.first_mentions: list[tuple[int, Entity]] = []  # every person name, possessive or not
        toks = tokens(self.text, 0, len(self.text))
        i = 0
        while i < len(toks):
            if not toks[i].capitalized:
                i += 1
                continue
            j = i + 1
            while (
                j < len(toks)
                and _name_like(toks[j])
                and _gap_is_space(self.text, toks[j - 1], toks[j])
                and not toks[j - 1].possessive
            ):
                j += 1
            mention = _classify_name(toks[i:j], self.text)
            if mention and mention.kind == "organization" and len(mention.text) > 1:
                self.org_mentions.append((mention.start, mention.text))
            in_byline = any(s <= toks[i].start < e for s, e in self.bylines)
            place = not _is_title(toks[i]) and (
                (i > 0 and toks[i - 1].lower in _PLACE_PREPOSITIONS)
                or (i > 1 and toks[i - 1].lower == "the" and toks[i - 2].lower in _PLACE_PREPOSITIONS)
                or toks[j - 1].lower in _PLACE_WORDS
            )
            if mention and mention.kind == "person" and not in_byline and not place:
                titles, names = _name_parts(mention.text)
                if titles or len(names) >= 2:
                    entity = self._person(mention.text)
                    found.append((mention.start, entity, toks[j - 1].possessive))
                    if not self.first_mentions or self.first_mentions[-1][1] is not entity:
                        self.first_mentions.append((mention.start, entity))
            i = j
        # Possessive names ("Mr. Vitiello’s nomination") are poor antecedents for "he".
        return [(pos, e) for pos, e, possessive in found if not possessive]

    def set_content_spans(self, spans: list[tuple[int, int]]) -> None:
        """Remember which names stand inside a quote's content (one sweep over both sorted lists)."""
        spans = sorted(spans)
        inside, i, reach = set(), 0, -1
        for pos, _entity in self.name_mentions:  # in text order
            while i < len(spans) and spans[i][0] <= pos:
                reach = max(reach, spans[i][1])
                i += 1
            if pos < reach:
                inside.add(pos)
        self.quoted_names = frozenset(inside)

    def _person(self, mention_text: str) -> Entity:
        titles, names = _name_parts(mention_text)
        surname = names[-1].lower() if names else ""
        first = names[0].lower() if len(names) >= 2 else ""
        score = len(names) * 2 + (1 if titles else 0)
        gender = next((_GENDERED[t.lower().rstrip(".")] for t in titles if t.lower().rstrip(".") in _GENDERED), "")
        gender = gender or _FIRST_NAME_GENDER.get(first, "")
        candidates = [e for e in self.persons if e.surname == surname]
        for entity in reversed(candidates):
            if gender and entity.gender and gender != entity.gender:
                continue  # "Mr Carter" is not "Lisa Carter"
            if not first or not entity.first or entity.first == first:
                if first and not entity.first:
                    entity.first = first
                if score > entity.score:
                    entity.name, entity.score = _display(mention_text), score
                entity.gender = entity.gender or gender
                return entity
        entity = Entity(_display(mention_text), "person", surname, first, score, gender=gender)
        self.persons.append(entity)
        return entity

    def _group(self, mention: Mention) -> Entity:
        key = _group_key(mention.text)
        for entity in reversed(self.groups):
            smaller = min(len(key), len(entity.group_words))
            if entity.surname == mention.head and key == entity.group_words:
                return entity
            if (
                entity.surname == mention.head
                and smaller >= 2
                and (key <= entity.group_words or entity.group_words <= key)
            ):
                return entity
        text = mention.text
        if text.lower().startswith("the "):
            text = text[4:]
        one_of = re.match(r"(?:one|some|many|several|most|all|two|three|few|a few) of (?:the )?", text, re.I)
        if one_of:
            sub = Mention(mention.start, mention.end, "group", text[one_of.end() :], head=mention.head)
            return self._group(sub)
        entity = Entity(text, "group", mention.head, group_words=key)
        self.groups.append(entity)
        return entity

    def _with_alias(self, entity: Entity, *forms: str) -> tuple[str, str]:
        for form in (entity.name, *forms):
            hit = self.aliases.get(normalize(form))
            if hit:
                return hit, entity.kind
        return entity.name, entity.kind

    def resolve(self, mention: Mention | None) -> tuple[str | None, str]:
        """(speaker name or None, speaker kind) for a mention at its position in the text."""
        if mention is None:
            return None, ""
        entity: Entity | None = None
        if mention.kind == "person":
            entity = self._person(mention.text)
        elif mention.kind == "group":
            entity = self._group(mention)
        elif mention.kind == "organization":
            text = (
                mention.text[4:]
                if mention.text.lower().startswith("the ") and mention.text[4:5].islower()
                else mention.text
            )
            if text[:1].islower():
                text = self._named_org(mention, text)
            existing = [e for e in self.groups if e.kind == "organization" and normalize(e.name) == normalize(text)]
            entity = existing[0] if existing else Entity(text, "organization", mention.head)
            if not existing:
                self.groups.append(entity)
        elif mention.kind == "pronoun":
            entity = self._antecedent(mention)
            if entity is not None and entity.kind == "person" and mention.head in _PRONOUN_GENDER:
                entity.gender = entity.gender or _PRONOUN_GENDER[mention.head]
        elif mention.kind == "description":
            entity = self._described(mention)
        if entity is None:
            return None, ""
        self.history.append((mention.start, entity))
        return self._with_alias(entity, mention.text)

    def _named_org(self, mention: Mention, common: str) -> str:
        """ "the agency" / "the company": the latest named organization before it (preferring one whose
        name holds the noun, "Environment Agency"), else the common noun itself."""
        before = [name for pos, name in self.org_mentions if pos < mention.start]
        before += [
            e.name
            for pos, e in self.history
            if pos < mention.start and e.kind == "organization" and e.name[:1].isupper()
        ]
        head = mention.head.lower()
        named = [n for n in before if head in n.lower().split()]
        if named:
            return named[-1]
        if head in {"company", "firm", "start-up", "startup", "group", "organization"} and before:
            return before[-1]
        # "The state health department said ... The agency urged ...": the latest body of the same kind
        for cls in _ORG_CLASSES:
            if head in cls:
                same = [e.name for pos, e in self.history if pos < mention.start and e.kind == "organization"]
                same = [n for n in same if n.lower().split()[-1:] and n.lower().split()[-1] in cls]
                if same:
                    return same[-1]
        return common

    def _described(self, mention: Mention) -> Entity:
        """ "the United head coach" → the person named before it with that role nearby ("United head coach
        Marco Ventura", "Marco Ventura, the United head coach"); else the latest speaker who is a person;
        else the description itself."""
        words = {w.lower() for w in re.findall(r"[\w’'-]+", mention.text)} - {"the", mention.head}
        heads = _ROLE_CLASSES.get(mention.head, {mention.head})
        best: tuple[int, int, int, Entity] | None = None
        for pos, entity in self.first_mentions:
            if pos >= mention.start:
                break
            line_start = self.text.rfind("\n", 0, pos) + 1
            line_end = self.text.find("\n", pos)
            line_end = len(self.text) if line_end < 0 else line_end
            window = re.findall(r"[\w’'-]+", self.text[max(line_start, pos - 60) : min(line_end, pos + 120)].lower())
            has_role = any(h in window for h in heads)
            shared = sum(1 for w in words if w in window)
            if not has_role and not shared:
                continue
            if best is None or (has_role, shared, pos) > best[:3]:
                best = (has_role, shared, pos, entity)
        if best is not None:
            return best[3]
        return Entity(mention.text, "person", mention.head)

    def _antecedent(self, mention: Mention) -> Entity | None:
        before = [(p, e) for p, e in self.history if p < mention.start]
        if mention.head in PERSONAL_PRONOUNS:
            named = [(p, e) for p, e in self.name_mentions if p < mention.start and p not in self.quoted_names]
            candidates = [(p, e) for p, e in before + named if e.kind == "person"]
            wanted = _PRONOUN_GENDER[mention.head]
            agreeing = [(p, e) for p, e in candidates if e.gender in ("", wanted)]
            candidates = agreeing or candidates
        elif mention.head in PLURAL_PRONOUNS:
            candidates = [(p, e) for p, e in before if e.kind == "group"]
            if not candidates and mention.text.lower() in GROUP_QUANTIFIERS:
                # "Farmers have been told to expect a dry summer. Most said ...": the plural noun before
                window_start = max(0, mention.start - 300)
                plural = [
                    t
                    for t in tokens(self.text, window_start, mention.start)
                    if t.lower in SOURCE_NOUNS and t.lower.endswith("s")
                ]
                if plural:
                    last = plural[-1]
                    return self._group(Mention(last.start, last.end, "group", last.word, head=last.lower))
        elif mention.head in ORG_PRONOUNS:
            candidates = [(p, e) for p, e in before if e.kind == "organization"]
        else:
            return None
        if not candidates:
            return None
        return max(candidates, key=lambda pe: pe[0])[1]
