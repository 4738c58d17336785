"""Server time of the “Who gets quoted” page at two corpus sizes, on PostgreSQL.

Builds (or reuses, with ``--reuse``) one database per size with ``export_bench``'s generator, gives
two thirds of the speakers a gender and half a role (the rest stay unknown), fills the summary table
(``research.SpeakerTally``, with the grouping ``refresh_stats`` stores), and times the page
through the test client: median of 5 requests, for the gender, role and kind views, unfiltered,
filtered by an outlet and by a year (both read from the summary), and by a tag (counted from the
quotes, up to ``LIVE_LIMIT``). Prints one line per case, the queries of each, and ends with
``who max_ms_large=X``.

    python benchmarks/who_bench.py --small 10000 --large 1000000
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import export_bench  # noqa: E402

ATTRIBUTES = """
INSERT INTO corpus_speakerattribute (speaker_id, name, value, source, evidence, wikidata_qid, set_at)
SELECT id, 'gender', (ARRAY['woman','man','man','unknown'])[1 + id % 4], 'editor', '', '', now()
FROM corpus_speaker WHERE kind = 'person' AND id % 3 <> 0
ON CONFLICT DO NOTHING;
INSERT INTO corpus_speakerattribute (speaker_id, name, value, source, evidence, wikidata_qid, set_at)
SELECT id, 'gender', 'not-applicable', 'editor', '', '', now() FROM corpus_speaker WHERE kind <> 'person'
ON CONFLICT DO NOTHING;
INSERT INTO corpus_speakerattribute (speaker_id, name, value, source, evidence, wikidata_qid, set_at)
SELECT id, 'role', (ARRAY['politician','government-official','expert','business','public'])[1 + id % 5], 'import',
       '', '', now()
FROM corpus_speaker WHERE id % 2 = 0
ON CONFLICT DO NOTHING
"""


# What ``refresh_stats`` stores in SpeakerTally, in one statement: a bulk load bypasses the services, and
# recounting 100,000 articles one batch at a time takes minutes (``pages_bench.py`` times it). The
# tests prove the per-article recount equals this grouping (tests/research/test_summary_tables.py).
FILL = """
INSERT INTO research_speakertally (speaker_id, outlet, month, n)
SELECT q.speaker_id, a.outlet, coalesce(to_char(a.published, 'YYYY-MM'), ''), count(*)
FROM annotations_quote q JOIN corpus_article a ON a.id = q.article_id
WHERE q.layer = 'curated'
GROUP BY 1, 2, 3
"""


def fill_summaries(url: str) -> None:
    """Fill the summary of who gets quoted unless it is there already."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        if conn.execute("SELECT EXISTS (SELECT 1 FROM research_speakertally)").fetchone()[0]:
            return
        started = time.perf_counter()
        conn.execute(FILL)
        rows = conn.execute("SELECT count(*) FROM research_speakertally").fetchone()[0]
        print(f"summary filled: {rows:,} rows in {time.perf_counter() - started:.0f} s", flush=True)
        conn.execute("VACUUM ANALYZE research_speakertally")


def prepare(url: str, quotes: int, reuse: bool) -> None:
    env = export_bench.server_env(url)
    import psycopg

    if reuse:
        try:
            with psycopg.connect(url) as conn:
                found = conn.execute("SELECT count(*) FROM annotations_quote").fetchone()[0]
            if found == quotes:
                subprocess.run(
                    [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
                )
                with psycopg.connect(url, autocommit=True) as conn:
                    for statement in ATTRIBUTES.split(";\n"):
                        conn.execute(statement)
                    conn.execute("ANALYZE")
                fill_summaries(url)
                return
        except psycopg.OperationalError:
            pass
    export_bench.recreate_database(url)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import sys; sys.path.insert(0, 'benchmarks'); import django, os; django.setup(); import export_bench; "
                f"export_bench.generate({url!r}, {quotes})"
            ),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in ATTRIBUTES.split(";\n"):
            conn.execute(statement)
        conn.execute("ANALYZE")
    fill_summaries(url)


def time_pages(url: str) -> dict[str, float]:
    """Run in a child process so each size gets its own Django connection."""
    code = r"""
import json, statistics, time
import django; django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
user, _ = get_user_model().objects.get_or_create(username="who-bench", defaults={"is_superuser": True})
client = Client(); client.force_login(user)
from django.db import connection
from django.test.utils import CaptureQueriesContext
cases = {
    "gender": {}, "role": {"by": "role"}, "kind": {"by": "kind"},
    "gender, one outlet": {"outlet": "Wire Service"},
    "gender, one year": {"published_after": "2021-01-01", "published_before": "2021-12-31"},
    "gender, one tag (from the quotes)": {"tag": "economy"},
}
out = {}
for name, params in cases.items():
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/research/who/", params, secure=True)
    assert response.status_code == 200, response.status_code
    # counted now: the captured list is a slice of the connection's log, which the next request resets
    n_queries = len(queries)
    times = []
    for _ in range(5):
        t = time.perf_counter(); response = client.get("/research/who/", params, secure=True); times.append(time.perf_counter() - t)
        assert response.status_code == 200, response.status_code
    out[name] = [1000 * statistics.median(times), n_queries, "summary" if response.context["from_summary"] else (
        "too many" if response.context["too_many"] else f"{response.context['matching']} quotes")]
print(json.dumps(out))
"""
    # Test settings: plain static files (no collectstatic needed), no debug.
    env = {**export_bench.server_env(url), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(result.stderr[-3000:])
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", export_bench.DEFAULT_URL))
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    figures = {}
    for label, size in (("small", args.small), ("large", args.large)):
        url = f"{args.database_url}_who_{label}" if label == "small" else args.database_url
        started = time.perf_counter()
        prepare(url, size, args.reuse)
        print(f"prepared {size:,} quotes in {time.perf_counter() - started:.0f} s", flush=True)
        figures[label] = time_pages(url)
    for case in figures["small"]:
        (small, small_q, small_how), (large, large_q, large_how) = figures["small"][case], figures["large"][case]
        print(
            f"who {case}: {small:.0f} ms at {args.small:,} quotes ({small_q} queries, {small_how}), "
            f"{large:.0f} ms at {args.large:,} ({large_q} queries, {large_how}) (ratio {large / small:.1f})"
        )
    print(f"who max_ms_large={max(ms for ms, _, _ in figures['large'].values()):.0f}")


if __name__ == "__main__":
    main()
