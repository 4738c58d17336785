"""Writes to the corpus. Each function validates fully and is atomic."""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from accounts.roles import Role, has_role

from .models import QID_VALIDATOR, Article, RoleCategory, Speaker, SpeakerAlias, SpeakerAttribute
from .text import normalize_alias, normalize_newlines


def unique_article_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = (slugify(title)[:180] or "article").strip("-") or "article"
    slug, n = base, 2
    taken = Article.objects.exclude(pk=exclude_pk) if exclude_pk else Article.objects.all()
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def article_create(
    *,
    title: str,
    body: str,
    outlet: str = "",
    byline: str = "",
    dateline: str = "",
    published: date | None = None,
    url: str = "",
    language: str = "en",
    tags: Iterable[str] = (),
    slug: str = "",
) -> Article:
    article = Article(
        title=title.strip(),
        body=normalize_newlines(body),
        outlet=outlet.strip(),
        byline=byline.strip(),
        dateline=dateline.strip(),
        published=published,
        url=url.strip(),
        language=language or "en",
    )
    article.slug = slug or unique_article_slug(article.title)
    article.full_clean()
    article.save()
    tag_names = [t.strip() for t in tags if t and t.strip()]
    if tag_names:
        article.tags.set(tag_names)
    return article


@transaction.atomic
def article_update(*, article: Article, **fields: Any) -> Article:
    """Change an article's fields. A body change on an annotated article is refused (see ``Article.clean``)."""
    tags = fields.pop("tags", None)
    if "body" in fields:
        fields["body"] = normalize_newlines(fields["body"])
    for name, value in fields.items():
        setattr(article, name, value)
    article.full_clean()
    article.save()
    if tags is not None:
        article.tags.set([t.strip() for t in tags if t.strip()])
    return article


@transaction.atomic
def speaker_alias_add(*, speaker: Speaker, alias: str) -> SpeakerAlias:
    item = SpeakerAlias(speaker=speaker, alias=alias.strip())
    item.full_clean()
    item.save()
    return item


def can_confirm_wikidata(user: Any) -> bool:
    """Whose pick of a Wikidata item links a speaker at once: an editor's (their pick is the confirmation).
    Anyone else's is a proposal an editor confirms or rejects."""
    return has_role(user, Role.EDITOR)


def _require_wikidata_editor(actor: Any) -> None:
    if not can_confirm_wikidata(actor):
        raise ValidationError("Only editors confirm or reject a proposed Wikidata item.")


@transaction.atomic
def speaker_create(
    *,
    name: str,
    kind: str = Speaker.Kind.PERSON,
    description: str = "",
    affiliation: Speaker | None = None,
    wikidata_qid: str = "",
    wikidata_pick: str = "",
    actor: Any = None,
    aliases: Iterable[str] = (),
    tags: Iterable[str] = (),
) -> Speaker:
    """Create a speaker; its name and every alias become lookup keys, each unique across speakers.

    ``wikidata_qid`` is a confirmed QID from a source an editor vouches for (an import, the seed).
    ``wikidata_pick`` is the item a person picked in a form (the workspace's new-speaker form): the role of
    ``actor`` decides what it is. An editor's pick links the speaker (``wikidata_qid``); anyone else's is
    stored as a proposal (``wikidata_qid_proposed``, with who and when) that no importer of claims reads
    until an editor confirms it (``speaker_wikidata_proposal_confirm``). No call to Wikidata is made here.
    """
    wikidata_qid, wikidata_pick = wikidata_qid.strip(), wikidata_pick.strip()
    if wikidata_qid and wikidata_pick:
        raise ValidationError({"wikidata_qid": "Give a confirmed QID or a picked one, not both."})
    proposal = ""
    if wikidata_pick:
        # Checked before any query (a NUL byte never reaches the database), under the name the form sent.
        length = Speaker._meta.get_field("wikidata_qid_proposed").max_length or 20
        if len(wikidata_pick) > length:
            raise ValidationError({"wikidata_qid": f"A Wikidata QID has at most {length} characters."})
        try:
            QID_VALIDATOR(wikidata_pick)
        except ValidationError as exc:
            raise ValidationError({"wikidata_qid": exc.messages}) from None
        # A picked item is new to the corpus: one linked to a speaker, or proposed for one, is that speaker
        # (the form offers it instead; two proposals of one item would make a duplicate to merge).
        taken = Speaker.objects.filter(Q(wikidata_qid=wikidata_pick) | Q(wikidata_qid_proposed=wikidata_pick)).first()
        if taken is not None:
            waiting = "" if taken.wikidata_qid == wikidata_pick else ", proposed and waiting for an editor"
            raise ValidationError(
                {"wikidata_qid": f"Another speaker has this Wikidata QID already{waiting}: use “{taken.name}”."}
            )
        if can_confirm_wikidata(actor):
            wikidata_qid = wikidata_pick
        else:
            proposal = wikidata_pick
    speaker = Speaker(
        name=name.strip(),
        kind=kind,
        description=description.strip(),
        affiliation=affiliation,
        wikidata_qid=wikidata_qid,
        wikidata_qid_proposed=proposal,
        wikidata_proposed_by=actor if proposal and getattr(actor, "pk", None) is not None else None,
        wikidata_proposed_at=timezone.now() if proposal else None,
    )
    speaker.full_clean()
    speaker.save()
    seen: set[str] = set()
    for alias in [speaker.name, *aliases]:
        key = normalize_alias(alias)
        if key and key not in seen:
            seen.add(key)
            speaker_alias_add(speaker=speaker, alias=alias)
    tag_names = [t.strip() for t in tags if t and t.strip()]
    if tag_names:
        speaker.tags.set(tag_names)
    return speaker


