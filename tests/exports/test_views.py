import pytest
from django.core.management import call_command
from django.http import StreamingHttpResponse
from django.urls import reverse

from annotations import services
from exports.codebook import EXPORT_FILES
from tests import factories

from .conftest import read_csv

DOWNLOADS = [
    "exports:quotes_csv",
    "exports:stances_csv",
    "exports:entities_csv",
    "exports:speakers_csv",
    "exports:articles_csv",
    "exports:corpus_jsonl",
]
PAGES = ["exports:index", "exports:codebook"]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("name", PAGES + DOWNLOADS)
@pytest.mark.parametrize(
    "who,status", [("anonymous", 302), ("annotator", 403), ("editor", 200), ("researcher", 200), ("admin", 200)]
)
def test_permission_matrix(role_users, client_for, name, who, status):
    response = client_for(role_users[who]).get(reverse(name))
    assert response.status_code == status
    if who == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("slug", sorted(EXPORT_FILES))
def test_download_streams_with_headers(tricky, client_for, researcher_user, slug):
    response = client_for(researcher_user).get(reverse(f"exports:{slug}_csv"), {"status": "all"})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{slug}.csv"'
    assert read_csv(body(response))[0] == EXPORT_FILES[slug].header


def test_bom_parameter(tricky, client_for, researcher_user):
    client = client_for(researcher_user)
    plain = body(client.get(reverse("exports:quotes_csv")))
    with_bom = body(client.get(reverse("exports:quotes_csv"), {"bom": "1"}))
    assert with_bom == b"\xef\xbb\xbf" + plain


def test_invalid_filter_is_a_clear_400(tricky, client_for, researcher_user):
    response = client_for(researcher_user).get(reverse("exports:quotes_csv"), {"status": "bogus"})
    assert response.status_code == 400
    assert b"status" in response.content


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": "all"},
        {"status": "all", "q": "Tokyo"},
        {"speaker": "SPEAKER"},
        {"tag": "=q"},
        {"status": "accepted", "kind": "direct"},
    ],
)
def test_command_writes_the_same_bytes_as_http(tricky, client_for, researcher_user, tmp_path, params):
    params = {k: (str(tricky["zoe"].pk) if v == "SPEAKER" else v) for k, v in params.items()}
    http = body(client_for(researcher_user).get(reverse("exports:quotes_csv"), params))
    out = tmp_path / "quotes.csv"
    args = [a for k, v in params.items() for a in (f"--{k.replace('_', '-')}", v)]
    call_command("export_quotes", "--output", str(out), *args)
    assert out.read_bytes() == http
    assert len(read_csv(http)) > 1


def test_command_other_files_and_bom(tricky, client_for, researcher_user, tmp_path):
    out = tmp_path / "stances.csv"
    call_command("export_quotes", "--output", str(out), "--file", "stances", "--bom")
    http = body(client_for(researcher_user).get(reverse("exports:stances_csv"), {"bom": "1"}))
    assert out.read_bytes() == http


def test_csv_of_a_filtered_page_is_that_pages_rows(tricky, client_for, researcher_user):
    """The export runs QuoteFilter: its rows are exactly the filter's queryset."""
    from annotations.filters import QuoteFilter

    for params in [{}, {"status": "all"}, {"speaker": tricky["zoe"].pk}, {"tag": "zeta"}, {"q": "tokyo"}]:
        expected = sorted(QuoteFilter(params, default_status="accepted").qs.values_list("pk", flat=True))
        rows = read_csv(body(client_for(researcher_user).get(reverse("exports:quotes_csv"), params)))
        assert sorted(int(r[0]) for r in rows[1:]) == expected


@pytest.mark.parametrize("sort", ["-created", "created", "speaker", "-speaker"])
def test_csv_keeps_the_pages_sort_order(tricky, client_for, researcher_user, sort):
    from annotations.filters import QuoteFilter

    params = {"status": "all", "sort": sort}
    expected = list(QuoteFilter(params, default_status="accepted").qs.values_list("pk", flat=True))
    rows = read_csv(body(client_for(researcher_user).get(reverse("exports:quotes_csv"), params)))
    assert [int(r[0]) for r in rows[1:]] == expected
    if sort == "-created":
        assert expected == sorted(expected, reverse=True)


def _many_quotes(n: int):
    editor = factories.editor()
    annotator = factories.annotator()
    target = factories.StanceTargetFactory()
    for i in range(n):
        speaker = factories.SpeakerFactory()
        speaker.tags.set(["s"])
        speaker.aliases.create(alias=f"Alias {i}")
        quote = factories.make_quote(annotator_user=annotator, speaker=speaker, status="submitted", tags=["a", "b"])
        mention = factories.make_mention(article=quote.article, annotator_user=annotator, status="submitted")
        services.entity_mention_review(mention=mention, reviewer=editor, accept=True)
        services.stance_set(quote=quote, target=target, label="favor", annotator=annotator)
        services.quote_accept(quote=quote, reviewer=editor)  # the curated copy takes the stance


@pytest.mark.parametrize("n", [2, 30])
def test_bounded_queries_whatever_the_row_count(client_for, researcher_user, django_assert_max_num_queries, n):
    _many_quotes(n)  # once for every download: building the rows is most of the test's time
    client = client_for(researcher_user)
    for name in DOWNLOADS:
        with django_assert_max_num_queries(18 if name.endswith("jsonl") else 10):
            response = client.get(reverse(name), {"status": "all"})
            data = body(response)
        assert data.count(b"\n") >= n, name


def test_index_lists_downloads_with_the_current_filters(tricky, client_for, researcher_user):
    response = client_for(researcher_user).get(reverse("exports:index"), {"speaker": tricky["zoe"].pk, "status": "all"})
    html = response.content.decode()
    for export in EXPORT_FILES.values():
        assert f"{reverse(export.url_name)}?speaker={tricky['zoe'].pk}&amp;status=all" in html
    assert reverse("exports:codebook") in html


def test_codebook_documents_every_column(client_for, researcher_user):
    html = client_for(researcher_user).get(reverse("exports:codebook")).content.decode()
    for export in EXPORT_FILES.values():
        assert export.filename in html
        for column in export.columns:
            assert f"<code>{column.name}</code>" in html
    assert "120-188;215-301" in html and "apostrophe" in html and "UTF-8" in html


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": "all"},
        {"status": "all", "sort": "-created"},
        {"speaker": "SPEAKER"},
        {"status": "all", "q": "tokyo"},
        {"status": "all", "tag": "zeta"},
    ],
)
def test_research_browsers_download_link_gives_its_rows(tricky, client_for, researcher_user, params):
    """The quote browser's "Download CSV of these rows" gives exactly the rows of the page, in its order."""
    import html
    import re

    params = {k: (str(tricky["zoe"].pk) if v == "SPEAKER" else v) for k, v in params.items()}
    client = client_for(researcher_user)
    page = client.get(reverse("research:quotes"), params)
    on_screen = [q.pk for q in page.context["page"].paginator.object_list]
    link = re.search(r'href="([^"]*/exports/quotes\.csv[^"]*)"', page.content.decode())
    assert link, "the quote browser links to the CSV export"
    rows = read_csv(body(client.get(html.unescape(link.group(1)))))
    assert [int(r[0]) for r in rows[1:]] == on_screen
    assert on_screen
