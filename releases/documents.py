"""The documents of a release, filled from the data: the datasheet (README.md, after Gebru et al.,
"Datasheets for Datasets"), CITATION.cff, DataCite metadata, and the change log against the previous
release. Every figure is one aggregate query (memory stays flat); nothing depends on the build's time,
so building twice gives the same bytes.
"""

import csv
import io
import json
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db.models import Count, Max, Min

from review.selectors import stored_agreement

from .models import LICENCE_URLS, Licence, Release, release_storage
from .selection import Selection

OUTLETS_LISTED = 50
NAMES_LISTED = 100
DIGESTS = "quote_digests.csv"


@dataclass
class Facts:
    counts: dict[str, int]
    kinds: dict[str, int]
    outlets: list[tuple[str, int, int]]  # outlet, articles, quotes
    outlet_count: int
    first_published: str | None
    last_published: str | None
    languages: list[str]
    annotators: list[str]
    editors: list[str]
    agreement: dict[str, Any]
    guidelines_version: str
    files: dict[str, str] = field(default_factory=dict)


def _fmt(value: float | None) -> str | None:
    return None if value is None else round(value, 4)  # type: ignore[return-value]


def agreement_facts() -> dict[str, Any]:
    """The stored corpus agreement (review.selectors.stored_agreement), as it is at build time."""
    stored = stored_agreement()
    if stored.corpus is None:
        return {"computed_at": None}
    pooled = stored.corpus.pooled()
    return {
        "computed_at": stored.computed_at.isoformat() if stored.computed_at else None,
        "current": stored.current,
        "articles_compared": stored.corpus.articles,
        "annotators": len(stored.corpus.annotators),
        "quote_f1_exact": _fmt(pooled.quotes_exact.f1),
        "quote_f1_overlap": _fmt(pooled.quotes_overlap.f1),
        "entity_f1_exact": _fmt(pooled.entities_exact.f1),
        "speaker_agreement": _fmt(pooled.speaker_agreement),
        "kind_kappa": _fmt(pooled.kind_kappa),
        "kind_alpha": _fmt(stored.corpus.kind_alpha),
        "stance_alpha": _fmt(stored.corpus.stance_alpha),
    }


def facts(selection: Selection) -> Facts:
    quotes = selection.quotes.order_by()
    articles = selection.articles.order_by()
    counts = {
        "quotes": quotes.count(),
        "articles": articles.count(),
        "speakers": selection.speakers.order_by().count(),
        "stances": selection.stances.order_by().count(),
        "stance_targets": selection.stance_targets.order_by().count(),
        "entities": selection.entities.order_by().count(),
    }
    kinds = dict(quotes.values_list("kind").annotate(n=Count("pk")).order_by("kind"))
    quotes_by_outlet = dict(quotes.values_list("article__outlet").annotate(n=Count("pk")).order_by())
    by_outlet = articles.values_list("outlet").annotate(n=Count("pk")).order_by("-n", "outlet")
    outlets = [(o, n, quotes_by_outlet.get(o, 0)) for o, n in by_outlet[:OUTLETS_LISTED]]
    dates = articles.aggregate(first=Min("published"), last=Max("published"))
    supporters: set[str] = set()
    for joined in quotes.values_list("supported_by", flat=True).distinct():
        supporters.update(name for name in (joined or "").split(";") if name)
    editors = quotes.filter(reviewed_by__isnull=False).values_list("reviewed_by__username", flat=True).distinct()
    return Facts(
        counts=counts,
        kinds=kinds,
        outlets=outlets,
        outlet_count=articles.values("outlet").distinct().count(),
        first_published=dates["first"].isoformat() if dates["first"] else None,
        last_published=dates["last"].isoformat() if dates["last"] else None,
        languages=sorted(set(articles.values_list("language", flat=True).distinct())),
        annotators=sorted(supporters),
        editors=sorted(editors),
        agreement=agreement_facts(),
        guidelines_version=settings.ANNOTATION_GUIDELINES_VERSION,
    )


