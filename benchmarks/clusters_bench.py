#!/usr/bin/env python
"""Clusters benchmark: planted variants among N distinct quotes, clustered from scratch on PostgreSQL.

    .venv/bin/python benchmarks/clusters_bench.py --quotes 100000

1. (Re)creates its own database (``quotes_h17bench``; ``--database-url`` or BENCH_DATABASE_URL to change),
   migrates it, and writes with COPY (as benchmarks/export_bench.py does, but with texts made here):
   ``--quotes`` distinct curated quotes (12 to 40 words from a Zipf-distributed vocabulary of 40,000
   made-up words; 3 % of them hold one of a few stock phrases such as "we will not back down", so that
   different quotes share common phrases) over quotes/10 articles of 25 outlets, and, for 1 % of them,
   planted variants in other articles: re-punctuated (case, marks, commas, an ellipsis), trimmed (words
   cut at both ends), one word changed, split (two quotes, the halves), words inserted, and an exact copy.
2. Times ``clusters_rebuild()`` (normalize, MinHash, LSH bands, exact check, COPY of the cluster rows).
3. Scores the clusters against the planted truth, pairwise: precision = pairs clustered together that
   are planted together / pairs clustered together; recall = planted pairs clustered together / planted
   pairs; and per kind, the share of variants in their original's cluster.
4. Times the incremental placement of ``--incremental`` new variant quotes (``clusters_sync``, one
   article each), as an accept does.

``--threshold`` scores with another same-quote threshold (to choose it). The last line is:
quotes=N precision=P recall=R rebuild_s=T quotes_per_s=Q place_ms=M rebuild_cpu_s=C
(C: the CPU time of this process during the rebuild, a figure that a machine shared with other jobs
inflates less than the wall time T.)
"""

import argparse
import datetime
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/quotes_h17bench"
OUTLETS = [f"Outlet {i}" for i in range(25)]
STOCK = [
    "we will not back down",
    "at the end of the day",
    "this is not who we are",
    "we are looking into it",
    "the american people deserve better",
    "there is no place for this",
]
KINDS = ("re-punctuated", "trimmed", "one word changed", "split", "words inserted", "exact copy")


def log(message: str) -> None:
    print(message, flush=True)


class Texts:
    """Made-up words with Zipf frequencies, and quotes from them."""

    def __init__(self, seed: int = 17, vocabulary: int = 40_000) -> None:
        import numpy as np

        self.rng = random.Random(seed)
        self.np_rng = np.random.default_rng(seed)
        syllables = [c + v for c in "bcdfghklmnprstvwz" for v in "aeiou"] + ["an", "el", "or", "is", "um"]
        words: set[str] = set()
        while len(words) < vocabulary:
            words.add("".join(self.rng.choice(syllables) for _ in range(self.rng.choice((1, 2, 2, 3, 3, 4)))))
        self.words = sorted(words)
        weights = 1 / np.arange(1, vocabulary + 1)
        self.p = weights / weights.sum()

    def quotes(self, n: int) -> list[str]:
        import numpy as np

        lengths = self.np_rng.integers(12, 41, size=n)
        picks = self.np_rng.choice(len(self.words), size=int(lengths.sum()), p=self.p)
        words, out, at = self.words, [], 0
        for i, length in enumerate(lengths.tolist()):
            chosen = [words[k] for k in picks[at : at + length]]
            at += length
            if i % 33 == 0:  # 3 %: a stock phrase inside
                pos = self.rng.randrange(len(chosen))
                chosen[pos:pos] = STOCK[i % len(STOCK)].split()
            text = " ".join(chosen)
            out.append(text[0].upper() + text[1:] + ".")
        del np
        return out

    def variant(self, text: str, kind: str) -> list[str]:
        rng, words = self.rng, text.rstrip(".").split()
        if kind == "re-punctuated":
            cut = rng.randrange(3, len(words) - 3)
            return ["“" + " ".join(words[:cut]).upper() + ", … " + " ".join(words[cut:]) + "!”"]
        if kind == "trimmed":
            a, b = rng.randint(1, 3), rng.randint(1, 3)
            return [" ".join(words[a:-b])]
        if kind == "one word changed":
            i = rng.randrange(len(words))
            words[i] = rng.choice(self.words[:2000])
            return [" ".join(words) + "."]
        if kind == "split":  # two parts of at least 6 words, cut near the middle
            cut = rng.randrange(max(6, int(len(words) * 0.4)), min(len(words) - 6, int(len(words) * 0.6)) + 1)
            return [" ".join(words[:cut]) + ",", " ".join(words[cut:]) + "."]
        if kind == "words inserted":
            i = rng.randrange(1, len(words))
            words[i:i] = ["really", "truly"][: rng.randint(1, 2)]
            return [" ".join(words) + "."]
        return [text]


