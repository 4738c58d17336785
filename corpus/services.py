"""Writes to the corpus. Each function validates fully and is atomic."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from .models import Article, Speaker, SpeakerAlias
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
def article_update(*, article: Article, **fields) -> Article:
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


@transaction.atomic
def speaker_create(
    *,
    name: str,
    kind: str = Speaker.Kind.PERSON,
    description: str = "",
    affiliation: Speaker | None = None,
    wikidata_qid: str = "",
    aliases: Iterable[str] = (),
    tags: Iterable[str] = (),
) -> Speaker:
    """Create a speaker; its name and every alias become lookup keys, each unique across speakers."""
    speaker = Speaker(
        name=name.strip(),
        kind=kind,
        description=description.strip(),
        affiliation=affiliation,
        wikidata_qid=wikidata_qid.strip(),
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
