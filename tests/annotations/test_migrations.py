"""The curated-layer data migration, run on a database that holds duplicated accepted quotes."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("annotations", "0003_constraint_messages")]
AFTER = [("annotations", "0005_curate_accepted")]

BODY = "“We will act now,” Jane said. “The plan is ready,” she added. Nothing else."


def _apps_at(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_duplicated_accepted_quotes_become_one_curated_quote_each_and_none_is_lost():
    apps = _apps_at(BEFORE)
    User = apps.get_model("auth", "User")
    Article = apps.get_model("corpus", "Article")
    Quote = apps.get_model("annotations", "Quote")
    QuoteSpan = apps.get_model("annotations", "QuoteSpan")
    Stance = apps.get_model("annotations", "Stance")
    StanceTarget = apps.get_model("annotations", "StanceTarget")
    editor = User.objects.create(username="mig-editor")
    annotators = [User.objects.create(username=f"mig-ann{i}") for i in range(3)]
    article = Article.objects.create(title="T", slug="t", body=BODY, body_hash="x")
    target = StanceTarget.objects.create(name="Plan")

    def quote(user, text, *, status="accepted", trim=0):
        start = BODY.index(text)
        end = start + len(text) - trim
        q = Quote.objects.create(
            article=article,
            kind="direct",
            start=start,
            end=end,
            text=BODY[start:end],
            span_offsets=f"{start}-{end}",
            annotator=user,
            status=status,
            reviewed_by=editor if status == "accepted" else None,
            reviewed_at="2024-01-01T00:00:00Z" if status == "accepted" else None,
        )
        QuoteSpan.objects.create(quote=q, position=0, start=start, end=end, text=BODY[start:end])
        return q

    act = [
        quote(annotators[0], "We will act now,"),
        quote(annotators[1], "We will act now,"),
        quote(annotators[2], "We will act now,", trim=5),
    ]  # a shorter span of the same quote
    Stance.objects.create(quote=act[0], target=target, label="favor", annotator=annotators[0])
    plan = [quote(annotators[0], "The plan is ready,"), quote(annotators[1], "The plan is ready,")]
    pending = quote(annotators[2], "The plan is ready,", status="submitted")
    before_rows = set(Quote.objects.values_list("pk", "span_offsets", "annotator_id", "status"))

    apps = _apps_at(AFTER)
    Quote = apps.get_model("annotations", "Quote")
    Stance = apps.get_model("annotations", "Stance")
    curated = list(Quote.objects.filter(layer="curated").order_by("start"))
    assert [c.text for c in curated] == ["We will act now,", "The plan is ready,"]
    assert [(c.support_count, c.supported_by) for c in curated] == [
        (3, "mig-ann0;mig-ann1;mig-ann2"),
        (2, "mig-ann0;mig-ann1"),
    ]
    # Every annotator's quote is still there, unchanged, pointing at its curated quote.
    annotator_rows = Quote.objects.filter(layer="annotation")
    assert set(annotator_rows.values_list("pk", "span_offsets", "annotator_id", "status")) == before_rows
    assert {q.pk: q.curated_id for q in annotator_rows} == {
        **{q.pk: curated[0].pk for q in act},
        **{q.pk: curated[1].pk for q in plan},
        pending.pk: None,
    }
    assert list(Stance.objects.filter(quote=curated[0]).values_list("label", flat=True)) == ["favor"]

    _apps_at([("annotations", "0004_curated_layer")])  # and back: the curated rows go, nothing else
    apps = _apps_at(BEFORE)
    Quote = apps.get_model("annotations", "Quote")
    assert set(Quote.objects.values_list("pk", "span_offsets", "annotator_id", "status")) == before_rows
    _apps_at(MigrationExecutor(connection).loader.graph.leaf_nodes())
