"""brat and doccano: reading, importing through the annotation services, and export → import round trips."""

import io
import json
import zipfile

import pytest

from annotations.filters import QuoteFilter
from annotations.models import EntityMention, Quote, Status
from corpus.models import Article, Speaker
from ingest import archives, interchange, selectors, services
from tests.factories import ArticleFactory, SpeakerFactory, find_span, make_mention

# 🎉 and 𝕏 are outside the Basic Multilingual Plane: one code point each, two UTF-16 units.
TEXT = "🎉 Party time. “We will win, 𝕏 or not,” Jane Doe said, “and soon.”\nThe ORG said it agreed.\n"


def brat_ann(text: str) -> str:
    q1 = find_span(text, "We will win, 𝕏 or not,")
    q2 = find_span(text, "and soon.")
    cue = find_span(text, "said")
    spk = find_span(text, "Jane Doe")
    org = find_span(text, "ORG")
    frag = lambda s: f"{s[0]} {s[1]}"  # noqa: E731
    return (
        "\n".join(
            [
                f"T1\tQuote {frag(q1)};{frag(q2)}\t{text[q1[0] : q1[1]]} {text[q2[0] : q2[1]]}",
                f"T2\tCue {frag(cue)}\tsaid",
                f"T3\tPERSON {frag(spk)}\tJane Doe",
                f"T4\tORG {frag(org)}\tORG",
                f"T5\tCARDINAL {frag(org)}\tORG",
                "R1\tSpeaker Arg1:T1 Arg2:T3",
                "R2\tCue Arg1:T2 Arg2:T1",
                "A1\tKind T1 Mixed",
                "#1\tAnnotatorNotes T1\tSpeaker: Jane Doe (Wikidata Q42)",
            ]
        )
        + "\n"
    )


def test_brat_offsets_are_code_points_and_discontinuous_spans_are_read():
    doc = interchange.parse_brat("d", TEXT, brat_ann(TEXT))
    assert not doc.errors
    [quote] = doc.quotes
    assert [TEXT[s:e] for s, e in quote.spans] == ["We will win, 𝕏 or not,", "and soon."]
    assert quote.kind == "mixed"
    assert TEXT[slice(*quote.cue)] == "said"
    assert TEXT[slice(*quote.speaker_mention)] == "Jane Doe"
    assert (quote.speaker_name, quote.speaker_qid) == ("Jane Doe", "Q42")
    assert [(e.label, TEXT[e.start : e.end]) for e in doc.entities] == [("PERSON", "Jane Doe"), ("ORG", "ORG")]
    assert any("CARDINAL" in w.message for w in doc.warnings)


def test_brat_crlf_text_offsets_are_mapped_after_normalization():
    crlf = TEXT.replace("\n", "\r\n")
    ann = brat_ann(crlf)  # offsets counted in the CRLF file, as brat counts them
    doc = interchange.parse_brat("d", crlf, ann)
    assert not doc.errors
    assert doc.text == TEXT
    assert [(e.label, doc.text[e.start : e.end]) for e in doc.entities][1] == ("ORG", "ORG")


def test_brat_offsets_counted_in_utf16_are_refused_with_a_clear_message():
    utf16_start = len(TEXT[: TEXT.index("Jane")].encode("utf-16-le")) // 2
    ann = f"T1\tPERSON {utf16_start} {utf16_start + 8}\tJane Doe\n"
    doc = interchange.parse_brat("d", TEXT, ann)
    assert "does not match the .txt" in doc.errors[0].message and doc.errors[0].line == 1


@pytest.mark.django_db
def test_brat_import_creates_article_quote_speaker_and_mentions(annotator_user):
    files = {
        "news.txt": TEXT.encode(),
        "news.ann": brat_ann(TEXT).encode(),
        "news.json": json.dumps(
            {"title": "Party <b>time</b>", "url": "https://n.test/p", "published": "2024-01-02"}
        ).encode(),
    }
    report = services.brat_pairs_import(files=files, annotator=annotator_user, status=Status.SUBMITTED)
    assert report.ok, report.errors
    assert (len(report.created), report.quotes, report.mentions, report.speakers) == (1, 1, 2, 1)
    article = Article.objects.get()
    assert (article.title, article.url, str(article.published)) == (
        "Party <b>time</b>",
        "https://n.test/p",
        "2024-01-02",
    )
    quote = Quote.objects.get()
    assert quote.span_offsets.count(";") == 1 and quote.kind == "mixed"
    assert (quote.annotator, quote.status, quote.origin) == (annotator_user, Status.SUBMITTED, "import:brat")
    assert (quote.speaker.name, quote.speaker.wikidata_qid, quote.cue_text, quote.speaker_mention_text) == (
        "Jane Doe",
        "Q42",
        "said",
        "Jane Doe",
    )
    assert EntityMention.objects.filter(annotator=annotator_user, status=Status.SUBMITTED).count() == 2


