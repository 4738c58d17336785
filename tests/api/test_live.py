"""The README's Python example, run as it stands against a live server with a real token."""

import re
from pathlib import Path

import pytest

from accounts import services
from tests import factories
from tests.api.conftest import curated_quote

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_python_example() -> str:
    api_section = README.read_text(encoding="utf-8").split("## API\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", api_section, flags=re.DOTALL)
    assert len(blocks) == 1, "the API section has one Python example"
    return blocks[0]


@pytest.mark.django_db(transaction=True)
def test_readme_python_example_downloads_a_filtered_quotes_csv(
    live_server, researcher_user, editor_user, annotator_user
):
    person = factories.SpeakerFactory(name="Jane Doe", kind="person")
    group = factories.SpeakerFactory(name="Critics", kind="group")
    kept = curated_quote(editor=editor_user, annotator_user=annotator_user, speaker=person)
    curated_quote(editor=editor_user, annotator_user=annotator_user, speaker=group)
    _, token = services.api_token_create(user=researcher_user, name="readme", read_only=True)

    code = readme_python_example()
    assert 'BASE = "http://127.0.0.1:8000"' in code and 'TOKEN = "qt_..."' in code
    code = code.replace('BASE = "http://127.0.0.1:8000"', f"BASE = {live_server.url!r}")
    code = code.replace('TOKEN = "qt_..."', f"TOKEN = {token!r}")
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)

    assert [q["id"] for q in namespace["page"]["results"]] == [kept.pk]
    rows = namespace["rows"]
    assert [int(r["quote_id"]) for r in rows] == [kept.pk]
    assert rows[0]["speaker_name"] == "Jane Doe"
