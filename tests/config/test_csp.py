"""Content-Security-Policy on every response, and no inline script anywhere it could be needed."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/admin/login/", "/api/v1/docs", "/no-such-page/"])
def test_every_response_carries_the_policy(client, admin_user, url):
    client.force_login(admin_user)
    policy = client.get(url)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", html):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{path.relative_to(TEMPLATES)}: {tag}")
        offenders += [f"{path.relative_to(TEMPLATES)}: {m}" for m in re.findall(r"\son[a-z]+=\"", html)]
    assert offenders == []


def test_json_script_data_is_not_executable(client, annotator_user, article):
    client.force_login(annotator_user)
    html = client.get(reverse("annotations:article_annotate", args=[article.pk])).content.decode()
    inline = [t for t in re.findall(r"<script\b[^>]*>", html) if "src=" not in t]
    assert inline and all('type="application/json"' in t for t in inline)
