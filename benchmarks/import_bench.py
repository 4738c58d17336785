"""Articles per second for a 10,000-article JSONL import on PostgreSQL, through the same service as the page.

    .venv/bin/python benchmarks/import_bench.py [--articles 10000] [--database quotes_importbench]

Uses its own database (created if missing, migrated, emptied of articles first), never the app's.
Prints the figures; docs/ingest.md records them.
"""

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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


def make_jsonl(count: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    lines = []
    for i in range(count):
        paragraphs = ["".join(" ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 70))) + ".") for _ in range(6)]
        lines.append(
            json.dumps(
                {
                    "title": f"Benchmark article {i}: {' '.join(rng.choice(WORDS) for _ in range(6))}",
                    "body": "\n\n".join(paragraphs),
                    "url": f"https://bench.example/{i}",
                    "outlet": "Bench Daily",
                    "published": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    "byline": "By Bench",
                    "tags": ["bench", f"topic-{i % 20}"],
                },
                ensure_ascii=False,
            )
        )
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--database", default="quotes_importbench")
    parser.add_argument("--host", default="127.0.0.1:5432")
    args = parser.parse_args()

    import psycopg

    with psycopg.connect(f"postgresql://postgres@{args.host}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.database]).fetchone():
            conn.execute(f'CREATE DATABASE "{args.database}"')
    os.environ["DATABASE_URL"] = f"postgres://postgres@{args.host}/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["IMPORT_MAX_BYTES"] = str(500 * 1024 * 1024)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from corpus.models import Article
    from ingest import services

    Article.objects.all().delete()
    data = make_jsonl(args.articles)
    print(f"{args.articles:,} articles, {len(data) / 1e6:.1f} MB of JSONL, PostgreSQL database {args.database}")
    start = time.perf_counter()
    report = services.import_article_file(data=data, name="bench.jsonl")
    elapsed = time.perf_counter() - start
    assert report.ok and len(report.created) == args.articles, report.errors[:3]
    print(
        f"import:            {elapsed:.2f} s, {args.articles / elapsed:,.0f} articles/s (parse, validate, dedupe, insert, tag)"
    )
    start = time.perf_counter()
    again = services.import_article_file(data=data, name="bench.jsonl")
    elapsed = time.perf_counter() - start
    assert len(again.skipped) == args.articles
    print(f"re-import (all duplicates): {elapsed:.2f} s, {args.articles / elapsed:,.0f} articles/s checked")
    Article.objects.all().delete()


if __name__ == "__main__":
    main()