# --- Speaker attributes ---------------------------------------------------------------------------

FREE_TEXT_ATTRIBUTES = {SpeakerAttribute.Name.PARTY, SpeakerAttribute.Name.EMPLOYER, SpeakerAttribute.Name.COUNTRY}


@transaction.atomic
def speaker_attribute_set(
    *,
    speaker: Speaker,
    name: str,
    value: str,
    source: str,
    actor: Any = None,
    article: Article | None = None,
    span: Sequence[int] | None = None,
    wikidata_qid: str = "",
    retrieved_at: datetime.datetime | None = None,
    evidence: str = "",
) -> SpeakerAttribute:
    """Set one attribute of a speaker with its provenance (replacing the one it had).

    The source decides what must come with it: the article and the span of its words that say so
    ("she said", "Ms. Scott"); the Wikidata QID and the retrieval date; nothing more for an editor's
    judgment or an import. Gender is one of ``SpeakerAttribute.Gender`` ("not applicable" exactly for
    organizations and groups); a role is a code of the role codebook.
    """
    value = (value or "").strip()
    if name not in SpeakerAttribute.Name.values:
        raise ValidationError({"name": f"Unknown speaker attribute {name!r}."})
    attribute = SpeakerAttribute.objects.filter(speaker=speaker, name=name).first() or SpeakerAttribute(
        speaker=speaker, name=name
    )
    attribute.value, attribute.source, attribute.set_by = value, source, actor
    attribute.article, attribute.span_start, attribute.span_end = None, None, None
    attribute.wikidata_qid, attribute.retrieved_at, attribute.evidence = "", None, evidence.strip()[:300]
    if source == SpeakerAttribute.Source.ARTICLE and article is not None and span is not None:
        attribute.article, attribute.span_start, attribute.span_end = article, int(span[0]), int(span[1])
    elif source == SpeakerAttribute.Source.WIKIDATA:
        attribute.wikidata_qid, attribute.retrieved_at = (wikidata_qid or "").strip(), retrieved_at
    attribute.full_clean(validate_constraints=False, validate_unique=False)
    attribute.save()
    return attribute


# What an annotator may say about a speaker they create in the workspace; the rest is an editor's work.
ANNOTATION_ATTRIBUTES = (SpeakerAttribute.Name.GENDER, SpeakerAttribute.Name.ROLE)


@transaction.atomic
def speaker_attributes_record(
    *,
    speaker: Speaker,
    values: Mapping[str, str],
    actor: Any,
    article: Article | None = None,
    span: Sequence[int] | None = None,
    judged: bool = False,
) -> list[SpeakerAttribute]:
    """Record the gender and role given while creating ``speaker``, each with the one source it can have.

    With ``article`` and ``span`` (the words that say so: the speaker mention "Ms. Scott", "she") the
    source is the article. Without them the only source the codebook accepts is an editor's judgment
    (``judged``: the caller holds the editor role); an annotator's own guess is no source, so it is
    refused rather than stored as if someone had checked it. Empty values are skipped.
    """
    given = {name: (value or "").strip() for name, value in values.items() if (value or "").strip()}
    unknown = sorted(set(given) - set(ANNOTATION_ATTRIBUTES))
    if unknown:
        raise ValidationError(f"Only gender and role can be given here, not {', '.join(unknown)}.")
    if not given:
        return []
    if article is not None and span is not None:
        source = SpeakerAttribute.Source.ARTICLE
    elif judged:
        source = SpeakerAttribute.Source.EDITOR
    else:
        raise ValidationError(
            "Gender and role are recorded with their source: tick “The article says so” and mark the words "
            "that say it as the speaker mention, or leave them empty for an editor to decide."
        )
    return [
        speaker_attribute_set(
            speaker=speaker,
            name=name,
            value=value,
            source=source,
            actor=actor,
            article=article if source == SpeakerAttribute.Source.ARTICLE else None,
            span=span if source == SpeakerAttribute.Source.ARTICLE else None,
        )
        for name, value in sorted(given.items())
    ]


@transaction.atomic
def speaker_attribute_clear(*, speaker: Speaker, name: str) -> int:
    deleted, _ = SpeakerAttribute.objects.filter(speaker=speaker, name=name).delete()
    return deleted


