"""A small corpus for the research pages and the search: non-ASCII, punctuation and HTML payloads."""

import datetime
from types import SimpleNamespace

import pytest

from accounts.roles import Role
from annotations import services
from annotations.models import Quote
from tests import factories

BODY_BORDER = (
    "“We will act on the border wall,” Jane Doe said. “Actions speak louder,” she added.\n\n"
    "Critics said the plan would fail, according to John Roe of the Civic League."
)
BODY_ECOLE = (
    "« Nous agirons », a dit José Müller. “L’école d’été est gratuite,” José Müller said.\n"
    "日本語のテキスト: “東京は大きい。” said 山田."
)
BODY_GOVERNOR = (
    "“The acting governor has acted,” said the Civic League. "
    "“U.S. aid of 3.5 billion is don't-miss, see foo_bar,” it added. "
    "“<img src=x onerror=alert(1)> is not code,” said <script>alert(1)</script>."
)


def add_quote(
    article,
    text,
    *,
    annotator,
    reviewer=None,
    speaker=None,
    kind=Quote.Kind.DIRECT,
    tags=(),
    cue=None,
    status="accepted",
    stances=(),
):
    """A quote on ``text`` of ``article`` in ``status`` (accepted by default), built through the services.

    An accepted quote is returned as the curated quote it made (what the research pages show), with the
    stances set on it."""
    start, end = factories.find_span(article.body, text)
    cue_span = factories.find_span(article.body, cue) if cue else None
    quote = services.quote_create(
        article=article,
        spans=[(start, end)],
        annotator=annotator,
        speaker=speaker,
        kind=kind,
        cue=cue_span,
        tags=list(tags),
    )
    if status in ("submitted", "accepted", "rejected"):
        quote = services.quote_submit(quote=quote, actor=annotator)
    if status == "accepted":
        quote = services.quote_accept(quote=quote, reviewer=reviewer).curated
    elif status == "rejected":
        quote = services.quote_reject(quote=quote, reviewer=reviewer, reason="Not a quote.")
    for target, label in stances:
        services.stance_set(quote=quote, target=target, label=label, annotator=annotator)
    return quote


@pytest.fixture
def corpus(db):
    return build_corpus()


def build_corpus() -> SimpleNamespace:
    """The corpus the fixture gives (built through the services), for a fixture of a wider scope."""
    ann = factories.UserFactory(username="corpus-ann", roles=[Role.ANNOTATOR])
    ann2 = factories.UserFactory(username="corpus-ann2", roles=[Role.ANNOTATOR])
    ed = factories.UserFactory(username="corpus-ed", roles=[Role.EDITOR])
    jane = factories.SpeakerFactory(name="Jane Doe")
    jose = factories.SpeakerFactory(name="José Müller")
    league = factories.SpeakerFactory(name="Civic League", kind="organization")
    evil = factories.SpeakerFactory(name="<script>alert('x')</script> Evil", kind="group")
    wall = factories.StanceTargetFactory(name="Border wall")
    immigration = factories.StanceTargetFactory(name="Immigration")

    border = factories.ArticleFactory(
        title="Border plan unveiled", outlet="Daily Planet", body=BODY_BORDER, published=datetime.date(2024, 1, 15)
    )
    french = factories.ArticleFactory(
        title="Écoles: la réforme", outlet="Le Monde", body=BODY_ECOLE, published=datetime.date(2024, 3, 2)
    )
    governor = factories.ArticleFactory(
        title="Acting governor speaks", outlet="Daily Planet", body=BODY_GOVERNOR, published=datetime.date(2023, 11, 20)
    )
    q = SimpleNamespace(
        ann=ann,
        ann2=ann2,
        ed=ed,
        jane=jane,
        jose=jose,
        league=league,
        evil=evil,
        wall=wall,
        immigration=immigration,
        border=border,
        french=french,
        governor=governor,
    )
    q.act = add_quote(
        border,
        "We will act on the border wall,",
        annotator=ann,
        reviewer=ed,
        speaker=jane,
        cue="said",
        tags=["economy"],
        stances=[(wall, "favor"), (immigration, "against")],
    )
    services.stance_set(quote=q.act, target=wall, label="neutral", annotator=ann2)
    q.actions = add_quote(
        border,
        "Actions speak louder,",
        annotator=ann,
        reviewer=ed,
        speaker=jane,
        tags=["rhetoric"],
        stances=[(wall, "against")],
    )
    q.fail = add_quote(
        border, "the plan would fail", annotator=ann2, reviewer=ed, speaker=None, kind=Quote.Kind.INDIRECT
    )
    q.nous = add_quote(french, "Nous agirons", annotator=ann, reviewer=ed, speaker=jose, tags=["Éducation"])
    q.ecole = add_quote(
        french,
        "L’école d’été est gratuite,",
        annotator=ann,
        reviewer=ed,
        speaker=jose,
        kind=Quote.Kind.MIXED,
        stances=[(immigration, "favor")],
    )
    q.tokyo = add_quote(french, "東京は大きい。", annotator=ann, reviewer=ed, speaker=None)
    q.acted = add_quote(governor, "The acting governor has acted,", annotator=ann2, reviewer=ed, speaker=league)
    q.aid = add_quote(
        governor,
        "U.S. aid of 3.5 billion is don't-miss, see foo_bar,",
        annotator=ann2,
        reviewer=ed,
        speaker=league,
        tags=["<b>bold</b>"],
    )
    q.evil_quote = add_quote(
        governor,
        "<img src=x onerror=alert(1)> is not code,",
        annotator=ann,
        reviewer=ed,
        speaker=evil,
        tags=["<i>it</i>"],
        stances=[(wall, "unclear")],
    )
    # Not accepted: hidden by default.
    q.draft = add_quote(border, "Critics said the plan would fail", annotator=ann, status="draft", speaker=jane)
    q.submitted = add_quote(governor, "The acting governor", annotator=ann, status="submitted", speaker=league)
    q.rejected = add_quote(border, "Actions speak", annotator=ann2, reviewer=ed, status="rejected", speaker=jane)
    return q
