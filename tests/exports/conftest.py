"""A small corpus full of what breaks exports: formula payloads, non-ASCII text, line breaks."""

import csv
import io

import pytest

from accounts.roles import Role
from annotations import services
from annotations.models import Stance
from corpus.models import Speaker, SpeakerAlias
from tests import factories

TRICKY_BODY = (
    '=HYPERLINK("http://evil") opened the piece. “=SUM(A1:A9) is wrong,” said @Zoë Ünal.\n'
    "“Tokyo 東京 is big 😀,\nand rainy,” she added.\n"
    "“+1 for that, -2 for this,” -said the mayor."
)


def read_csv(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.fixture
def tricky(db):
    """Every text column of every export gets a cell starting with a dangerous character."""
    ann = factories.UserFactory(username="-ann", roles=[Role.ANNOTATOR])
    editor = factories.UserFactory(username="@ed", roles=[Role.EDITOR])
    org = factories.SpeakerFactory(name="+Civic League", kind=Speaker.Kind.ORGANIZATION, description="=org")
    zoe = factories.SpeakerFactory(
        name="@Zoë Ünal", description="-5 years\nspokesperson", affiliation=org, wikidata_qid="Q42"
    )
    SpeakerAlias.objects.create(speaker=zoe, alias="=Zoe")
    SpeakerAlias.objects.create(speaker=zoe, alias="Ms. Ünal")
    zoe.tags.set(["=spk", "plain"])
    article = factories.ArticleFactory(
        title="=cmd|' /C calc'!A0",
        outlet="+Outlet",
        byline="-By line",
        dateline="@DATELINE",
        url="-http://example.org/x",
        language="\ten",
        body=TRICKY_BODY,
        tags=["=art", "Ünïcode"],
    )
    body = article.body
    q1 = services.quote_create(
        article=article,
        spans=[factories.find_span(body, "=SUM(A1:A9) is wrong,")],
        annotator=ann,
        speaker=zoe,
        cue=factories.find_span(body, "said"),
        speaker_mention=factories.find_span(body, "@Zoë Ünal"),
        tags=["=q", "-tag", "zeta"],
        origin="=rule",
    )
    q2 = services.quote_create(
        article=article,
        spans=[factories.find_span(body, "Tokyo 東京 is big 😀,\nand rainy,")],
        annotator=ann,
        speaker=zoe,
        status="submitted",
    )
    q3 = services.quote_create(
        article=article,
        spans=[factories.find_span(body, "+1 for that, -2 for this,")],
        annotator=ann,
        cue=factories.find_span(body, "-said"),
        status="submitted",
    )
    target = services.stance_target_create(name="=Target")
    services.stance_set(quote=q1, target=target, label=Stance.Label.AGAINST, annotator=ann, note="+note\nline 2")
    # Exports read the curated layer: each accepted quote is exported as the curated quote it made.
    c1 = services.quote_accept(quote=services.quote_submit(quote=q1, actor=ann), reviewer=editor).curated
    c2 = services.quote_accept(quote=q2, reviewer=editor).curated
    c3 = services.quote_accept(quote=q3, reviewer=editor).curated
    services.stance_set(quote=c2, target=target, label=Stance.Label.FAVOR, annotator=editor)
    # An annotator's submitted quote: never in an export.
    pending = services.quote_create(
        article=article,
        spans=[factories.find_span(body, "Tokyo 東京 is big")],
        annotator=editor,
        status="submitted",
    )
    mention = services.entity_mention_create(
        article=article,
        start=body.index("=HYPERLINK"),
        end=body.index(" opened"),
        label="MISC",
        annotator=ann,
        origin="-rule",
        status="submitted",
    )
    services.entity_mention_review(mention=mention, reviewer=editor, accept=True)
    zoe_mention = services.entity_mention_create(
        article=article,
        start=body.index("@Zoë"),
        end=body.index(".\n"),
        label="PERSON",
        annotator=ann,
        speaker=zoe,
        status="submitted",
    )
    services.entity_mention_review(mention=zoe_mention, reviewer=editor, accept=True)
    services.entity_mention_create(  # a draft: never in an export
        article=article,
        start=body.index("Tokyo"),
        end=body.index("Tokyo") + 5,
        label="GPE",
        annotator=ann,
    )
    return {
        "article": article,
        "quotes": [c1, c2, c3],
        "annotated": [q1, q2, q3],
        "pending": pending,
        "zoe": zoe,
        "org": org,
        "annotator": ann,
        "editor": editor,
    }
