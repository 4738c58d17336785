"""Every surface refuses text that cannot be stored, and nothing changes: generated, not listed.

The surfaces come from the URL patterns and from the forms the pages render: every page is opened
as an administrator (who sees every form), every ``<form method="post">`` found on the way is
recorded with its fields under the route its action names, and every API operation comes from the
OpenAPI document. A new page, form, field or operation is covered without anyone adding it here.
Each field then gets a NUL, bytes that are not UTF-8, an encoded surrogate and (with a small body
limit) an oversized value. The answer must be a 400 or 413 that says what was wrong, and every row
of every table must be as it was.
"""

import hashlib
import json
from contextlib import contextmanager
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from django.apps import apps
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from accounts import services as account_services
from corpus import services as corpus_services
from review import services as review_services
from tests import factories
from tests.api.conftest import curated_quote, submitted_quote

pytestmark = pytest.mark.django_db

# As the bytes of a urlencoded value: what Django's parsers would otherwise turn into U+FFFD, or
# what PostgreSQL refuses.
BAD_FORM_VALUES = {"nul": b"a%00b", "not utf-8": b"%FF%FEab", "encoded surrogate": b"%ED%A0%80"}
BAD_JSON_VALUES = {"nul": "a\u0000b", "lone surrogate": "\ud800"}
SMALL_LIMIT = 4096

# Apps whose rows the fingerprint compares (sessions change with every login, so they are left out).
APPS = ("auth", "taggit", "accounts", "corpus", "annotations", "review", "research", "suggestions", "ingest")


def fingerprint() -> str:
    digest = hashlib.sha256()
    for config in apps.get_app_configs():
        if config.label not in APPS:
            continue
        for model in config.get_models():
            rows = model._default_manager.order_by("pk").values_list()
            digest.update(f"{model._meta.label}:{list(rows)!r}".encode())
    return digest.hexdigest()


def routes(patterns=None, prefix="/"):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


