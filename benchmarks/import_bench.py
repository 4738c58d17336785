"""Article import at scale on PostgreSQL: articles/s and the peak memory (RSS) of the importing process.

    .venv/bin/python benchmarks/import_bench.py [--articles 100000] [--database quotes_importbench]

Writes N generated articles (about 2 KB each, two tags) to a JSONL file on disk, then imports it in a
fresh Python process through the service the page and ``manage.py import_articles`` use (the file
is opened, not read whole), and imports it again in another process (every article a duplicate).
Each process reports its time and ``ru_maxrss``, the peak resident memory of the whole process
(Python, Django, the driver, the import). Uses its own database (created if missing, migrated,
emptied of articles before and after), never the app's. README and docs/ingest.md record the figures.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LIMIT_MB = 200

WORDS = [
    "the",
    "minister",
    "said",
    "officials",
    "would",
    "act",
    "on",
    "the",
    "plan",
    "while",
    "critics",
    "warned",
    "that",
    "costs",
    "could",
    "rise",
    "“we",
    "will",
    "not",
    "wait”",
    "according",
    "to",
    "the",
    "report",
    "on",
    "Tuesday",
    "in",
    "the",
    "capital",
]


def write_jsonl(path: Path, count: int, seed: int = 7) -> int:
    """Write ``count`` articles, a line at a time; the file's size in bytes."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            paragraphs = [
                "".join(" ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 70))) + ".") for _ in range(6)
            ]
            record = {
                "title": f"Benchmark article {i}: {' '.join(rng.choice(WORDS) for _ in range(6))}",
                "body": "\n\n".join(paragraphs),
                "url": f"https://bench.example/{i}",
                "outlet": "Bench Daily",
                "published": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "byline": "By Bench",
                "tags": ["bench", f"topic-{i % 20}"],
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path.stat().st_size


def setup_django(args: argparse.Namespace) -> None:
    os.environ["DATABASE_URL"] = f"postgres://postgres@{args.host}/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DEBUG"] = "0"  # as in production: DEBUG keeps every SQL statement (the inserts are MBs each)
    os.environ["IMPORT_MAX_BYTES"] = str(1024 * 1024 * 1024)
    import django

    django.setup()


def empty_corpus() -> None:
    from django.db import connection

    with connection.cursor() as cursor:  # the benchmark's own database: quicker than deleting 100,000 rows
        cursor.execute("TRUNCATE corpus_article, taggit_taggeditem, taggit_tag RESTART IDENTITY CASCADE")


def child(args: argparse.Namespace) -> None:
    """One import in this process; prints one JSON line: seconds, the report's counts, peak RSS."""
    setup_django(args)
    from django.db import connection

    from ingest import services

    sql = {"seconds": 0.0, "queries": 0}

    def timed(execute, query, params, many, context):  # time spent waiting for PostgreSQL
        began = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            sql["seconds"] += time.perf_counter() - began
            sql["queries"] += 1

    ready_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    with connection.execute_wrapper(timed), open(args.child, "rb") as file:
        report = services.import_article_file(data=file, name=Path(args.child).name)
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    assert report.ok, report.errors[:3]
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "sql_seconds": sql["seconds"],
                "queries": sql["queries"],
                "created": len(report.created),
                "skipped": len(report.skipped),
                "ready_mb": ready_mb,
                "peak_mb": peak_mb,
            }
        )
    )


def run_child(args: argparse.Namespace, path: Path) -> dict:
    command = [sys.executable, __file__, "--child", str(path), "--database", args.database, "--host", args.host]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--database", default="quotes_importbench")
    parser.add_argument("--host", default="127.0.0.1:5432")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # internal: import this file and report
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    import psycopg

    with psycopg.connect(f"postgresql://postgres@{args.host}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.database]).fetchone():
            conn.execute(f'CREATE DATABASE "{args.database}"')
    setup_django(args)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    empty_corpus()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.jsonl"
        size = write_jsonl(path, args.articles)
        print(f"{args.articles:,} articles, {size / 1e6:.1f} MB of JSONL, PostgreSQL database {args.database}")
        first = run_child(args, path)
        assert first["created"] == args.articles, first
        again = run_child(args, path)
        assert again["skipped"] == args.articles, again
    empty_corpus()
    for label, run in (("import", first), ("re-import (all duplicates)", again)):
        print(
            f"{label + ':':28} {run['seconds']:7.2f} s, {args.articles / run['seconds']:7,.0f} articles/s, "
            f"{run['seconds'] / args.articles * 1e6:6.0f} µs/article, "
            f"peak RSS {run['peak_mb']:.0f} MB ({run['ready_mb']:.0f} MB before the import)"
        )
        print(
            f"{'':28} of which SQL {run['sql_seconds']:.2f} s in {run['queries']:,} queries "
            f"({run['sql_seconds'] / args.articles * 1e6:.0f} µs/article)"
        )
    peak = max(first["peak_mb"], again["peak_mb"])
    print(f"peak memory: {peak:.0f} MB ({'under' if peak < LIMIT_MB else 'OVER'} the {LIMIT_MB} MB aim)")


if __name__ == "__main__":
    main()
