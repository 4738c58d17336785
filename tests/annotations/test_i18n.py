"""The workspace's interface strings are marked for translation: templates, the scripts' catalogue."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests import factories

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
WORKSPACE_TEMPLATES = ["annotations/article_annotate.html", "annotations/includes/editor.html"]
TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)


def untranslated_text(source: str) -> list[str]:
    """Text between HTML tags, outside template tags, with a letter in it (keys in <kbd> aside)."""
    source = re.sub(r"\{% block (?:body_class|main_class) %\}.*?\{% endblock %\}", "", source)  # CSS classes
    source = TAG.sub("", source)
    source = re.sub(r"<kbd>[^<]*</kbd>", "", source)
    source = re.sub(r"<(script|style)\b.*?</\1>", "", source, flags=re.S)
    found = []
    for text in re.findall(r">([^<>]+)<", source):
        if re.search(r"[A-Za-z]", text):
            found.append(text.strip())
    for value in re.findall(r'\b(?:aria-label|placeholder|title)="([^"]*)"', source):
        if re.search(r"[A-Za-z]", value):
            found.append(value)
    return found


@pytest.mark.parametrize("name", WORKSPACE_TEMPLATES)
def test_workspace_templates_have_no_untranslated_text(name):
    assert untranslated_text((TEMPLATES / name).read_text()) == []


def test_the_check_finds_untranslated_text():
    assert untranslated_text('<p>Save <kbd>q</kbd></p><b aria-label="Close">{% translate "x" %}</b>') == [
        "Save",
        "Close",
    ]


@pytest.mark.django_db
def test_workspace_page_loads_the_script_catalogue_first(client):
    user = factories.UserFactory(roles=[Role.ANNOTATOR])
    article = factories.ArticleFactory()
    client.force_login(user)
    html = client.get(reverse("annotations:article_annotate", args=[article.pk])).content.decode()
    catalogue = reverse("javascript-catalog")
    assert f'<script defer src="{catalogue}">' in html
    assert html.index(catalogue) < html.index('<script type="module" src="/static/annotations/workspace.js"')
    response = client.get(catalogue)
    assert response.status_code == 200
    assert b"gettext" in response.content
