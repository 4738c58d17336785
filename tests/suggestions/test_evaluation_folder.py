"""evaluate_suggestions --folder (alias of --gold-dir): figures by kind and boundary precision."""

import json
from io import StringIO

from django.core.management import call_command

from tests.factories import find_span


def test_folder_prints_figures_by_kind_and_boundary_precision(tmp_path):
    body = "“We will act,” Jane Doe said. The bridge would reopen in May, two city officials said."
    quotes = [
        {"kind": "direct", "spans": [list(find_span(body, "We will act,"))], "speaker": "Jane Doe"},
        {"kind": "indirect", "spans": [list(find_span(body, "The bridge would reopen"))], "speaker": "officials"},
    ]
    (tmp_path / "a.json").write_text(json.dumps({"text": body, "quotes": quotes}), encoding="utf-8")
    out = StringIO()
    call_command("evaluate_suggestions", "--folder", str(tmp_path), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["by_kind"]["direct"]["0.3"] == {"precision": 100.0, "recall": 100.0}
    assert data["by_kind"]["indirect"]["gold"] == 1 and data["by_kind"]["indirect"]["0.3"]["recall"] == 100.0
    # the suggestion "The bridge would reopen in May" runs 7 characters past the gold span
    inside = len("We will act,") + len("The bridge would reopen")
    predicted = len("We will act,") + len("The bridge would reopen in May")
    assert data["boundary_precision"] == round(100 * inside / predicted, 1)
    out = StringIO()
    call_command("evaluate_suggestions", "--folder", str(tmp_path), stdout=out)
    assert "Boundary precision" in out.getvalue() and "indirect" in out.getvalue()
