#!/usr/bin/env python
"""Server time of every page that used to grow with the corpus, at two corpus sizes, on PostgreSQL.

    .venv/bin/python benchmarks/pages_bench.py --small 10000 --large 1000000

For each size it (re)creates a database with ``export_bench``'s generator (quotes/10 articles,
quotes/50 speakers, one stance per two quotes), then brings the summary tables up to date the way a
deployment does after a bulk load (``refresh_stats``, ``refresh_agreement``; their time is printed),
and times each page through Django's test client in a child process: one warm-up, then 5 requests.
The two sizes are timed in alternating rounds (``--rounds``, 3 by default: small, large, small, ...)
and each page's figure is the median of all its requests at that size, so a burst of load from
another process on a shared machine weighs on both sizes alike instead of on one of them.
``--reuse`` keeps a database that already holds the wanted number of quotes.

One line per page, then exactly: ``pages=N max_ms_large=X max_ratio=Y worst=PAGE``.
"""

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import export_bench  # noqa: E402

# Rows the generator's SQL does not write, as a deployment's bulk load would leave them: every
# article with quotes marked stale for the summary tables and the stored agreement.
MARK_STALE = """
INSERT INTO research_articlestats (article_id, counts, stale)
SELECT DISTINCT article_id, '[]'::jsonb, true FROM annotations_quote ON CONFLICT DO NOTHING;
INSERT INTO review_articleagreement (article_id, report, annotators, pending, pending_count, stale)
SELECT DISTINCT article_id, '{}'::jsonb, 0, '[]'::jsonb, 0, true FROM annotations_quote WHERE layer = 'annotation'
ON CONFLICT DO NOTHING
"""


def rare_word(quotes: int) -> str:
    """A word in the text of only a handful of quotes: part of an md5 the generator put in one article."""
    article = max(1, quotes // 10) // 2
    return hashlib.md5(str(article).encode()).hexdigest()[:12]


def prepare(url: str, quotes: int, reuse: bool) -> dict[str, float]:
    import psycopg

    env = {**export_bench.server_env(url), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    manage = [sys.executable, "manage.py"]
    if reuse:
        try:
            with psycopg.connect(url) as conn:
                if conn.execute("SELECT count(*) FROM annotations_quote").fetchone()[0] == quotes:
                    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
                    return {}
        except psycopg.OperationalError:
            pass
    export_bench.recreate_database(url)
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    code = (
        "import sys; sys.path.insert(0, 'benchmarks'); import django; django.setup(); import export_bench; "
        f"export_bench.generate({url!r}, {quotes})"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in MARK_STALE.split(";\n"):
            conn.execute(statement)
    timings = {}
    for command in ("refresh_stats", "refresh_agreement"):
        started = time.perf_counter()
        subprocess.run([*manage, command], cwd=ROOT, env=env, check=True, capture_output=True)
        timings[command] = time.perf_counter() - started
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return timings


PAGES = r"""
import json, statistics, sys, time
import django; django.setup()
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.test import Client
from django.test.utils import setup_test_environment
from accounts.roles import Role
from corpus.models import Speaker
from django.contrib.auth.models import Group
setup_test_environment()
rare = sys.argv[1]
User = get_user_model()
user, _ = User.objects.get_or_create(username="pages-bench", defaults={"is_superuser": True})
for role in Role:
    user.groups.add(Group.objects.get(name=role))
client = Client(); client.force_login(user)
top = Speaker.objects.annotate(n=Count("quotes")).order_by("-n").values_list("pk", "n").first()
pages = {
    "review queue": "/review/",
    "exports": "/exports/",
    "quote browser, common word": "/research/quotes/?q=plan",
    "quote browser, rare word": f"/research/quotes/?q={rare}",
    "quote browser, no search": "/research/quotes/",
    "research overview": "/research/",
    "stance overview": "/research/stances/",
    "stances on one target": "/research/stances/?target=1",
    "agreement": "/review/agreement/",
    "speaker page, most quoted": f"/research/speakers/{top[0]}/",
    "API quote list": "/api/v1/quotes",
    "API quote list, searched": "/api/v1/quotes?q=plan",
}
out = {}
for name, url in pages.items():
    response = client.get(url, secure=True)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(5):
        t = time.perf_counter(); response = client.get(url, secure=True); times.append(time.perf_counter() - t)
    out[name] = [1000 * t for t in times]
out["_top_speaker_quotes"] = top[1]
print(json.dumps(out))
"""


def time_pages(url: str, quotes: int) -> dict:
    """Five request times (ms) per page, after one warm-up, in a child process on database ``url``."""
    env = {**export_bench.server_env(url), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", PAGES, rare_word(quotes)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", export_bench.DEFAULT_URL))
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of 5 requests per page and size")
    args = parser.parse_args()
    sizes = {"small": args.small, "large": args.large}
    urls = {label: f"{args.database_url}_pages_{label}" for label in sizes}
    for label, size in sizes.items():
        started = time.perf_counter()
        refresh = prepare(urls[label], size, args.reuse)
        extra = "".join(f", {name} {seconds:.1f} s" for name, seconds in refresh.items())
        print(f"prepared {size:,} quotes in {time.perf_counter() - started:.0f} s{extra}", flush=True)
    samples: dict[str, dict[str, list[float]]] = {label: {} for label in sizes}
    top_speakers: dict[str, int] = {}
    for _ in range(max(1, args.rounds)):
        for label, size in sizes.items():
            timings = time_pages(urls[label], size)
            top_speakers[label] = timings.pop("_top_speaker_quotes")
            for page, values in timings.items():
                samples[label].setdefault(page, []).extend(values)
    for label, size in sizes.items():
        print(f"most quoted speaker at {size:,}: {top_speakers[label]:,} quotes", flush=True)
    figures = {
        label: {page: statistics.median(values) for page, values in pages.items()} for label, pages in samples.items()
    }
    ratios = {}
    for page in figures["small"]:
        small, large = figures["small"][page], figures["large"][page]
        ratios[page] = large / small if small else float("inf")
        print(
            f"{page}: {small:.0f} ms at {args.small:,} quotes, {large:.0f} ms at {args.large:,} (ratio {ratios[page]:.1f})"
        )
    worst = max(figures["large"], key=figures["large"].get)
    print(
        f"pages={len(figures['large'])} max_ms_large={figures['large'][worst]:.0f} "
        f"max_ratio={max(ratios.values()):.1f} worst={worst}"
    )


if __name__ == "__main__":
    main()
