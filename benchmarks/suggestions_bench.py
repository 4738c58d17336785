"""Extractor speed: articles (and characters) per second of the pure-Python rules, no database.

Run from the repository root:  .venv/bin/python benchmarks/suggestions_bench.py [--repeat 5]
It times ``suggestions.extractor.extract`` on the seed article and on the shipped evaluation texts,
and on one long synthetic article (the seed text repeated 20 times), and prints the figures.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from suggestions.extractor import extract  # noqa: E402


def texts() -> list[str]:
    result = [(ROOT / "fixtures" / "seed" / "ice-signals-mass-arrests.txt").read_text(encoding="utf-8")]
    for path in sorted((ROOT / "suggestions" / "evaluation").glob("*/*.json")):
        result.append(json.loads(path.read_text(encoding="utf-8"))["text"])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    corpus = texts()
    chars = sum(len(t) for t in corpus)
    runs = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        found = sum(len(extract(t)) for t in corpus)
        runs.append(time.perf_counter() - start)
    best = min(runs)
    print(f"{len(corpus)} articles, {chars:,} characters, {found} suggestions")
    print(f"  median {statistics.median(runs) * 1000:.1f} ms, best {best * 1000:.1f} ms per pass")
    print(f"  {len(corpus) / best:,.0f} articles/s, {chars / best / 1000:,.0f} k characters/s")
    long_text = "\n\n".join([corpus[0]] * 20)
    start = time.perf_counter()
    found = len(extract(long_text))
    took = time.perf_counter() - start
    print(f"one long article ({len(long_text):,} characters): {took * 1000:.0f} ms, {found} suggestions")


if __name__ == "__main__":
    main()
