"""Two editors acting on one quote at the same time, in two real PostgreSQL transactions."""

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from annotations.exceptions import VersionConflict
from annotations.models import Quote, QuoteEvent, Status
from review import services
from tests.factories import editor, make_quote

from .conftest import submit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_in_thread(fn, results, key):
    def target():
        try:
            results[key] = fn()
        except VersionConflict as conflict:
            results[key] = conflict
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    return thread


def test_second_editor_waits_for_the_first_then_gets_a_conflict():
    first, second = editor(), editor()
    quote = submit(make_quote())
    seen = quote.version
    first_holds_lock = threading.Event()
    results = {}

    def editor_one():
        with transaction.atomic():
            result = services.quote_review(quote=quote, reviewer=first, decision="accept", expected_version=seen)
            first_holds_lock.set()
            # Keep the transaction (and the row lock) open while the second editor tries.
            threading.Event().wait(0.8)
            return result

    def editor_two():
        first_holds_lock.wait(5)
        return services.quote_review(
            quote=quote, reviewer=second, decision="reject", expected_version=seen, reason="Not a quote"
        )

    threads = [run_in_thread(editor_one, results, "one"), run_in_thread(editor_two, results, "two")]
    for t in threads:
        t.join(15)
    close_old_connections()
    assert isinstance(results["one"], Quote) and results["one"].status == Status.ACCEPTED
    conflict = results["two"]
    assert isinstance(conflict, VersionConflict)
    # The second editor blocked on the row lock and then saw the committed state, not a stale one.
    assert conflict.current.status == Status.ACCEPTED and conflict.current.version == seen + 1
    assert "version" in str(conflict)
    stored = Quote.objects.get(pk=quote.pk)
    assert (stored.status, stored.reviewed_by_id, stored.version) == (Status.ACCEPTED, first.pk, seen + 1)
    assert QuoteEvent.objects.filter(quote=quote, action__in=["accept", "reject"]).count() == 1


@pytest.mark.parametrize("round_", range(3))
def test_simultaneous_start_exactly_one_wins(round_):
    editors = [editor(), editor()]
    quote = submit(make_quote())
    seen = quote.version
    barrier = threading.Barrier(2)
    results = {}

    def act(i):
        def fn():
            barrier.wait(5)
            if i == 0:
                return services.quote_correct_and_accept(
                    quote=quote, reviewer=editors[0], expected_version=seen, kind="indirect"
                )
            return services.quote_review(
                quote=quote, reviewer=editors[1], decision="reject", expected_version=seen, reason="Duplicate"
            )

        return fn

    threads = [run_in_thread(act(i), results, i) for i in range(2)]
    for t in threads:
        t.join(15)
    close_old_connections()
    outcomes = sorted(type(r).__name__ for r in results.values())
    assert outcomes == ["Quote", "VersionConflict"]
    stored = Quote.objects.get(pk=quote.pk)
    winner = next(r for r in results.values() if isinstance(r, Quote))
    assert stored.version == seen + 1 and stored.status == winner.status
    assert QuoteEvent.objects.filter(quote=quote, action__in=["accept", "reject", "correct"]).count() == 1


def test_concurrent_bulk_actions_never_review_twice():
    editors = [editor(), editor()]
    quotes = [submit(make_quote()) for _ in range(6)]
    ids = [q.pk for q in quotes]
    barrier = threading.Barrier(2)
    results = {}

    def act(i):
        def fn():
            barrier.wait(5)
            decision = "accept" if i == 0 else "reject"
            return services.bulk_review(
                quote_ids=ids if i == 0 else list(reversed(ids)), reviewer=editors[i], decision=decision, reason="r"
            )

        return fn

    threads = [run_in_thread(act(i), results, i) for i in range(2)]
    for t in threads:
        t.join(20)
    close_old_connections()
    done = [o for outcomes in results.values() for o in outcomes if o.outcome in ("accepted", "rejected")]
    unchanged = [o for outcomes in results.values() for o in outcomes if o.outcome == "unchanged"]
    assert len(done) == 6 and len(unchanged) == 6
    assert QuoteEvent.objects.filter(quote_id__in=ids, action__in=["accept", "reject"]).count() == 6
