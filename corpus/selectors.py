"""Reads of the corpus that callers in several apps share."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q

from text.names import normalize_name

from .models import Speaker, SpeakerAlias


@dataclass(frozen=True)
class NameMatch:
    """The speakers a name matches: none, exactly one (``speaker``), or several (``ambiguous``)."""

    speakers: tuple[Speaker, ...] = ()

    @property
    def speaker(self) -> Speaker | None:
        """The one speaker this name names, or None (no match, or several)."""
        return self.speakers[0] if len(self.speakers) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.speakers) > 1


def speakers_named(names: Iterable[str]) -> dict[str, NameMatch]:
    """Each name → the speakers whose name or any alias it matches: the one speaker resolver.

    A name matches a speaker when its key (``text.names.normalize_name``) is one of the speaker's
    alias keys, or when it equals the speaker's name ignoring case. Two queries, whatever the number
    of names; names without a key (only punctuation) match nobody.
    """
    wanted = {name: name.strip() for name in names if normalize_name(name)}
    if not wanted:
        return {name: NameMatch() for name in names}
    keys = {name: normalize_name(name) for name in wanted}
    ids_by_key: dict[str, set[int]] = {}
    aliases = SpeakerAlias.objects.filter(normalized__in=set(keys.values())).values_list("normalized", "speaker_id")
    for key, speaker_id in aliases:
        ids_by_key.setdefault(key, set()).add(speaker_id)
    by_name = reduce(or_, (Q(name__iexact=stripped) for stripped in set(wanted.values())))
    ids_by_folded: dict[str, set[int]] = {}
    for speaker_id, speaker_name in Speaker.objects.filter(by_name).values_list("pk", "name"):
        ids_by_folded.setdefault(speaker_name.casefold(), set()).add(speaker_id)
    ids = {
        name: ids_by_key.get(keys[name], set()) | ids_by_folded.get(stripped.casefold(), set())
        for name, stripped in wanted.items()
    }
    speakers = Speaker.objects.in_bulk({i for found in ids.values() for i in found})
    result = {name: NameMatch() for name in names}
    for name, found in ids.items():
        result[name] = NameMatch(tuple(speakers[i] for i in sorted(found)[:2] if i in speakers))
    return result


def speaker_named(name: str) -> NameMatch:
    """The speakers ``name`` matches (see ``speakers_named``)."""
    return speakers_named([name])[name]