@pytest.mark.django_db
def test_brat_quote_spans_with_marks_and_spaces_are_trimmed(annotator_user):
    text = "He said: “Go now.” Then left."
    s, e = find_span(text, "“Go now.” ")
    report = services.brat_pairs_import(
        files={"t.txt": text.encode(), "t.ann": f"T1\tQuote {s} {e}\t{text[s:e]}\n".encode()}, annotator=annotator_user
    )
    assert report.ok and report.trimmed == 1
    assert Quote.objects.get().text == "Go now."


@pytest.mark.django_db
@pytest.mark.parametrize(
    "files, message",
    [
        ({"a.txt": b"Some text"}, "the .ann file is missing"),
        ({"a.txt": b"Some text", "a.ann": b"T1\tPERSON 0 99\tSome\n"}, "outside the .txt"),
        ({"a.txt": b"Some text", "a.ann": b"T1\tPERSON zero four\tSome\n"}, "not \u201cstart end\u201d pairs"),
        ({"a.txt": b"Some text", "a.ann": b"T1\tQuote 0 4\tSome\nR1\tSpeaker Arg1:T1 Arg2:T9\n"}, "must link a quote"),
        ({"a.txt": "Caf\xe9".encode("latin-1"), "a.ann": b""}, "not UTF-8"),
        (
            {"a.txt": b"Abc said", "a.ann": b"T1\tQuote 0 8\tAbc said\nT2\tCue 4 8\tsaid\nR1\tCue Arg1:T1 Arg2:T2\n"},
            "cue overlaps",
        ),
    ],
)
def test_bad_brat_files_import_nothing(annotator_user, files, message):
    # The good pair makes sure a bad document rolls back the others of the same upload.
    files = {"good.txt": b"Good text here.", "good.ann": b"T1\tPERSON 0 4\tGood\n", **files}
    report = services.brat_pairs_import(files=files, annotator=annotator_user)
    assert not report.ok
    assert message in " ".join(p.message for p in report.errors)
    assert Article.objects.count() == 0 and EntityMention.objects.count() == 0


@pytest.mark.django_db
def test_brat_duplicate_text_is_skipped(annotator_user):
    ArticleFactory(body=TEXT)
    report = services.brat_pairs_import(files={"a.txt": TEXT.encode(), "a.ann": b""}, annotator=annotator_user)
    assert report.ok and not report.created and "same text" in report.skipped[0].reason


@pytest.mark.django_db
def test_doccano_label_form_links_cue_and_speaker_in_the_paragraph(annotator_user):
    text = "“We act,” 🎉 Jane Doe said.\nOther paragraph with said in it."
    q, spk, cue = find_span(text, "We act,"), find_span(text, "Jane Doe"), find_span(text, "said")
    other = find_span(text, "said", 1)
    line = {
        "text": text,
        "title": "Doc",
        "label": [[*q, "Direct"], [*spk, "Speaker"], [*cue, "Cue"], [*other, "Cue"], [*spk, "PER"], "Positive"],
    }
    report = services.doccano_import(
        data=json.dumps(line, ensure_ascii=False).encode(), name="d.jsonl", annotator=annotator_user
    )
    assert report.ok, report.errors
    quote = Quote.objects.get()
    assert (quote.text, quote.cue_start, quote.speaker_mention_text, quote.speaker.name) == (
        "We act,",
        cue[0],
        "Jane Doe",
        "Jane Doe",
    )
    assert EntityMention.objects.get().label == "PERSON"
    assert Article.objects.get().title == "Doc"
    assert any("Positive" in w.message for w in report.warnings)
    assert any("linked to no quote" in w.message for w in report.warnings)


@pytest.mark.django_db
def test_doccano_entities_relations_form(annotator_user):
    text = "Officials said 𝕏 would “stay open” for now, according to Acme Corp."
    q, cue, org = find_span(text, "stay open"), find_span(text, "according to"), find_span(text, "Acme Corp")
    line = {
        "text": text,
        "entities": [
            {"id": 1, "label": "Indirect", "start_offset": q[0], "end_offset": q[1]},
            {"id": 2, "label": "Cue", "start_offset": cue[0], "end_offset": cue[1]},
            {"id": 3, "label": "ORG", "start_offset": org[0], "end_offset": org[1]},
        ],
        "relations": [
            {"id": 1, "from_id": 1, "to_id": 2, "type": "Cue"},
            {"id": 2, "from_id": 1, "to_id": 3, "type": "Speaker"},
        ],
    }
    report = services.doccano_import(data=json.dumps(line).encode(), name="d.jsonl", annotator=annotator_user)
    assert report.ok, report.errors
    quote = Quote.objects.get()
    assert (quote.kind, quote.text, quote.cue_text, quote.speaker.name, quote.speaker.kind) == (
        "indirect",
        "stay open",
        "according to",
        "Acme Corp",
        Speaker.Kind.ORGANIZATION,
    )


@pytest.mark.django_db
def test_doccano_bad_line_rolls_back_the_file(annotator_user):
    good = {"text": "Fine text.", "label": [[0, 4, "PERSON"]]}
    bad = {"text": "Short", "label": [[0, 50, "PERSON"]]}
    data = (json.dumps(good) + "\n" + json.dumps(bad)).encode()
    report = services.doccano_import(data=data, name="d.jsonl", annotator=annotator_user)
    assert not report.ok and report.errors[0].line == 2 and "outside the text" in report.errors[0].message
    assert Article.objects.count() == 0


