"""Property-based: whatever the text, no cell starts with a dangerous character, and every path gives
the same rows. On PostgreSQL the default path is COPY; on SQLite the SQL rendering runs through csv.writer."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from taggit.models import Tag

from annotations.models import EntityMention, Quote, Stance, StanceTarget
from corpus.models import Article, Speaker
from exports.codebook import EXPORT_FILES
from exports.writers import csv_bytes
from text.spreadsheet import DANGEROUS_FIRST_CHARS

from .conftest import read_csv

# PostgreSQL text cannot hold NUL; everything else goes, with the dangerous characters up front often.
cell = st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=12)
payload = st.one_of(
    cell, st.builds(lambda c, rest: c + rest, st.sampled_from([*DANGEROUS_FIRST_CHARS, "'", '"']), cell)
)


class _Rollback(Exception):
    pass


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(payload, min_size=8, max_size=8), tag=payload.filter(lambda t: t.strip()))
def test_no_dangerous_cell_and_paths_agree(tricky, values, tag):
    try:
        with transaction.atomic():
            a, b, c, d, e, f, g, h = values
            Article.objects.update(title=a or "x", outlet=b, url=c, byline=d, dateline=e, body=f or "x")
            Speaker.objects.filter(pk=tricky["zoe"].pk).update(name=g or "x", description=h)
            Quote.objects.update(text=a, cue_text=b, speaker_mention_text=c, origin=d, span_offsets=e)
            StanceTarget.objects.update(name=f or "x")
            Stance.objects.update(note=g)
            EntityMention.objects.update(text=h, origin=a)
            Tag.objects.filter(name="zeta").update(name=tag[:99] + "~")
            get_user_model().objects.filter(username="-ann").update(username=b[:149] + "~")
            for export in EXPORT_FILES.values():
                default = read_csv(csv_bytes(export, {"status": "all"}))
                python = read_csv(csv_bytes(export, {"status": "all"}, engine="python"))
                sql = read_csv(csv_bytes(export, {"status": "all"}, engine="sql"))
                assert default == python == sql
                assert default[0] == export.header
                for row in default[1:]:
                    assert len(row) == len(export.columns)
                    for value in row:
                        assert value[:1] not in DANGEROUS_FIRST_CHARS
            raise _Rollback
    except _Rollback:
        pass
