"""Every operation × every kind of caller: the same roles as the pages (accounts.roles).

Logged-in roles call with the session; the token rows use tokens of the editor (who may do
everything), so a 403 / 401 there comes from the token alone.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts import services
from accounts.models import ApiToken
from annotations import services as annotation_services
from annotations.models import EntityMention, Quote, Stance, StanceTarget, Status
from corpus.models import Article, Speaker
from jobs import services as job_services
from jobs.models import Job
from releases.models import Release
from suggestions.models import Suggestion
from tests import factories
from tests.api.conftest import API, curated_quote, submitted_quote
from tests.suggestions.factories import article_with_suggestions

pytestmark = pytest.mark.django_db

VISITORS = [
    "anonymous",
    "annotator",
    "other_annotator",
    "editor",
    "researcher",
    "admin",
    "read_only_token",
    "expired_token",
    "revoked_token",
]
TOKEN_FAILS = {"anonymous", "expired_token", "revoked_token"}  # 401 on every operation

RESEARCH = {"editor", "researcher", "admin", "read_only_token"}
ARTICLES = RESEARCH | {"annotator", "other_annotator"}
OWN_LAYER = {"annotator", "other_annotator", "editor", "admin", "read_only_token"}
OWN_QUOTE = {"annotator", "editor", "admin", "read_only_token"}  # ann's submitted quote
EDITORS = {"editor", "admin", "read_only_token"}
EDITOR_WRITES = {"editor", "admin"}
ANNOTATOR_WRITES = {"annotator", "other_annotator", "editor", "admin"}
OWNER_WRITES = {"annotator"}  # the API changes your own layer only
# The workspace's operations: the workspace page's roles; editors may change anyone's annotations there.
WORKSPACE = {"annotator", "other_annotator", "editor", "admin", "read_only_token"}
WORKSPACE_CHANGE = {"annotator", "editor", "admin"}  # ann's submitted quote, her mention and stance

SIGNED_IN = {"annotator", "other_annotator", "editor", "researcher", "admin"}

UPLOAD = "upload"  # a body of its own: a multipart upload of one new article (.jsonl)

# name, method, path (formatted with the context), body (or None), who gets 200
OPERATIONS = [
    ("article list", "get", "articles", None, ARTICLES),
    ("article detail", "get", "articles/{article}", None, ARTICLES),
    ("quote list (curated)", "get", "quotes", None, RESEARCH),
    ("quote list (mine)", "get", "quotes?layer=mine", None, OWN_LAYER),
    ("curated quote", "get", "quotes/{curated}", None, RESEARCH),
    ("own-layer quote", "get", "quotes/{submitted}", None, OWN_QUOTE),
    ("speaker list", "get", "speakers", None, RESEARCH),
    ("speaker detail", "get", "speakers/{speaker}", None, RESEARCH),
    ("mentions", "get", "mentions", None, RESEARCH),
    ("stances", "get", "stances", None, RESEARCH),
    ("stance targets", "get", "stance-targets", None, RESEARCH),
    ("agreement", "get", "agreement", None, EDITORS),
    ("article agreement", "get", "agreement/articles/{article}", None, EDITORS),
    ("export links", "get", "exports", None, RESEARCH),
    ("release list", "get", "releases", None, RESEARCH),
    ("release detail", "get", "releases/{release}", None, RESEARCH),
    ("release download link", "get", "releases/{release}/download", None, RESEARCH),
    ("create release", "post", "releases", {"name": "new-corpus", "version": "1.0.0"}, EDITOR_WRITES),
    ("accept", "post", "review/quotes/{submitted}/accept", {"version": "{version}"}, EDITOR_WRITES),
    ("reject", "post", "review/quotes/{submitted}/reject", {"version": "{version}", "reason": "No."}, EDITOR_WRITES),
    ("correct", "post", "review/quotes/{submitted}/correct", {"version": "{version}", "kind": "mixed"}, EDITOR_WRITES),
    ("create quote", "post", "quotes", {"article": "{article}", "spans": [[0, 10]]}, ANNOTATOR_WRITES),
    ("update quote", "patch", "quotes/{submitted}", {"version": "{version}", "kind": "mixed"}, OWNER_WRITES),
    ("ws state", "get", "workspace/articles/{article}", None, WORKSPACE),
    ("ws quote", "get", "workspace/quotes/{submitted}", None, OWN_QUOTE),
    (
        "ws create quote",
        "post",
        "workspace/articles/{article}/quotes",
        {"spans": [[0, 10]], "kind": "direct"},
        ANNOTATOR_WRITES,
    ),
    (
        "ws update quote",
        "patch",
        "workspace/quotes/{submitted}",
        {"version": "{version}", "kind": "mixed"},
        WORKSPACE_CHANGE,
    ),
    ("ws delete quote", "delete", "workspace/quotes/{submitted}", None, WORKSPACE_CHANGE),
    (
        "ws set stance",
        "post",
        "workspace/quotes/{submitted}/stances",
        {"target_name": "The plan", "label": "favor"},
        WORKSPACE_CHANGE,
    ),
    ("ws delete stance", "delete", "workspace/stances/{stance}", None, WORKSPACE_CHANGE),
    (
        "ws create mention",
        "post",
        "workspace/articles/{article}/mentions",
        {"start": "{free_start}", "end": "{free_end}", "label": "ORG"},
        ANNOTATOR_WRITES,
    ),
    ("ws update mention", "patch", "workspace/mentions/{mention}", {"label": "ORG"}, WORKSPACE_CHANGE),
    ("ws delete mention", "delete", "workspace/mentions/{mention}", None, WORKSPACE_CHANGE),
    ("ws submit", "post", "workspace/articles/{article}/submit", {}, ANNOTATOR_WRITES),
    ("ws speakers", "get", "workspace/speakers?q=jane", None, WORKSPACE),
    ("ws create speaker", "post", "workspace/speakers", {"name": "New Person"}, ANNOTATOR_WRITES),
    # Wikidata is off in the tests: the role check comes first, then 200 with ``available: false``.
    ("ws wikidata search", "get", "workspace/wikidata?q=jane", None, WORKSPACE),
    ("ws targets", "get", "workspace/stance-targets?q=plan", None, WORKSPACE),
    ("ws create target", "post", "workspace/stance-targets", {"name": "A new target"}, ANNOTATOR_WRITES),
    # the suggestions pages' roles: annotators and editors
    ("suggestions", "get", "suggestions/articles/{sg_article}", None, WORKSPACE),
    ("run suggester", "post", "suggestions/articles/{sg_article}/suggest", {}, ANNOTATOR_WRITES),
    (
        "push suggestions",
        "post",
        "suggestions/articles/{sg_article}",
        {"model": "my-model", "suggestions": []},
        ANNOTATOR_WRITES,
    ),
    ("accept suggestion", "post", "suggestions/{sg_first}/accept", {}, ANNOTATOR_WRITES),
    ("reject suggestion", "post", "suggestions/{sg_second}/reject", {}, ANNOTATOR_WRITES),
    # the import page's role: editors (a multipart upload)
    ("import articles", "post", "articles/import", UPLOAD, EDITOR_WRITES),
    # the filters' lookup boxes: the roles of the pages that have such filters
    ("lookup", "get", "lookup/{kind}?q=Jane", None, SIGNED_IN | {"read_only_token"}),
    # one's own preferences: anyone signed in
    ("preferences", "get", "preferences", None, SIGNED_IN | {"read_only_token"}),
    ("set preferences", "post", "preferences", {"arcs": "all"}, SIGNED_IN),
    # background jobs: your own (editors: all); the editor's jobs here
    ("jobs", "get", "jobs", None, SIGNED_IN | {"read_only_token"}),
    ("job", "get", "jobs/{job}", None, EDITORS),
    ("cancel job", "post", "jobs/{job}/cancel", {}, EDITOR_WRITES),
    ("retry job", "post", "jobs/{failed_job}/retry", {}, EDITOR_WRITES),
]
CREATED = {
    "create release",
    "create quote",
    "ws create quote",
    "ws set stance",
    "ws create mention",
    "ws create speaker",
    "ws create target",
}
QUOTE_CREATED = {"create quote", "ws create quote", "accept suggestion"}
CHANGES_SUBMITTED = {"accept", "reject", "correct", "update quote", "ws update quote"}
DELETES_SUBMITTED = {"ws delete quote"}


@pytest.fixture
def world(annotator_user, other_annotator, editor_user, researcher_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    release = factories.published_release(user=editor_user)
    article = factories.ArticleFactory()
    speaker = factories.SpeakerFactory(name="Jane Doe")
    curated = curated_quote(editor=editor_user, annotator_user=other_annotator, article=article, speaker=speaker)
    submitted = submitted_quote(annotator_user=annotator_user, article=article, text="The plan is ready.")
    target = factories.StanceTargetFactory(name="the plan")
    stance = annotation_services.stance_set(quote=submitted, target=target, label="against", annotator=annotator_user)
    mention = factories.make_mention(article=article, annotator_user=annotator_user)
    free = factories.find_span(article.body, "Officials")
    sg_article, suggested = article_with_suggestions()
    job = job_services.job_enqueue(kind="agreement_refresh", params={}, user=editor_user)
    failed_job = job_services.job_cancel(
        job=job_services.job_enqueue(kind="agreement_refresh", params={}, user=editor_user), user=editor_user
    )
    submitted.refresh_from_db()
    return {
        "users": {
            "annotator": annotator_user,
            "other_annotator": other_annotator,
            "editor": editor_user,
            "researcher": researcher_user,
            "admin": admin_user,
        },
        "ids": {
            "article": article.pk,
            "curated": curated.pk,
            "submitted": submitted.pk,
            "speaker": speaker.pk,
            "stance": stance.pk,
            "mention": mention.pk,
            "sg_article": sg_article.pk,
            "kind": "speakers",
            "sg_first": suggested[0].pk,
            "sg_second": suggested[1].pk,
            "job": job.pk,
            "failed_job": failed_job.pk,
            "release": release.pk,
        },
        "free": free,
        "version": submitted.version,
        "submitted": submitted,
    }


def _token(user, kind: str) -> str:
    token, raw = services.api_token_create(user=user, name=kind, read_only=kind == "read_only_token", expires_days=1)
    if kind == "expired_token":
        now = timezone.now()
        ApiToken.objects.filter(pk=token.pk).update(
            created=now - datetime.timedelta(days=3), expires_at=now - datetime.timedelta(days=1)
        )
    if kind == "revoked_token":
        services.api_token_revoke(token=token, by=user)
    return raw


def _call(client, world, visitor: str, method: str, path: str, body):
    headers = {}
    if visitor in world["users"]:
        client.force_login(world["users"][visitor])
    elif visitor.endswith("_token"):
        headers["Authorization"] = f"Bearer {_token(world['users']['editor'], visitor)}"
    url = API + path.format(**world["ids"])
    if method == "get":
        return client.get(url, headers=headers)
    if body is None:
        return getattr(client, method)(url, headers=headers)
    if body == UPLOAD:
        upload = SimpleUploadedFile("new.jsonl", b'{"title": "Imported", "body": "An imported article."}')
        return client.post(url, {"files": [upload]}, headers=headers)
    values = {
        "{version}": world["version"],
        "{article}": world["ids"]["article"],
        "{free_start}": world["free"][0],
        "{free_end}": world["free"][1],
    }
    payload = {k: values.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    return getattr(client, method)(url, payload, content_type="application/json", headers=headers)


def _counts():
    return [m.objects.count() for m in (Quote, EntityMention, Stance, Speaker, StanceTarget, Article)] + [
        sorted(Suggestion.objects.values_list("pk", "status")),
        Release.objects.count(),
    ]


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize(("name", "method", "path", "body", "allowed"), OPERATIONS, ids=[op[0] for op in OPERATIONS])
def test_permission_matrix(client, world, visitor, name, method, path, body, allowed):
    before = Quote.objects.get(pk=world["ids"]["submitted"])
    counts = _counts()
    response = _call(client, world, visitor, method, path, body)
    if visitor in allowed:
        expected = 201 if name in CREATED else 200
    elif visitor in TOKEN_FAILS:
        expected = 401
    else:
        expected = 403
    assert response.status_code == expected, (name, visitor, response.content)
    if expected >= 400:
        assert response["Content-Type"] == "application/problem+json"
        assert _counts() == counts
    after = Quote.objects.filter(pk=world["ids"]["submitted"]).first()
    if name in QUOTE_CREATED:
        assert Quote.objects.count() == counts[0] + (1 if expected in (200, 201) else 0)
    elif name == "create release" and expected == 201:
        # Created pending, with its build queued as a background job for a worker.
        release = Release.objects.get(name="new-corpus")
        assert release.status == Release.Status.PENDING
        assert Job.objects.filter(kind="release_build", params={"release": release.pk}).exists()
    elif name == "import articles" and expected == 200:
        assert Article.objects.count() == counts[5] + 1
    elif name in DELETES_SUBMITTED and expected == 200:
        assert after is None
    elif name in CHANGES_SUBMITTED and expected == 200:
        assert after.version > before.version or after.status != Status.SUBMITTED
    elif method == "get" or expected >= 400:
        assert (after.status, after.version) == (before.status, before.version)
        assert Quote.objects.count() == counts[0]


def test_matrix_covers_every_operation_of_the_api():
    from api.main import api

    schema = api.get_openapi_schema()
    operations = {(m, p) for p, item in schema["paths"].items() for m in item}
    covered = {
        (
            m,
            "/api/v1/"
            + path.split("?")[0]
            .replace("{article}", "{pk}")
            .replace("{curated}", "{pk}")
            .replace("{submitted}", "{pk}")
            .replace("{speaker}", "{pk}")
            .replace("{stance}", "{pk}")
            .replace("{mention}", "{pk}")
            .replace("{sg_article}", "{pk}")
            .replace("{sg_first}", "{pk}")
            .replace("{sg_second}", "{pk}")
            .replace("{failed_job}", "{pk}")
            .replace("{job}", "{pk}")
            .replace("{release}", "{pk}"),
        )
        for _, m, path, _, _ in OPERATIONS
    }
    assert operations <= covered, operations - covered
