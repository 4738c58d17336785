#!/usr/bin/env python
"""Export benchmark: the HTTP CSV export of all quotes, streamed through a real server, against
PostgreSQL's own ``COPY (the same SELECT) TO STDOUT WITH CSV``.

    .venv/bin/python benchmarks/export_bench.py --quotes 100000

1. (Re)creates its own database (``quotes_bench``; ``--database-url`` or BENCH_DATABASE_URL to change),
   migrates it and fills it on the server side with generate_series: ``--quotes`` quotes over
   quotes/10 articles (2,000 to 4,000 characters each), quotes/50 speakers with affiliations,
   one stance per two quotes, tags on a third of the quotes, a formula payload in some titles.
2. Starts gunicorn (one sync worker) on 127.0.0.1 with the production settings, logs in a researcher
   (a session cookie) and downloads /exports/quotes.csv?status=all, counting rows as they arrive,
   sampling the worker's resident memory every 10 ms.
3. Times ``COPY (SELECT ...) TO STDOUT`` through psycopg 3 for the very SELECT the export runs
   (neutralizing and tags included), and, for information, for the plain SELECT of the same columns.

The last line is: export_rows=N export_rows_per_s=X copy_rows_per_s=Y ratio=X/Y first_byte_s=T
first_row_s=R rss_growth_mb=M, where first_row_s is the time to the first data row of the default
export (accepted curated quotes, text order; other filters are printed above it) and rss_growth_mb
the growth of the worker's peak RSS from 100k rows to all rows.
"""

import argparse
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/quotes_bench"


def log(message: str) -> None:
    print(message, flush=True)


def server_env(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="bench-only-secret-key-not-for-production-use-0123456789",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="WARNING",
    )
    return env


