#!/usr/bin/env python
"""Release benchmark: build a corpus release of N curated quotes on PostgreSQL, time each format and
measure the peak memory of the process that builds it.

    .venv/bin/python benchmarks/release_bench.py --quotes 1000000 [--reuse]

1. (Re)creates its own database (``bench_releases``; ``--database-url`` or BENCH_DATABASE_URL) and fills
   it with ``benchmarks/export_bench.py``'s generator (``--quotes`` quotes over quotes/10 articles,
   about 96 % of them curated).
2. Builds two releases, each in a child process of its own (``manage.py``-free: a small Python child
   that calls ``releases.services.release_build``), and reads the child's peak resident memory
   (``ru_maxrss``): first a tenth of the corpus (the articles of the first 180 of 1,800 publication
   days, ``--filter published_before``), then the whole corpus (``--small-days`` and ``--large-days``
   choose other fractions). Flat memory means the two peaks are close although the second release is
   ten times larger.
3. Verifies the large zip against its manifest (time) and prints seconds per file, and the load
   averages before and after each build (on a shared machine, times grow with the load).

The last line is: quotes_small=N quotes_large=N build_s_small=T build_s_large=T rss_mb_small=M
rss_mb_large=M rss_ratio=R zip_mb_large=Z verify_s=V
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from export_bench import generate, recreate_database, server_env  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_releases"

CHILD = r"""
import json, resource, sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from releases import services
from releases.models import Release
args = json.loads(sys.argv[1])
user, _ = get_user_model().objects.get_or_create(username="bench_editor")
Release.objects.filter(name=args["name"], version=args["version"]).exclude(status="published").delete()
release = Release.objects.filter(name=args["name"], version=args["version"]).first()
if release is None:
    release = services.release_create(name=args["name"], version=args["version"], description="Benchmark release.",
                                      licence="CC-BY-4.0", filters=args["filters"], user=user)
    started = time.perf_counter()
    release = services.release_build(release=release)
    seconds = time.perf_counter() - started
else:
    seconds = None  # built by an earlier run: report what it stored
print(json.dumps({
    "seconds": seconds,
    "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "path": release.file.path, "size": release.size, "counts": release.counts,
}))
"""


def log(message: str) -> None:
    print(message, flush=True)


def load() -> str:
    """The load averages (1, 5, 15 minutes): the machine may be shared, and times scale with it."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def build(env: dict, name: str, version: str, filters: dict) -> dict:
    args = json.dumps({"name": name, "version": version, "filters": filters})
    before = load()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "load_before": before, "load_after": load()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quotes", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--reuse", action="store_true", help="Keep the database if it already holds the corpus.")
    parser.add_argument("--small-days", type=int, default=180, help="The small release: articles of these first days.")
    parser.add_argument("--large-days", type=int, default=0, help="The large release: these first days (0: all).")
    parser.add_argument("--media-root", default=str(ROOT / "benchmarks" / "out" / "release-media"))
    args = parser.parse_args()
    log(f"Load average at the start: {load()}")
    env = server_env(args.database_url)
    env["MEDIA_ROOT"] = args.media_root
    os.environ.update(env)
    if not args.reuse:
        log(f"Creating {urlsplit(args.database_url).path.lstrip('/')} and migrating ...")
        recreate_database(args.database_url)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)

    import django

    django.setup()
    from annotations.models import Quote

    if not args.reuse or Quote.objects.count() != args.quotes:
        if args.reuse:
            recreate_database(args.database_url)
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
            )
        started = time.perf_counter()
        generate(args.database_url, args.quotes)
        log(f"Generated {args.quotes:,} quotes in {time.perf_counter() - started:.1f} s")
    from django.db import connection

    connection.close()
    import datetime

    def before(days: int) -> dict:  # the generator spreads articles over the 1,800 days from 2020-01-01
        return {"published_before": str(datetime.date(2020, 1, 1) + datetime.timedelta(days=days - 1))} if days else {}

    tag = f"{args.quotes}-{args.small_days}-{args.large_days}-{int(time.time())}"
    runs = {}
    for label, version, filters in (
        ("small", f"0.1.0-{tag}", before(args.small_days)),
        ("large", f"1.0.0-{tag}", before(args.large_days)),
    ):
        log(f"Building the {label} release in a child process ...")
        runs[label] = result = build(env, "bench", version, filters)
        counts = result["counts"]
        log(
            f"{label}: {counts['quotes']:,} quotes, {counts['articles']:,} articles, {result['size'] / 1e6:,.1f} MB zip "
            f"in {result['seconds'] or float('nan'):.1f} s; child peak RSS {result['maxrss_mb']:.1f} MB; "
            f"load average {result['load_before']} before, {result['load_after']} after"
        )
        for step, seconds in counts.get("build_seconds", {}).items():
            log(f"    {step:<28} {seconds:9.2f} s")
    from releases.archive import verify

    started = time.perf_counter()
    _manifest, problems = verify(runs["large"]["path"])
    verify_s = time.perf_counter() - started
    log(f"release_verify of the large zip: {problems or 'OK'} in {verify_s:.1f} s")
    log(
        f"CPU cores: {os.cpu_count()} (shared with other work: figures are indicative); load average at the end: {load()}"
    )
    small, large = runs["small"], runs["large"]
    print(
        f"quotes_small={small['counts']['quotes']} quotes_large={large['counts']['quotes']} "
        f"build_s_small={small['seconds'] or 0:.1f} build_s_large={large['seconds'] or 0:.1f} "
        f"rss_mb_small={small['maxrss_mb']:.1f} rss_mb_large={large['maxrss_mb']:.1f} "
        f"rss_ratio={large['maxrss_mb'] / small['maxrss_mb']:.2f} zip_mb_large={large['size'] / 1e6:.1f} "
        f"verify_s={verify_s:.1f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