def recreate_database(database_url: str) -> None:
    from export_bench import recreate_database as recreate

    recreate(database_url)


def generate(
    database_url: str, quotes: int, planted_share: float, write: bool = True
) -> tuple[dict[int, int], dict[int, str]]:
    """Writes the corpus; returns quote id -> planted group (originals with variants and their variants)
    and variant quote id -> kind."""
    import psycopg

    texts = Texts()
    began = time.perf_counter()
    base = texts.quotes(quotes)
    planted = list(range(0, quotes, max(1, round(1 / planted_share))))
    rows: list[tuple[int, str]] = []  # (article number, text)
    group: dict[int, int] = {}
    kind_of: dict[int, str] = {}
    articles = max(1, quotes // 10)
    for i, text in enumerate(base):
        rows.append((i % articles, text))
    for n, i in enumerate(planted):
        kind = KINDS[n % len(KINDS)]
        group[i + 1] = i + 1
        for part in texts.variant(base[i], kind):
            rows.append(((i + 1 + n * 7919) % articles, part))
            group[len(rows)] = i + 1
            kind_of[len(rows)] = kind
    log(
        f"texts: {len(base)} distinct quotes, {len(rows) - len(base)} planted variant quotes ({time.perf_counter() - began:.1f} s)"
    )

    if not write:  # --reuse: the same texts are in the database; drop what the last run placed on top
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute("TRUNCATE clusters_clusterband, clusters_clustermember, clusters_cluster")
            conn.execute("DELETE FROM annotations_quote WHERE id > %s", [len(rows)])
            conn.execute("DELETE FROM corpus_article WHERE slug LIKE 'new-%%'")
        return group, kind_of
    began = time.perf_counter()
    now = datetime.datetime.now(datetime.UTC)
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, "
            "is_active, date_joined) VALUES ('!', false, 'ann', '', '', '', false, true, now()), "
            "('!', false, 'ed', '', '', '', false, true, now())"
        )
        conn.execute(
            "INSERT INTO corpus_speaker (name, kind, description, wikidata_qid, created, updated) "
            "SELECT 'Speaker ' || i, 'person', '', '', now(), now() FROM generate_series(1, %s) AS i",
            [max(60, quotes // 50)],
        )
        speakers = max(60, quotes // 50)
        with conn.cursor() as cur:
            with cur.copy(
                "COPY corpus_article (id, title, slug, outlet, byline, dateline, published, url, language, body, "
                "body_hash, created, updated) FROM STDIN"
            ) as copy:
                for a in range(articles):
                    body = f"Body of article {a}. " * 10
                    copy.write_row(
                        (a + 1, f"Article {a}", f"article-{a}", OUTLETS[a % len(OUTLETS)], "", "",
                         datetime.date(2020, 1, 1) + datetime.timedelta(days=(a * 37) % 1800),
                         f"https://example.org/{a}", "en", body, f"{a:032x}", now, now)
                    )  # fmt: skip
            with cur.copy(
                'COPY annotations_quote (id, article_id, kind, speaker_id, start, "end", text, span_offsets, '
                "cue_text, speaker_mention_text, annotator_id, status, reviewed_by_id, reviewed_at, review_note, "
                "version, origin, layer, support_count, supported_by, created, updated) FROM STDIN"
            ) as copy:
                for q, (a, text) in enumerate(rows, start=1):
                    copy.write_row(
                        (q, a + 1, "direct", 1 + (q * 31) % speakers, 0, 5, text, "0-5", "said", "", 1, "accepted",
                         2, now, "", 1, "human", "curated", 1, "ann", now, now)
                    )  # fmt: skip
        conn.execute("SELECT setval(pg_get_serial_sequence('corpus_article', 'id'), %s)", [articles])
        conn.execute("SELECT setval(pg_get_serial_sequence('annotations_quote', 'id'), %s)", [len(rows)])
        conn.execute("VACUUM ANALYZE")
    log(f"COPY: {articles} articles, {len(rows)} curated quotes ({time.perf_counter() - began:.1f} s)")
    return group, kind_of


def score(group: dict[int, int], kind_of: dict[int, str]) -> tuple[float, float, dict[str, float]]:
    from clusters.models import Cluster, ClusterMember

    repeated = Cluster.objects.filter(size__gte=2).values("pk")
    members: dict[int, list[int]] = {}
    for quote_id, cluster_id in ClusterMember.objects.filter(cluster__in=repeated).values_list(
        "quote_id", "cluster_id"
    ):
        members.setdefault(cluster_id, []).append(quote_id)
    predicted_pairs = true_pairs_found = 0
    cluster_of = {}
    for cluster_id, quote_ids in members.items():
        predicted_pairs += len(quote_ids) * (len(quote_ids) - 1) // 2
        counts = Counter(group.get(q, -q) for q in quote_ids)
        true_pairs_found += sum(c * (c - 1) // 2 for c in counts.values())
        for q in quote_ids:
            cluster_of[q] = cluster_id
    sizes = Counter(group.values())
    true_pairs = sum(c * (c - 1) // 2 for c in sizes.values())
    per_kind: dict[str, list[int]] = {k: [0, 0] for k in KINDS}
    for q, kind in kind_of.items():
        per_kind[kind][1] += 1
        original = group[q]
        per_kind[kind][0] += int(q in cluster_of and cluster_of.get(original) == cluster_of[q])
    precision = true_pairs_found / predicted_pairs if predicted_pairs else 1.0
    recall = true_pairs_found / true_pairs if true_pairs else 1.0
    return precision, recall, {k: (ok / n if n else 1.0) for k, (ok, n) in per_kind.items()}


def place_incrementally(count: int) -> float:
    """Mean milliseconds to place one new variant quote in its own new article (as an accept does)."""
    from annotations.models import Quote
    from clusters.services import clusters_sync
    from corpus.models import Article

    texts = Texts(seed=99)
    originals = list(Quote.objects.order_by("pk").values_list("text", flat=True)[:count])
    timings = []
    for n, text in enumerate(originals):
        article = Article.objects.create(
            title=f"New {n}", slug=f"new-{n}", outlet="Late Outlet", body="x" * 100, body_hash=f"n{n:031x}"
        )
        Quote.objects.create(
            article=article, start=0, end=5, text=texts.variant(text, "one word changed")[0], span_offsets="0-5",
            annotator_id=1, status="accepted", reviewed_by_id=2, reviewed_at=datetime.datetime.now(datetime.UTC),
            layer="curated", support_count=1,
        )  # fmt: skip
        began = time.perf_counter()
        clusters_sync(article_ids=[article.pk])
        timings.append(time.perf_counter() - began)
    return 1000 * sum(timings) / len(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--planted", type=float, default=0.01, help="Share of the quotes that get a variant.")
    parser.add_argument("--incremental", type=int, default=200)
    parser.add_argument("--threshold", type=float, help="Score the clusters with another SAME_QUOTE_THRESHOLD.")
    parser.add_argument(
        "--reuse", action="store_true", help="The database holds the corpus of the same --quotes: cluster it again."
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args()

    import subprocess

    env = dict(os.environ, DATABASE_URL=args.database_url, DJANGO_SETTINGS_MODULE="config.settings.dev")
    os.environ.update(env)
    if not args.reuse:
        recreate_database(args.database_url)
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    group, kind_of = generate(args.database_url, args.quotes, args.planted, write=not args.reuse)

    import django

    django.setup()
    from django.db import connection

    from clusters.services import clusters_rebuild
    from text import fingerprint

    if args.threshold is not None:
        fingerprint.SAME_QUOTE_THRESHOLD = args.threshold
    log(
        f"threshold: {fingerprint.SAME_QUOTE_THRESHOLD}, containment from {fingerprint.MIN_CONTAINED} shingles, "
        f"shorter texts join as runs of {fingerprint.PART_WORDS}+ words of one cluster's quotes"
    )
    cpu_began = time.process_time()
    result = clusters_rebuild()
    cpu = time.process_time() - cpu_began
    log(
        f"rebuild: {result.quotes} quotes in {result.clusters} clusters ({result.repeated} of two or more) "
        f"in {result.seconds:.1f} s (this process's CPU {cpu:.1f} s; PostgreSQL's work not included)"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE clusters_cluster, clusters_clustermember, clusters_clusterband")
    precision, recall, per_kind = score(group, kind_of)
    for kind, share in per_kind.items():
        log(f"  {kind}: {share:.4f} of variants in their original's cluster")
    place_ms = place_incrementally(args.incremental) if args.incremental else 0.0
    log(f"incremental: {place_ms:.1f} ms per placed quote (mean of {args.incremental})")
    log(
        f"quotes={result.quotes} precision={precision:.4f} recall={recall:.4f} rebuild_s={result.seconds:.1f} "
        f"quotes_per_s={result.quotes / result.seconds:.0f} place_ms={place_ms:.1f} rebuild_cpu_s={cpu:.1f}"
    )


if __name__ == "__main__":
    main()
