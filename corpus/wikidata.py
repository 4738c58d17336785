"""A small, polite Wikidata client: search by name (``wbsearchentities``) and read one item's claims
(``wbgetentities``): sex or gender (P21), occupation (P106), position held (P39), party (P102),
employer (P108), country of citizenship (P27), with the label, description and aliases.

Timeouts, a few retries with backoff, a User-Agent as Wikimedia's policy asks, and a cache. Nothing
here writes: an editor confirms a match and ``corpus.services.speaker_wikidata_link`` records it.
``settings.WIKIDATA_ENABLED = False`` turns it off; then, as when the network is down, calls raise
``WikidataUnavailable`` with a message the forms show.
"""

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache

PROPERTIES = {
    "P21": "gender",
    "P106": "occupation",
    "P39": "position",
    "P102": "party",
    "P108": "employer",
    "P27": "country",
}
# P21 values; anything else recorded there is "another gender".
GENDERS = {"Q6581072": "woman", "Q6581097": "man", "Q48270": "non-binary", "Q1052281": "woman", "Q2449503": "man"}
# Occupations and positions that say a role category on their own; the rest is left to the editor.
ROLES = {
    "Q82955": "politician",
    "Q1930187": "journalist",
    "Q1622272": "expert",
    "Q40348": "expert",
    "Q39631": "expert",
    "Q43845": "business",
    "Q484876": "business",
    "Q47064": "police-military",
    "Q384593": "police-military",
    "Q11986654": "government-official",
    "Q212238": "government-official",
}


class WikidataUnavailable(Exception):
    """Wikidata is turned off or cannot be reached; the message says which, for the page."""


@dataclass(frozen=True)
class Match:
    qid: str
    label: str
    description: str


@dataclass
class Entity:
    qid: str
    label: str = ""
    description: str = ""
    aliases: list[str] = field(default_factory=list)
    claims: dict[str, list[str]] = field(default_factory=dict)  # property → item ids
    labels: dict[str, str] = field(default_factory=dict)  # item id → English label

    def attributes(self) -> dict[str, str]:
        """What the claims say, as speaker attribute values (only what they say unambiguously)."""
        found: dict[str, str] = {}
        genders = self.claims.get("P21", [])
        if genders:
            found["gender"] = GENDERS.get(genders[0], "another")
        for prop in ("P106", "P39"):
            for item in self.claims.get(prop, []):
                if item in ROLES and "role" not in found:
                    found["role"] = ROLES[item]
        for prop, name in (("P102", "party"), ("P108", "employer"), ("P27", "country")):
            items = self.claims.get(prop, [])
            if items and self.labels.get(items[0]):
                found[name] = self.labels[items[0]]
        return found


def _get(params: dict[str, str], *, retries: int | None = None) -> dict:
    """One API call, cached; ``retries`` (default ``WIKIDATA_RETRIES``) bounds how long a caller waits:
    at most ``WIKIDATA_TIMEOUT`` per attempt plus the backoff between attempts."""
    if not settings.WIKIDATA_ENABLED:
        raise WikidataUnavailable("Wikidata look-ups are turned off on this site (WIKIDATA_ENABLED).")
    query = urllib.parse.urlencode(sorted({**params, "format": "json"}.items()))
    url = f"{settings.WIKIDATA_API_URL}?{query}"
    key = "wikidata:" + urllib.parse.quote(query, safe="")[:200]
    cached = cache.get(key)
    if cached is not None:
        return cached
    request = urllib.request.Request(
        url, headers={"User-Agent": settings.WIKIDATA_USER_AGENT, "Accept": "application/json"}
    )
    last_error: Exception | None = None
    for attempt in range((settings.WIKIDATA_RETRIES if retries is None else retries) + 1):
        if attempt:
            time.sleep(settings.WIKIDATA_BACKOFF * 2 ** (attempt - 1))
        try:
            with urllib.request.urlopen(request, timeout=settings.WIKIDATA_TIMEOUT) as response:
                data = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            last_error = exc
            if exc.code < 500 and exc.code != 429:
                break  # a client error will not get better by asking again
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            last_error = exc
        else:
            if "error" in data:
                raise WikidataUnavailable(f"Wikidata refused the request: {data['error'].get('info', 'error')}.")
            cache.set(key, data, settings.WIKIDATA_CACHE_SECONDS)
            return data
    raise WikidataUnavailable(
        f"Wikidata could not be reached ({type(last_error).__name__}); try again later, "
        "or fill the attributes in by hand."
    )


def search(name: str, *, limit: int = 7, retries: int | None = None) -> list[Match]:
    """Items whose label or alias matches ``name`` (``wbsearchentities``). A form a person waits on may
    pass ``retries=0``: one attempt, at most ``WIKIDATA_TIMEOUT`` seconds."""
    name = (name or "").strip()
    if not name:
        return []
    data = _get(
        {
            "action": "wbsearchentities",
            "search": name[:200],
            "language": "en",
            "uselang": "en",
            "type": "item",
            "limit": str(limit),
        },
        retries=retries,
    )
    return [Match(hit["id"], hit.get("label", ""), hit.get("description", "")) for hit in data.get("search", [])]


def _item_ids(claims: list[dict]) -> list[str]:
    ids = []
    for claim in claims:
        value = claim.get("mainsnak", {}).get("datavalue", {}).get("value", {})
        if isinstance(value, dict) and value.get("id"):
            ids.append(value["id"])
    return ids


def fetch(qid: str) -> Entity:
    """One item with its claims and the labels of the items they point to (two requests, cached)."""
    data = _get(
        {"action": "wbgetentities", "ids": qid, "props": "labels|descriptions|aliases|claims", "languages": "en"}
    )
    item = data.get("entities", {}).get(qid)
    if not item or "missing" in item:
        raise WikidataUnavailable(f"Wikidata has no item {qid}.")
    entity = Entity(
        qid=qid,
        label=item.get("labels", {}).get("en", {}).get("value", ""),
        description=item.get("descriptions", {}).get("en", {}).get("value", ""),
        aliases=[a["value"] for a in item.get("aliases", {}).get("en", [])],
        claims={prop: _item_ids(item.get("claims", {}).get(prop, [])) for prop in PROPERTIES},
    )
    wanted = sorted({i for prop in ("P102", "P108", "P27") for i in entity.claims.get(prop, [])[:1]})
    if wanted:
        labels = _get({"action": "wbgetentities", "ids": "|".join(wanted), "props": "labels", "languages": "en"})
        entity.labels = {
            i: e.get("labels", {}).get("en", {}).get("value", "") for i, e in labels.get("entities", {}).items()
        }
    return entity