class Forms(HTMLParser):
    """The POST forms of a page: action → field names; and the field names of its GET forms."""

    def __init__(self, page_url):
        super().__init__()
        self.page_url = page_url
        self.post: dict[str, set[str]] = {}
        self.get_fields: set[str] = set()
        self._current: set[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("action") or self.page_url
            if (attrs.get("method") or "get").lower() == "post":
                self._current = self.post.setdefault(urlsplit(action).path, set())
            else:
                self._current = self.get_fields
        elif (
            tag in ("input", "textarea", "select", "button")
            and self._current is not None
            and attrs.get("name")
            and attrs.get("type") != "file"
        ):
            self._current.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


@pytest.fixture
def world(admin_user, editor_user, annotator_user, other_annotator, researcher_user):
    """One of everything a URL can name, so that every pattern with a pk opens a real page."""
    quote = curated_quote(editor=editor_user, annotator_user=annotator_user)
    submitted = submitted_quote(annotator_user=other_annotator, article=quote.article)
    speaker = factories.SpeakerFactory(name="Ada Guard")
    other_speaker = factories.SpeakerFactory(name="Ada Guard-Two")
    merge = review_services.speaker_merge(source=other_speaker, target=speaker, actor=editor_user)
    # A proposed Wikidata item: the proposals page shows its Confirm and Reject forms.
    corpus_services.speaker_create(name="Ada Proposed", wikidata_pick="Q77", actor=annotator_user)
    token, _raw = account_services.api_token_create(user=admin_user, name="guard")
    review_services.assignments_create(articles=[quote.article], annotators=[annotator_user], assigned_by=editor_user)
    candidates = [quote.article.pk, quote.pk, submitted.pk, speaker.pk, merge.pk, token.pk]
    return {"pks": sorted(set(candidates)), "admin": admin_user}


def concrete(route: str, pk: int) -> str:
    path = route
    for converter in ("<int:pk>", "<slug:kind>", "<slug:slug>"):
        path = path.replace(converter, {"<int:pk>": str(pk)}.get(converter, "articles"))
    return path


def discover(client, pks):
    """Open every page route as the administrator; gather the POST forms and GET fields they show."""
    post_forms: dict[str, set[str]] = {}
    get_fields: dict[str, set[str]] = {}
    pages = []
    for route, _pattern in routes():
        # The API has its own generated test below; the admin's forms come from admin_pages().
        if route.startswith(("/api/", "/admin/")) or "<" in route.replace("<int:pk>", "").replace("<slug:kind>", ""):
            continue
        candidates = [concrete(route, pk) for pk in pks] if "<int:pk>" in route else [route]
        for url in candidates:
            response = client.get(url)
            if response.status_code == 404:
                continue
            pages.append(url)
            if "text/html" in response.get("Content-Type", ""):
                parser = Forms(url)
                parser.feed(response.content.decode())
                for action, fields in parser.post.items():
                    post_forms.setdefault(action, set()).update(fields)
                get_fields[url] = parser.get_fields | {"q"}
            break
    return pages, post_forms, get_fields


def admin_pages():
    """The admin's list and add pages of every model of ours: those forms are surfaces too."""
    from django.contrib import admin

    for model in admin.site._registry:
        if model._meta.app_label in APPS and model._meta.app_label not in ("auth", "taggit"):
            yield f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
            yield f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/"


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class Unchanged:
    """No request writes a row; at the end, every row of every table is as it was at the start.

    Each request runs under a query log that must hold no write (a cheap check, per request); the
    fingerprint of every table is compared once at the end (the thorough one).
    """

    def __init__(self):
        self.value = fingerprint()

    @contextmanager
    def request(self):
        with CaptureQueriesContext(connection) as log:
            yield
        writes = [q["sql"] for q in log.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]
        assert not [sql for sql in writes if "django_session" not in sql], writes

    def check(self):
        assert fingerprint() == self.value


def assert_refused(response, status=400):
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert "Nothing was saved" in response.content.decode()


def test_every_form_field_and_query_parameter_refuses_text_that_cannot_be_stored(client, world):
    client.force_login(world["admin"])
    pages, post_forms, get_fields = discover(client, world["pks"])
    for url in admin_pages():
        response = client.get(url)
        if response.status_code == 200:
            parser = Forms(url)
            parser.feed(response.content.decode())
            for action, fields in parser.post.items():
                post_forms.setdefault(action, set()).update(fields)
            if url.endswith("/add/"):
                continue
            get_fields[url] = {"q"}  # the search box; the list filters are links
    # Every form found posts to a route of ours; its fields are what the generator fills.
    assert len(pages) > 40 and len(post_forms) > 15, (len(pages), sorted(post_forms))
    assert any(action.endswith("/wikidata/proposal/reject/") for action in post_forms), sorted(post_forms)

    checked = 0
    unchanged = Unchanged()
    for url, fields in get_fields.items():
        for name in sorted(fields):
            for label, raw in BAD_FORM_VALUES.items():
                with unchanged.request():
                    response = client.get(f"{url}?{quote(name)}={raw.decode()}")
                assert_refused(response)
                assert name in response.content.decode(), (url, name, label)
                checked += 1
    for action, fields in sorted(post_forms.items()):
        try:
            resolve(action)
        except Resolver404:
            pytest.fail(f"a form posts to {action}, which no URL pattern serves")
        benign = {name: b"1" for name in fields if name != "csrfmiddlewaretoken"}
        for name in sorted(benign):
            for label, raw in BAD_FORM_VALUES.items():
                body = b"&".join(quote(k).encode() + b"=" + (raw if k == name else v) for k, v in benign.items())
                with unchanged.request():
                    response = client.post(action, body, content_type="application/x-www-form-urlencoded")
                assert_refused(response)
                assert name in response.content.decode(), (action, name, label)
                checked += 1
    unchanged.check()
    assert checked > 300


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=SMALL_LIMIT)
def test_every_form_refuses_an_oversized_body_with_a_413(client, world):
    client.force_login(world["admin"])
    _pages, post_forms, _get = discover(client, world["pks"])
    unchanged = Unchanged()
    for action, fields in sorted(post_forms.items()):
        name = sorted(fields - {"csrfmiddlewaretoken"} or {"text"})[0]
        with unchanged.request():
            response = client.post(action, {name: "x" * (SMALL_LIMIT + 1)})
        assert_refused(response, status=413)
        assert f"{SMALL_LIMIT:,} bytes" in response.content.decode()
    unchanged.check()


def _operations(client):
    document = client.get("/api/v1/openapi.json").json()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation, document


def _body_fields(operation, document):
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return []
    schema = content["schema"]
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return list(schema.get("properties", {})) or ["text"]


