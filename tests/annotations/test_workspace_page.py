"""The workspace page asks for all of its script modules at once (no import waterfall)."""

from pathlib import Path

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests import factories

MODULES = Path(__file__).resolve().parents[2] / "static/annotations"


@pytest.mark.django_db
def test_every_workspace_module_is_preloaded(client):
    client.force_login(factories.UserFactory(roles=[Role.ANNOTATOR]))
    article = factories.ArticleFactory()
    html = client.get(reverse("annotations:article_annotate", args=[article.pk])).content.decode()
    modules = sorted(p.name for p in MODULES.glob("*.js"))
    assert "state.js" in modules and "workspace.js" in modules
    missing = [m for m in modules if f'rel="modulepreload" href="/static/annotations/{m}"' not in html]
    assert missing == []
    assert "<noscript>" in html  # the plain text for pages without scripts; the script draws #ws-text