def _creator(release: Release) -> dict[str, str]:
    user = release.created_by
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if first and last:
        return {"given": first, "family": last}
    return {"name": settings.RELEASE_PUBLISHER}


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:NAMES_LISTED])
    more = len(names) - NAMES_LISTED
    return shown + (f" and {more} more" if more > 0 else "") if names else "none"


def _filters_text(release: Release) -> str:
    if not release.filters:
        return "every curated quote (no filter)"
    return "the curated quotes matching " + ", ".join(f"`{k}={v}`" for k, v in sorted(release.filters.items()))


def datasheet(release: Release, f: Facts, change_counts: dict[str, int] | None) -> str:
    c = f.counts
    kinds = ", ".join(f"{n:,} {kind}" for kind, n in f.kinds.items()) or "none"
    outlets = "\n".join(f"| {o or '(none)'} | {a:,} | {q:,} |" for o, a, q in f.outlets)
    more_outlets = f.outlet_count - len(f.outlets)
    a = f.agreement
    if a.get("computed_at"):
        agreement = (
            f"Stored corpus agreement, computed {a['computed_at']} over {a['articles_compared']:,} articles with two or "
            f"more annotators ({a['annotators']} annotators){'' if a['current'] else '; it was behind the latest annotations when this release was built'}: "
            f"quote span F1 exact {a['quote_f1_exact']}, at overlap ≥ 0.5 {a['quote_f1_overlap']}; entity F1 exact "
            f"{a['entity_f1_exact']}; speaker agreement on matched quotes {a['speaker_agreement']}; Cohen's kappa of "
            f"the quote kind (pooled pairs) {a['kind_kappa']}; Krippendorff's alpha of the kind {a['kind_alpha']}, "
            f"of the stance {a['stance_alpha']}. Empty figures had nothing to compare."
        )
    else:
        agreement = "No agreement figures were stored when this release was built (no article had two annotators)."
    licence_url = LICENCE_URLS.get(Licence(release.licence), "")
    if change_counts is None:
        changes = "This is the first release of this name: every quote is new."
    else:
        assert release.previous is not None
        changes = (
            f"Against {release.previous.name} {release.previous.version}: {change_counts['added']:,} quotes added, "
            f"{change_counts['removed']:,} removed, {change_counts['changed']:,} changed (CHANGELOG.md)."
        )
    files = "\n".join(f"- `{path}`: {text}" for path, text in f.files.items())
    return f"""# {release.name} {release.version}

{release.description.strip() or "A corpus of quotes in news articles, with their speakers, cues and stances."}

Licence: {release.get_licence_display()} ({release.licence}{f", {licence_url}" if licence_url else ""}).
Cite it with CITATION.cff; `datacite.json` holds the metadata for a DOI deposit. Check the files with
`manifest.json` (SHA-256 and size of each), or `python manage.py release_verify` on the zip.

This datasheet follows “Datasheets for Datasets” (Gebru et al., 2021); its figures are computed from the data.

## Motivation

A curated corpus of who is quoted in the news, and how: direct, indirect and mixed quotes, each attributed
to a speaker through a cue, with entity mentions and the stances quotes take. It is released as numbered,
frozen versions so that studies and trained models can name the exact data they used.

## Composition

- {c["quotes"]:,} curated quotes ({kinds}), in {_n(c["articles"], "article")} from {_n(f.outlet_count, "outlet")}.
- {_n(c["speakers"], "speaker")} (those quoted, the organizations they speak for, and those entity mentions name),
  {_n(c["entities"], "entity mention")}, {_n(c["stances"], "stance")} on {_n(c["stance_targets"], "target")}.
- Articles published from {f.first_published or "unknown"} to {f.last_published or "unknown"}; languages: {", ".join(f.languages) or "unknown"}.
- Selection: {_filters_text(release)}.

| outlet | articles | quotes |
|---|---|---|
{outlets}
{f"{chr(10)}and {more_outlets:,} more outlets (articles.csv lists every article's outlet).{chr(10)}" if more_outlets > 0 else ""}
**What is left out.** The annotators' own layers (each annotator's drafts, submissions and rejected quotes),
quotes not yet accepted by an editor, the review history and notes, quote clusters (their ids change when
they are rebuilt), articles without a quote of this release, speakers not quoted here, user accounts beyond
usernames. Each quote appears once, however many annotators marked it (`support`, `annotators`).

## Collection process and labelling

Articles were imported by editors. Annotators marked quotes, cues, speaker mentions, entities and stances
in a web workspace following the annotation guidelines, version {f.guidelines_version}; machine suggestions,
where used, were accepted or rejected by a person (`origin`). Editors reviewed each quote: what they accepted
forms the curated layer released here.

- Annotators whose accepted quotes support this release ({len(f.annotators)}): {_names(f.annotators)}.
- Editors who accepted them ({len(f.editors)}): {_names(f.editors)}.
- Agreement at release time: {agreement}

## Preprocessing

Offsets count Unicode code points of the article body (Python string indices), end exclusive; browsers count
UTF-16 units. Content spans cover the quoted words, never the quotation marks. The token file uses the
project's sentence splitter (abbreviation-aware) and splits words from punctuation.

## Uses

Studies of sourcing and voice in the news (who gets quoted, by outlet and over time); training and
evaluating quote attribution models (the Parquet tables, the BIO token file, the Web Annotations).
Speaker attributes come from the articles' words, Wikidata or an editor, never a guess from a first name;
check `*_source` before using them.

## Distribution

{changes}

Files:

{files}

## Maintenance

Releases are immutable: a correction is a new version, whose change log lists the quotes added, removed
and changed by id.
"""