def test_every_api_operation_refuses_text_that_cannot_be_stored(client, world):
    client.force_login(world["admin"])
    csrf = {"HTTP_X_CSRFTOKEN": "unused"}  # the test client does not enforce CSRF
    checked = 0
    unchanged = Unchanged()
    for path, method, operation, document in _operations(client):
        url = "/api/v1" + path.removeprefix("/api/v1")
        url = url.replace("{pk}", str(world["pks"][0]))
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            for label, raw in BAD_FORM_VALUES.items():
                with unchanged.request():
                    response = client.generic(method.upper(), f"{url}?{parameter['name']}={raw.decode()}", **csrf)
                assert response.status_code == 400, (method, url, parameter["name"], label, response.content[:200])
                assert response["Content-Type"].startswith("application/problem+json")
                checked += 1
        for name in _body_fields(operation, document):
            for label, value in BAD_JSON_VALUES.items():
                body = json.dumps({name: value})
                with unchanged.request():
                    response = client.generic(method.upper(), url, body, content_type="application/json", **csrf)
                assert response.status_code == 400, (method, url, name, label, response.content[:200])
                assert name in response.json()["detail"]
                checked += 1
    unchanged.check()
    assert checked > 100


# Every format of the import form: ingest.forms.FORMAT_CHOICES (checked below).
@pytest.mark.parametrize(
    ("filename", "content", "words"),
    [
        ("d.jsonl", b'{"text": "nul \\u0000 here", "label": []}\n', "NUL"),
        ("d.jsonl", b'{"text": "bad \xff bytes", "label": []}\n', "UTF-8"),
        ("b.ann", b"T1\tPERSON 0 4\tbad \xff\n", "UTF-8"),
        ("a.txt", b"Title\n\nA body with a NUL \x00 byte.\n", "NUL"),
        ("a.txt", b"Title\n\nA body with \xff\xfe bytes.\n", "UTF-8"),
        ("a.jsonl", b'{"title": "T", "body": "nul \\u0000 here"}\n', "NUL"),
        ("a.jsonl", b'{"title": "T", "body": "half \\ud800 pair"}\n', "surrogate"),
        ("a.jsonl", b'{"title": "T", "body": "bad \xed\xa0\x80 bytes"}\n', "UTF-8"),
        ("a.csv", b"title,body\nT,nul \x00 here\n", "NUL"),
        ("a.csv", b"title,body\nT,bad \xc3\x28 bytes\n", "UTF-8"),
    ],
)
def test_every_import_format_refuses_what_is_not_text(client, world, filename, content, words):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fmt = {"d.jsonl": "doccano", "b.ann": "brat"}.get(filename, "")
    files = [SimpleUploadedFile(filename, content)]
    if fmt == "brat":
        files.append(SimpleUploadedFile("b.txt", b"Jane said so.\n"))
    client.force_login(world["admin"])
    before = fingerprint()
    response = client.post("/ingest/", {"files": files, "status": "draft", "format": fmt})
    assert response.status_code in (200, 400)
    assert words in response.content.decode()
    assert fingerprint() == before


def test_the_import_cases_cover_every_format_of_the_form():
    from ingest.forms import FORMAT_CHOICES

    cases = test_every_import_format_refuses_what_is_not_text.pytestmark[0].args[1]
    covered = {name.rsplit(".", 1)[1] for name, _content, _words in cases} | {"doccano", "brat"}
    assert {value for value, _label in FORMAT_CHOICES if value} <= covered


@override_settings(IMPORT_MAX_BYTES=1000)
def test_an_import_file_over_the_limit_is_refused_with_its_size(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world["admin"])
    before = fingerprint()
    response = client.post(
        "/ingest/", {"files": SimpleUploadedFile("big.txt", b"Title\n\n" + b"x" * 2000), "status": "draft"}
    )
    assert response.status_code in (200, 400, 413)
    assert "1,000 bytes" in response.content.decode()
    assert fingerprint() == before


def test_a_multipart_field_with_bytes_that_are_not_utf8_is_refused(client, world):
    client.force_login(world["admin"])
    boundary = "guardboundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\n'.encode()
        + b"Title\n\nbad \xff bytes\r\n"
        + f"--{boundary}--\r\n".encode()
    )
    unchanged = Unchanged()
    with unchanged.request():
        response = client.post("/ingest/", body, content_type=f"multipart/form-data; boundary={boundary}")
    assert_refused(response)
    unchanged.check()
    assert "“text”" in response.content.decode() and "UTF-8" in response.content.decode()