def recreate_database(database_url: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


GENERATE = """
INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
SELECT '!', false, u, '', '', '', false, true, now() FROM unnest(ARRAY['ann1','ann2','ann3','-ann4','ed1','ed2']) AS u;

INSERT INTO corpus_speaker (name, kind, description, affiliation_id, wikidata_qid, created, updated)
SELECT CASE WHEN i % 500 = 0 THEN '=Speaker ' ELSE 'Speaker ' END || i,
       (ARRAY['person','person','person','organization','group'])[1 + i % 5],
       'Role of speaker ' || i, NULL, CASE WHEN i % 3 = 0 THEN 'Q' || (1000 + i) ELSE '' END, now(), now()
FROM generate_series(1, :speakers) AS i;
UPDATE corpus_speaker SET affiliation_id = 1 + (id % 50) WHERE kind = 'person' AND id > 50;

INSERT INTO corpus_article (title, slug, outlet, byline, dateline, published, url, language, body, body_hash, created, updated)
SELECT CASE WHEN i % 1000 = 0 THEN '=HYPERLINK("x") headline ' ELSE 'Headline number ' END || i || ' about policy, “quoted”',
       'article-' || i, (ARRAY['The Daily','Evening Post','Wire Service','Le Monde','Der Spiegel'])[1 + i % 5],
       'By Reporter ' || (i % 300), 'WASHINGTON', DATE '2020-01-01' + (i % 1800),
       'https://news.example.org/' || i, 'en', b.body, md5(b.body), now(), now()
FROM generate_series(1, :articles) AS i,
LATERAL (SELECT substr(repeat('Officials said on Tuesday that the plan, criticized by many, would go ahead; '
         || md5(i::text) || ' and ' || md5((i + 1)::text) || E'.\\n', 40), 1, 2000 + (i * 7919) % 2000) AS body) AS b;

INSERT INTO annotations_quote (article_id, kind, speaker_id, start, "end", text, span_offsets, cue_start, cue_end,
    cue_text, speaker_mention_start, speaker_mention_end, speaker_mention_text, annotator_id, status,
    reviewed_by_id, reviewed_at, review_note, version, origin, layer, curated_id, support_count, supported_by,
    created, updated)
SELECT a.id, (ARRAY['direct','direct','indirect','mixed'])[1 + q % 4],
       CASE WHEN q % 20 = 0 THEN NULL ELSE 1 + (q * 31) % :speakers END,
       s.st, s.st + s.len, substr(a.body, s.st + 1, s.len), s.st || '-' || (s.st + s.len),
       s.st + s.len + 2, s.st + s.len + 6, 'said', NULL, NULL, '',
       CASE WHEN q % 25 = 0 THEN 1 + q % 4 ELSE 5 + q % 2 END, CASE WHEN q % 25 = 0 THEN 'submitted' ELSE 'accepted' END,
       CASE WHEN q % 25 = 0 THEN NULL ELSE 5 + q % 2 END,
       CASE WHEN q % 25 = 0 THEN NULL ELSE now() - (q % 1000) * interval '1 hour' END,
       '', 2, 'human', CASE WHEN q % 25 = 0 THEN 'annotation' ELSE 'curated' END, NULL,
       CASE WHEN q % 25 = 0 THEN 0 ELSE 1 + q % 3 END,
       CASE WHEN q % 25 = 0 THEN '' WHEN q % 3 = 0 THEN 'ann1' WHEN q % 3 = 1 THEN 'ann1;ann2' ELSE '-ann4;ann2;ann3' END,
       now(), now()
FROM generate_series(1, :quotes) AS q
JOIN corpus_article a ON a.id = 1 + (q - 1) / 10,
LATERAL (SELECT ((q % 10) * 150) AS st, 60 + (q * 13) % 240 AS len) AS s;

INSERT INTO annotations_quotespan (quote_id, position, start, "end", text)
SELECT id, 0, start, "end", text FROM annotations_quote;

INSERT INTO annotations_stancetarget (name, description)
SELECT t, '' FROM unnest(ARRAY['Immigration enforcement','Tariffs','Climate policy','Health care','-Taxes',
                               'Housing','Education','Defense','Trade','Elections']) AS t;
INSERT INTO annotations_stance (quote_id, target_id, label, annotator_id, note, created, updated)
SELECT id, 1 + id % 10, (ARRAY['favor','against','neutral','unclear'])[1 + id % 4], 1 + id % 4, '', now(), now()
FROM annotations_quote WHERE id % 2 = 0;

INSERT INTO taggit_tag (name, slug)
SELECT n, 'tag-' || i FROM unnest(ARRAY['economy','=formula','policy','campaign','courts','local','world',
    'opinion','breaking','analysis','health','science','sports','culture','tech','energy','labor','crime',
    'migration','housing']) WITH ORDINALITY AS t(n, i);
INSERT INTO taggit_taggeditem (object_id, content_type_id, tag_id)
SELECT DISTINCT q.id, :quote_ct, t.tag FROM annotations_quote q,
LATERAL (VALUES (1 + q.id % 20), (1 + (q.id / 7) % 20)) AS t(tag)
WHERE q.id % 3 = 0;
"""


def generate(database_url: str, quotes: int) -> None:
    import psycopg
    from django.contrib.contenttypes.models import ContentType

    from annotations.models import Quote

    quote_ct = ContentType.objects.get_for_model(Quote).pk
    params = {
        "quotes": quotes,
        "articles": max(1, quotes // 10),
        "speakers": max(60, quotes // 50),
        "quote_ct": quote_ct,
    }
    with psycopg.connect(database_url, autocommit=True) as conn:
        for statement in GENERATE.split(";\n"):
            if statement.strip():
                for key, value in sorted(params.items(), key=lambda kv: -len(kv[0])):
                    statement = statement.replace(f":{key}", str(int(value)))
                conn.execute(statement)
        conn.execute("VACUUM ANALYZE")


def researcher_cookie() -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore

    user, _ = get_user_model().objects.get_or_create(username="bench_researcher")
    user.groups.add(Group.objects.get(name="researcher"))
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def worker_pid(master: int, timeout: float = 30) -> int:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        except FileNotFoundError:
            children = []
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


class Sampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0.0, threading.Event()

    def run(self):
        while not self.stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.01)


def http_export(port: int, cookie: str, worker: int) -> dict:
    sampler = Sampler(worker)
    baseline = rss_mb(worker)
    sampler.start()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    conn.request("GET", "/exports/quotes.csv?status=all", headers={"Cookie": cookie, "Host": "127.0.0.1"})
    response = conn.getresponse()
    if response.status != 200:
        raise RuntimeError(f"export answered {response.status}: {response.read(500)!r}")
    first_byte = first_row = None
    lines = 0  # record ends: CRLF (a line break inside a cell is a bare LF)
    size = 0
    peak_100k = None
    last = b""
    while True:
        chunk = response.read1(1 << 20)
        if not chunk:
            break
        if first_byte is None:
            first_byte = time.perf_counter() - started
        lines += chunk.count(b"\r\n") + (last == b"\r" and chunk[:1] == b"\n")
        last = chunk[-1:]
        if first_row is None and lines > 1:
            first_row = time.perf_counter() - started
        size += len(chunk)
        if peak_100k is None and lines > 100_000:
            peak_100k = sampler.peak
    elapsed = time.perf_counter() - started
    time.sleep(0.05)
    sampler.stop.set()
    sampler.join()
    conn.close()
    rows = lines - 1
    return {
        "rows": rows,
        "seconds": elapsed,
        "bytes": size,
        "first_byte": first_byte or elapsed,
        "first_row": first_row or elapsed,
        "rss_baseline": baseline,
        "rss_peak_100k": peak_100k if peak_100k is not None else sampler.peak,
        "rss_peak": sampler.peak,
    }


def time_to_first_row(port: int, cookie: str, query: str) -> float:
    """Seconds from the request to the end of the first data row; the rest is not read."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    conn.request("GET", f"/exports/quotes.csv?{query}", headers={"Cookie": cookie, "Host": "127.0.0.1"})
    response = conn.getresponse()
    seen = b""
    while seen.count(b"\r\n") < 2:
        chunk = response.read1(1 << 16)
        if not chunk:
            break
        seen += chunk
    elapsed = time.perf_counter() - started
    conn.close()  # the server sees the client go and cancels its COPY
    return elapsed


# The first data row of these filters: the default (the accepted curated quotes, in text order),
# everything, and a sort by a column of another table (one sort of every row: no early row).
FIRST_ROW_QUERIES = {"default": "", "all": "status=all", "newest first": "sort=-published"}


def copy_rate(database_url: str, statement: str) -> tuple[int, float]:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute("SET jit = off")  # as the export does
        started = time.perf_counter()
        rows = 0
        with cur.copy(statement) as copy:
            for _ in copy:
                rows += 1
        return rows, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quotes", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--reuse", action="store_true", help="Keep the database if it already holds the corpus.")
    args = parser.parse_args()
    env = server_env(args.database_url)
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
        log(
            f"Generated {args.quotes:,} quotes over {args.quotes // 10:,} articles in {time.perf_counter() - started:.1f} s"
        )
    total = Quote.objects.curated().count()  # what the export holds: the curated layer

    from django.db import connection

    from exports.codebook import QUOTES
    from exports.writers import copy_sql, export_queryset, raw_columns

    qs = export_queryset(QUOTES, {"status": "all"})
    export_statement = copy_sql(QUOTES, qs)
    raw, _ = raw_columns(QUOTES)
    plain_sql, plain_params = qs.annotate(**raw).values_list(*raw).query.sql_with_params()
    import psycopg

    plain_select = psycopg.ClientCursor(connection.connection).mogrify(plain_sql, plain_params)
    plain_statement = f"COPY ({plain_select}) TO STDOUT WITH (FORMAT csv)"
    cookie = researcher_cookie()
    connection.close()

    log("Warming up: COPY of the export's SELECT ...")
    copy_rate(args.database_url, export_statement)

    port = free_port()
    gunicorn = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        "1",
        "--worker-class",
        "sync",
        "--timeout",
        "900",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(gunicorn, cwd=ROOT, env=env)
    try:
        worker = worker_pid(server.pid)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        # One small request first so the worker has imported everything before we measure.
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        warm.request("GET", "/exports/quotes.csv?speaker=1", headers={"Cookie": cookie})
        warm.getresponse().read()
        warm.close()
        first_rows = {}
        for label, query in FIRST_ROW_QUERIES.items():
            first_rows[label] = min(time_to_first_row(port, cookie, query) for _ in range(3))
            log(f"first data row, {label} ({query or 'no parameters'}): {first_rows[label]:.3f} s (best of 3)")
        log(f"HTTP export of {total:,} quotes through gunicorn (pid {worker}) ...")
        result = http_export(port, cookie, worker)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    log("COPY of the same SELECT ...")
    # The best of two runs: the machine is shared, so give COPY its best showing (a conservative ratio).
    copy_rows, copy_seconds = min(
        (copy_rate(args.database_url, export_statement) for _ in range(2)), key=lambda r: r[1]
    )
    plain_rows, plain_seconds = copy_rate(args.database_url, plain_statement)

    export_rps = result["rows"] / result["seconds"]
    copy_rps = copy_rows / copy_seconds
    plain_rps = plain_rows / plain_seconds
    growth = max(0.0, result["rss_peak"] - result["rss_peak_100k"])
    log(f"CPU cores: {os.cpu_count()} (shared with other work: figures are indicative)")
    log(
        f"HTTP export:   {result['rows']:,} rows, {result['bytes'] / 1e6:,.1f} MB in {result['seconds']:.2f} s "
        f"= {export_rps:,.0f} rows/s; first byte (header) after {result['first_byte'] * 1000:.0f} ms, "
        f"first data row after {result['first_row'] * 1000:.0f} ms"
    )
    log(
        f"COPY (export SELECT, neutralized + tags): {copy_rows:,} rows in {copy_seconds:.2f} s = {copy_rps:,.0f} rows/s"
    )
    log(
        f"COPY (plain SELECT, same columns, no neutralizing): {plain_rows:,} rows in {plain_seconds:.2f} s "
        f"= {plain_rps:,.0f} rows/s (for information)"
    )
    log(
        f"Server worker RSS: {result['rss_baseline']:.1f} MB before, peak {result['rss_peak_100k']:.1f} MB at 100k rows, "
        f"peak {result['rss_peak']:.1f} MB at all rows"
    )
    if result["rows"] != total or copy_rows != total:
        log(f"WARNING: row counts differ (database {total}, HTTP {result['rows']}, COPY {copy_rows})")
    print(
        f"export_rows={result['rows']} export_rows_per_s={export_rps:.0f} copy_rows_per_s={copy_rps:.0f} "
        f"ratio={export_rps / copy_rps:.2f} first_byte_s={result['first_byte']:.3f} "
        f"first_row_s={first_rows['default']:.3f} rss_growth_mb={growth:.1f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