def citation_cff(release: Release, f: Facts) -> str:
    creator = _creator(release)
    author = (
        f'  - family-names: "{creator["family"]}"\n    given-names: "{creator["given"]}"\n'
        if "family" in creator
        else f'  - name: "{creator["name"]}"\n'
    )
    abstract = (release.description.strip() or f"{f.counts['quotes']} curated quotes in news articles.").replace(
        '"', '\\"'
    )
    abstract = " ".join(abstract.split())
    return (
        "cff-version: 1.2.0\n"
        'message: "If you use this corpus, please cite it as below."\n'
        "type: dataset\n"
        f'title: "{release.name}"\n'
        f'version: "{release.version}"\n'
        f"date-released: {release.created.date().isoformat()}\n"
        f'license: "{release.licence}"\n'
        f'abstract: "{abstract}"\n'
        "authors:\n"
        f"{author}"
        "keywords:\n  - quotation attribution\n  - news\n  - corpus\n"
    )


def datacite(release: Release, f: Facts) -> dict[str, Any]:
    creator = _creator(release)
    if "family" in creator:
        creators = [
            {
                "name": f"{creator['family']}, {creator['given']}",
                "nameType": "Personal",
                "givenName": creator["given"],
                "familyName": creator["family"],
            }
        ]
    else:
        creators = [{"name": creator["name"], "nameType": "Organizational"}]
    related = []
    if release.previous is not None:
        related.append(
            {
                "relatedIdentifier": f"{release.previous.name}-{release.previous.version}",
                "relatedIdentifierType": "Local",
                "relationType": "IsNewVersionOf",
            }
        )
    return {
        "data": {
            "type": "dois",
            "attributes": {
                "event": "publish",
                "prefix": "",
                "doi": None,
                "creators": creators,
                "titles": [{"title": f"{release.name} {release.version}"}],
                "publisher": {"name": settings.RELEASE_PUBLISHER},
                "publicationYear": release.created.year,
                "types": {"resourceTypeGeneral": "Dataset", "resourceType": "Annotated text corpus"},
                "version": release.version,
                "language": f.languages[0] if len(f.languages) == 1 else None,
                "subjects": [{"subject": "quotation attribution"}, {"subject": "news"}],
                "dates": [{"date": release.created.date().isoformat(), "dateType": "Issued"}],
                "rightsList": [
                    {
                        "rights": release.get_licence_display(),
                        "rightsUri": LICENCE_URLS.get(Licence(release.licence), ""),
                        "rightsIdentifier": release.licence,
                        "rightsIdentifierScheme": "SPDX",
                    }
                ],
                "descriptions": [
                    {"description": release.description.strip() or release.name, "descriptionType": "Abstract"}
                ],
                "sizes": [f"{f.counts['quotes']} quotes", f"{f.counts['articles']} articles"],
                "formats": [
                    "text/csv",
                    "application/x-ndjson",
                    "application/vnd.apache.parquet",
                    "application/ld+json",
                ],
                "relatedIdentifiers": related,
                "schemaVersion": "http://datacite.org/schema/kernel-4",
            },
        }
    }