# Sources an editor or the article decided: Wikidata never overwrites them.
_KEPT_SOURCES = {SpeakerAttribute.Source.ARTICLE, SpeakerAttribute.Source.EDITOR}


@transaction.atomic
def speaker_wikidata_link(*, speaker: Speaker, entity: Any, actor: Any = None) -> list[str]:
    """Link ``speaker`` to the Wikidata item ``entity`` (a ``wikidata.Entity`` an editor confirmed) and
    take the attributes its claims state, with the QID and the retrieval date as their provenance.
    Attributes from the article or an editor are kept. A pending proposal is closed: the editor chose the
    item. Returns what changed, one line each."""
    changes = []
    current = Speaker.objects.select_for_update().get(pk=speaker.pk)
    if current.wikidata_qid != entity.qid:
        changes.append(f"QID: {current.wikidata_qid or '—'} → {entity.qid}")
        current.wikidata_qid = entity.qid
        if current.wikidata_qid_proposed:
            # An editor chose the item: the proposal, this one or another, is decided.
            if current.wikidata_qid_proposed != entity.qid:
                changes.append(f"proposed {current.wikidata_qid_proposed} set aside")
            _proposal_clear(current)
        current.full_clean()
        current.save()
    elif current.wikidata_qid_proposed == entity.qid:
        _proposal_clear(current)
        current.save(update_fields=["wikidata_qid_proposed", "wikidata_proposed_by", "wikidata_proposed_at", "updated"])
    if not current.description and entity.description:
        current.description = entity.description[:500]
        current.save(update_fields=["description", "updated"])
        changes.append(f"description: {current.description}")
    now = timezone.now()
    existing = {a.name: a for a in SpeakerAttribute.objects.filter(speaker=current)}
    for name, value in entity.attributes().items():
        if name == "gender" and current.kind not in (Speaker.Kind.PERSON, Speaker.Kind.UNKNOWN):
            continue
        if name == "role" and not RoleCategory.objects.filter(code=value).exists():
            continue  # the codebook is the site's own: a role it lacks is left to the editor
        old = existing.get(name)
        if old is not None and (old.source in _KEPT_SOURCES or (old.value == value and old.source == "wikidata")):
            continue
        speaker_attribute_set(
            speaker=current,
            name=name,
            value=value,
            source=SpeakerAttribute.Source.WIKIDATA,
            actor=actor,
            wikidata_qid=entity.qid,
            retrieved_at=now,
            evidence=entity.label,
        )
        changes.append(f"{name}: {old.value if old else '—'} → {value}")
    return changes


# --- Wikidata proposals -----------------------------------------------------------------------------


def _proposal_clear(speaker: Speaker) -> None:
    speaker.wikidata_qid_proposed, speaker.wikidata_proposed_by, speaker.wikidata_proposed_at = "", None, None


def _current_proposal(*, speaker: Speaker, qid: str) -> Speaker:
    """The speaker, locked, if ``qid`` is still its proposal; otherwise the reason, as a ValidationError."""
    current = Speaker.objects.select_for_update().filter(pk=speaker.pk).first()
    if current is None:
        raise ValidationError("This speaker no longer exists.")
    if not current.wikidata_qid_proposed:
        raise ValidationError(f"{current.name} has no proposed Wikidata item any more (decided by another editor?).")
    if current.wikidata_qid_proposed != qid:
        raise ValidationError(
            f"The proposal for {current.name} is now {current.wikidata_qid_proposed}, not {qid}: look again."
        )
    return current


@transaction.atomic
def speaker_wikidata_proposal_confirm(*, speaker: Speaker, entity: Any, actor: Any) -> list[str]:
    """An editor confirms the Wikidata item an annotator proposed for ``speaker``: ``entity`` (the
    ``wikidata.Entity`` fetched for the proposed QID) is linked by ``speaker_wikidata_link``, which takes its
    claims with the QID and the retrieval date as their provenance and closes the proposal. Refused, with
    nothing written, for a non-editor, or when the proposal is no longer ``entity.qid``."""
    _require_wikidata_editor(actor)
    current = _current_proposal(speaker=speaker, qid=entity.qid)
    return speaker_wikidata_link(speaker=current, entity=entity, actor=actor)


@transaction.atomic
def speaker_wikidata_proposal_reject(*, speaker: Speaker, qid: str, actor: Any) -> Speaker:
    """An editor rejects the proposed item ``qid``: the proposal is cleared; the speaker's confirmed QID and
    attributes are untouched. Refused, with nothing written, for a non-editor or a proposal that changed."""
    _require_wikidata_editor(actor)
    current = _current_proposal(speaker=speaker, qid=qid)
    _proposal_clear(current)
    current.save(update_fields=["wikidata_qid_proposed", "wikidata_proposed_by", "wikidata_proposed_at", "updated"])
    return current