def _annotated_article(annotator_user):
    article = ArticleFactory(body=TEXT, title="Round trip", url="https://n.test/rt", tags=["x"])
    speaker = SpeakerFactory(name="Jane Doe", wikidata_qid="Q42")
    org = SpeakerFactory(name="The Org", kind=Speaker.Kind.ORGANIZATION)
    make_mention(article=article, text="Jane Doe", annotator_user=annotator_user)
    make_mention(article=article, text="ORG", label="ORG", annotator_user=annotator_user)
    from annotations import services as annotation_services

    annotation_services.quote_create(
        article=article,
        annotator=annotator_user,
        kind="mixed",
        speaker=speaker,
        spans=[find_span(TEXT, "We will win, 𝕏 or not,"), find_span(TEXT, "and soon.")],
        cue=find_span(TEXT, "said"),
        speaker_mention=find_span(TEXT, "Jane Doe"),
    )
    annotation_services.quote_create(
        article=article,
        annotator=annotator_user,
        kind="indirect",
        speaker=org,
        spans=[find_span(TEXT, "it agreed.")],
        cue=find_span(TEXT, "said", 1),
        speaker_mention=find_span(TEXT, "The ORG"),
    )
    annotation_services.quote_create(article=article, annotator=annotator_user, spans=[find_span(TEXT, "Party time.")])
    return article


def _state(article, layer=None):
    quotes, mentions = Quote.objects.filter(article=article), EntityMention.objects.filter(article=article)
    if layer:
        quotes, mentions = quotes.filter(layer=layer), mentions.filter(layer=layer)
    quotes = sorted(
        (q.span_offsets, q.kind, q.cue, q.speaker_mention, q.speaker.name if q.speaker else None)
        for q in quotes.select_related("speaker")
    )
    return quotes, sorted(mentions.values_list("start", "end", "label"))


@pytest.mark.django_db
def test_brat_export_then_import_gives_the_same_spans_speakers_and_relations(annotator_user, other_annotator):
    article = _annotated_article(annotator_user)
    before = _state(article)
    documents = selectors.brat_documents(QuoteFilter({"status": "all"}, layer="annotation"), article=article)
    ann = documents[0].ann()
    assert "\tQuote " in ann and "Kind T" in ann and "Status T" in ann and "Speaker Arg1:" in ann and "Cue Arg1:" in ann
    data = archives.brat_zip(documents)
    members = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "annotation.conf" in members and f"{documents[0].stem}.ann" in members
    Quote.objects.all().delete()
    EntityMention.objects.all().delete()
    article.delete()
    report = services.import_submission(files=[("export.zip", data)], annotator=other_annotator)
    assert [r.ok for r in report] == [True], report[0].errors
    new = Article.objects.get()
    assert (new.title, new.url, new.body, [t.name for t in new.tags.all()]) == (
        "Round trip",
        "https://n.test/rt",
        TEXT,
        ["x"],
    )
    assert _state(new) == before
    assert Speaker.objects.count() == 2  # the existing speakers were found again, none created


@pytest.mark.django_db
def test_brat_export_of_a_filtered_set_runs_bounded_queries(annotator_user, django_assert_max_num_queries):
    for _ in range(2):
        _annotated_article_copy(annotator_user)
    with django_assert_max_num_queries(8):
        docs = selectors.brat_documents(QuoteFilter({"status": "all"}, layer="annotation"))
        archives.brat_zip(docs)
    for _ in range(6):
        _annotated_article_copy(annotator_user)
    with django_assert_max_num_queries(8):
        docs = selectors.brat_documents(QuoteFilter({"status": "all"}, layer="annotation"))
        archives.brat_zip(docs)
    assert len(docs) == 8


def _annotated_article_copy(user):
    from tests.factories import make_quote

    speaker = SpeakerFactory()
    return make_quote(annotator_user=user, speaker=speaker, cue="said")


@pytest.mark.django_db
def test_seed_article_survives_a_brat_round_trip_including_mixed_quotes_ending_in_a_fragment(other_annotator):
    from django.core.management import call_command

    call_command("load_seed", verbosity=0)
    article = Article.objects.get(slug="ice-signals-mass-immigration-arrests")
    before = _state(article, layer="curated")
    assert any(offsets and kind == "mixed" for offsets, kind, *_ in before[0])
    documents = selectors.brat_documents(QuoteFilter({}), article=article)  # the curated corpus
    data = archives.brat_zip(documents)
    Quote.objects.filter(layer="annotation").delete()
    Quote.objects.all().delete()
    EntityMention.objects.filter(layer="annotation").delete()
    EntityMention.objects.all().delete()
    article.delete()
    report = services.import_submission(files=[("seed.zip", data)], annotator=other_annotator)
    assert [r.ok for r in report] == [True], report[0].errors
    assert _state(Article.objects.get()) == before
