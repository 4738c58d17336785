"""The Wikidata client and speaker linking, against a local fake server (never the live service)."""

import http.server
import json
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

from corpus import services, wikidata
from corpus.models import Speaker, SpeakerAttribute
from tests import factories

pytestmark = pytest.mark.django_db

RESPONSES = Path(__file__).parent / "wikidata"


class FakeWikidata(http.server.BaseHTTPRequestHandler):
    mode = "ok"  # ok, slow, down
    requests: list[dict] = []

    def do_GET(self):
        params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
        FakeWikidata.requests.append({**params, "user_agent": self.headers.get("User-Agent", "")})
        if FakeWikidata.mode == "slow":
            time.sleep(0.3)
        if FakeWikidata.mode == "down":
            self.send_response(503)
            self.end_headers()
            return
        if params.get("action") == "wbsearchentities":
            name = RESPONSES / f"search_{params['search'].lower().replace(' ', '_')}.json"
        else:
            name = RESPONSES / f"entities_{params.get('ids', '')}.json"
        body = name.read_bytes() if name.exists() else json.dumps({"search": [], "entities": {}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake(settings):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeWikidata)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    FakeWikidata.mode, FakeWikidata.requests = "ok", []
    settings.WIKIDATA_ENABLED = True
    settings.WIKIDATA_API_URL = f"http://127.0.0.1:{server.server_port}/w/api.php"
    settings.WIKIDATA_TIMEOUT = 0.1
    settings.WIKIDATA_RETRIES = 1
    settings.WIKIDATA_USER_AGENT = "QuoteCorpus-tests/1.0 (tests@example.org)"
    cache.clear()
    yield FakeWikidata
    server.shutdown()
    cache.clear()


def test_search_sends_a_user_agent_and_caches(fake):
    matches = wikidata.search("Maria Scott")
    assert [(m.qid, m.description) for m in matches] == [
        ("Q9000001", "fictional legislator used in tests"),
        ("Q9000002", "fictional painter"),
    ]
    assert fake.requests[0]["user_agent"] == "QuoteCorpus-tests/1.0 (tests@example.org)"
    assert fake.requests[0]["action"] == "wbsearchentities" and fake.requests[0]["format"] == "json"
    wikidata.search("Maria Scott")
    assert len(fake.requests) == 1  # the second came from the cache


def test_fetch_reads_the_claims_and_their_labels(fake):
    entity = wikidata.fetch("Q9000001")
    assert (entity.label, entity.aliases) == ("Maria Scott", ["M. Scott"])
    assert entity.attributes() == {
        "gender": "woman",
        "role": "politician",
        "party": "Harbour Party",
        "country": "Freedonia",
    }


def test_timeout_and_server_errors_retry_then_say_so(fake):
    fake.mode = "slow"
    with pytest.raises(wikidata.WikidataUnavailable, match="could not be reached"):
        wikidata.search("Maria Scott")
    assert len(fake.requests) == 2  # one retry
    fake.mode, fake.requests = "down", []
    with pytest.raises(wikidata.WikidataUnavailable, match="HTTPError"):
        wikidata.fetch("Q9000001")
    assert len(fake.requests) == 2


def test_off_means_no_request_and_a_message(fake, settings):
    settings.WIKIDATA_ENABLED = False
    with pytest.raises(wikidata.WikidataUnavailable, match="turned off"):
        wikidata.search("Maria Scott")
    assert fake.requests == []


def test_linking_takes_attributes_with_their_provenance_and_keeps_the_editors(fake, editor_user):
    scott = services.speaker_create(name="Maria Scott")
    services.speaker_attribute_set(speaker=scott, name="country", value="Atlantis", source="editor")
    changes = services.speaker_wikidata_link(speaker=scott, entity=wikidata.fetch("Q9000001"), actor=editor_user)
    scott.refresh_from_db()
    assert scott.wikidata_qid == "Q9000001" and scott.description == "fictional legislator used in tests"
    gender = SpeakerAttribute.objects.get(speaker=scott, name="gender")
    assert (gender.value, gender.source, gender.wikidata_qid) == ("woman", "wikidata", "Q9000001")
    assert gender.retrieved_at is not None and gender.set_by == editor_user
    assert SpeakerAttribute.objects.get(speaker=scott, name="country").value == "Atlantis"  # the editor's stays
    assert "gender: — → woman" in changes and not any(c.startswith("country") for c in changes)
    assert services.speaker_wikidata_link(speaker=scott, entity=wikidata.fetch("Q9000001")) == []


def test_enrich_speakers_reports_what_changed(fake, capsys):
    scott = services.speaker_create(name="Maria Scott", wikidata_qid="Q9000001")
    factories.SpeakerFactory(name="No QID")
    call_command("enrich_speakers")
    out = capsys.readouterr().out
    assert "Maria Scott (Q9000001): " in out and "party: — → Harbour Party" in out
    assert "speakers=1 changed=1 failed=0" in out
    assert SpeakerAttribute.objects.filter(speaker=scott, source="wikidata").count() == 4
    assert Speaker.objects.get(name="No QID").attributes.count() == 0


def test_enrich_speakers_reads_confirmed_items_only_never_proposals(fake, capsys, annotator_user):
    linked = services.speaker_create(name="Maria Scott", wikidata_qid="Q9000001")
    proposed = services.speaker_create(name="Mary Scott", wikidata_pick="Q9000002", actor=annotator_user)
    call_command("enrich_speakers")
    out = capsys.readouterr().out
    assert "speakers=1 changed=1 failed=0" in out and "Mary Scott" not in out
    asked = {r["ids"] for r in fake.requests if r["action"] == "wbgetentities"}
    assert "Q9000002" not in asked and "Q9000001" in asked
    assert SpeakerAttribute.objects.filter(speaker=linked, source="wikidata").count() == 4
    proposed.refresh_from_db()
    assert (proposed.wikidata_qid, proposed.wikidata_qid_proposed) == ("", "Q9000002")
    assert proposed.attributes.count() == 0


def test_the_editor_page_searches_previews_and_links(fake, client_for, editor_user, researcher_user):
    from django.urls import reverse

    scott = services.speaker_create(name="Maria Scott")
    url = reverse("review:speaker_wikidata", args=[scott.pk])
    client = client_for(editor_user)
    page = client.get(url).content.decode()
    assert "Q9000001" in page and "fictional painter" in page
    preview = client.get(url, {"qid": "Q9000001"}).content.decode()
    assert "Harbour Party" in preview and "link and take these" in preview
    assert client.get(url, {"qid": "Q1; DROP"}).status_code == 200  # refused with a message, no request
    response = client.post(url, {"qid": "Q9000001"}, follow=True)
    assert "is linked to Q9000001" in response.content.decode()
    assert Speaker.objects.get(pk=scott.pk).wikidata_qid == "Q9000001"
    fake.mode = "down"
    cache.clear()
    offline = client.get(url).content.decode()
    assert "could not be reached" in offline and "set by hand" in offline
    assert client_for(researcher_user).get(url).status_code == 403


def test_merge_candidates_pair_similar_names_in_one_outlet(client_for, editor_user):
    from django.urls import reverse

    from annotations import services as annotation_services

    jane, jane_m = services.speaker_create(name="Jane Roe"), services.speaker_create(name="Jane M. Roe")
    other = services.speaker_create(name="Jim Roe")
    article = factories.ArticleFactory(outlet="Daily")
    for speaker, text in ((jane, "We will act,"), (jane_m, "The plan is ready."), (other, "We will act,")):
        annotation_services.quote_create(
            article=article, spans=[factories.find_span(article.body, text)], annotator=editor_user, speaker=speaker
        )
    page = client_for(editor_user).get(reverse("review:speaker_candidates"))
    pairs = [(c.first.name, c.second.name) for c in page.context["candidates"]]
    assert pairs == [("Jane Roe", "Jane M. Roe")]