# --- change log -------------------------------------------------------------------------------


def _previous_digests(previous: Release) -> Iterator[tuple[int, str]]:
    """(quote id, digest) of the previous release's quote_digests.csv, in id order, streamed from its zip."""
    with (
        release_storage().open(str(previous.file.name), "rb") as fh,
        zipfile.ZipFile(fh) as archive,
        archive.open(f"{previous.folder}/{DIGESTS}") as raw,
    ):
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        next(reader)
        for quote_id, digest in reader:
            yield int(quote_id), digest


def _current_digests(path: Path) -> Iterator[tuple[int, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        for quote_id, digest in reader:
            yield int(quote_id), digest


def diff(
    previous: Iterator[tuple[int, str]], current: Iterator[tuple[int, str]], out: Mapping[str, IO[str]]
) -> dict[str, int]:
    """Merge two id-ordered digest streams; write each added, removed and changed id to its file."""
    counts = {"added": 0, "removed": 0, "changed": 0}
    old, new = next(previous, None), next(current, None)
    while old is not None or new is not None:
        if new is None or (old is not None and old[0] < new[0]):
            kind, quote_id, old = "removed", old[0], next(previous, None)  # type: ignore[index]
        elif old is None or new[0] < old[0]:
            kind, quote_id, new = "added", new[0], next(current, None)
        else:
            kind = "changed" if old[1] != new[1] else ""
            quote_id = new[0]
            old, new = next(previous, None), next(current, None)
        if kind:
            counts[kind] += 1
            out[kind].write(f"{quote_id}\n")
    return counts


def write_changelog(release: Release, digests: Path, tmp: Path, md: IO[bytes], js: IO[bytes]) -> dict[str, int] | None:
    """CHANGELOG.md and changelog.json against ``release.previous`` (None: the first release)."""
    previous = release.previous
    head: dict[str, Any] = {"release": {"name": release.name, "version": release.version}}
    if previous is None:
        head["previous"] = None
        js.write((json.dumps({**head, "added": "all", "removed": [], "changed": []}, sort_keys=True) + "\n").encode())
        md.write(
            f"# Changes in {release.name} {release.version}\n\nThe first release of this name: every quote is new.\n".encode()
        )
        return None
    head["previous"] = {"name": previous.name, "version": previous.version, "sha256": previous.sha256}
    with ExitStack() as stack:
        files = {
            kind: stack.enter_context(open(tmp / f"{kind}.ids", "w+", encoding="utf-8"))
            for kind in ("added", "removed", "changed")
        }
        counts = diff(_previous_digests(previous), _current_digests(digests), files)
        js.write(json.dumps({**head, "counts": counts}, sort_keys=True)[:-1].encode())
        md.write(
            (
                f"# Changes in {release.name} {release.version}\n\nAgainst {previous.name} {previous.version} "
                f"(zip SHA-256 {previous.sha256}), by curated quote id. A changed quote differs in any published "
                "field: spans, kind, speaker, cue, mention, stances, tags, support.\n\n"
                f"- added: {counts['added']:,}\n- removed: {counts['removed']:,}\n- changed: {counts['changed']:,}\n"
            ).encode()
        )
        for kind, fh in files.items():
            fh.seek(0)
            js.write(f', "{kind}": ['.encode())
            md.write(f"\n## {kind.capitalize()} ({counts[kind]:,})\n\n".encode())
            line: list[str] = []
            for i, quote_id in enumerate(fh):
                js.write(((", " if i else "") + quote_id.strip()).encode())
                line.append(quote_id.strip())
                if len(line) == 20:
                    md.write((", ".join(line) + "\n").encode())
                    line = []
            if line:
                md.write((", ".join(line) + "\n").encode())
            if not counts[kind]:
                md.write(b"None.\n")
            js.write(b"]")
        js.write(b"}\n")
        return counts
