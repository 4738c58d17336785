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


def _options(html: str, select_id: str) -> list[str]:
    import re

    select = re.search(rf'<select id="{select_id}">(.*?)</select>', html, re.S)
    assert select, select_id
    return re.findall(r'<option value="([^"]*)"', select.group(1))


@pytest.mark.django_db
def test_the_new_speaker_form_takes_its_choices_from_the_models(client):
    from corpus.models import RoleCategory, Speaker

    client.force_login(factories.UserFactory(roles=[Role.ANNOTATOR]))
    article = factories.ArticleFactory()
    RoleCategory.objects.create(code="lighthouse-keeper", label="Lighthouse keeper", position=99)
    response = client.get(reverse("annotations:article_annotate", args=[article.pk]))
    html = response.content.decode()
    assert _options(html, "ws-ns-kind") == list(Speaker.Kind.values)
    assert _options(html, "ws-ns-gender") == ["", "woman", "man", "non-binary", "another", "unknown"]
    assert _options(html, "ws-ns-role")[0] == "" and "lighthouse-keeper" in _options(html, "ws-ns-role")
    assert response.context["config"]["noGenderKinds"] == ["group", "organization"]
    assert "Only what the article says" in html  # an annotator's hint; an editor's says the judgment is theirs
    client.force_login(factories.UserFactory(roles=[Role.EDITOR]))
    assert "recorded as your judgment as an editor" in client.get(response.request["PATH_INFO"]).content.decode()


@pytest.mark.django_db
def test_stance_labels_and_quote_kinds_come_from_the_models(client):
    import re

    from annotations.models import Quote, Stance

    client.force_login(factories.UserFactory(roles=[Role.ANNOTATOR]))
    response = client.get(reverse("annotations:article_annotate", args=[factories.ArticleFactory().pk]))
    html = response.content.decode()
    assert _options(html, "ws-stance-label") == list(Stance.Label.values)
    stance = re.search(r'<select id="ws-stance-label">(.*?)</select>', html, re.S).group(1)
    assert re.findall(r">([^<]+)</option>", stance) == [str(label) for label in Stance.Label.labels]
    kinds = re.findall(r'<input type="radio" name="kind" value="([^"]+)"( checked)?> (\d+) ([^<]+)</label>', html)
    # Numbered as the digit keys pick them (config.kinds, one list); the model's default is checked.
    assert kinds == [
        (k["value"], " checked" if k["value"] == Quote.Kind.DIRECT else "", str(n), str(k["label"]))
        for n, k in enumerate(response.context["config"]["kinds"], start=1)
    ]
    assert [k[0] for k in kinds] == list(Quote.Kind.values)
