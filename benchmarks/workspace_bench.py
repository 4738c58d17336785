"""Annotation page speed: server time for an article with 5 and with 500 annotations, and how long headless
Chromium takes to show the page (text highlighted, panel filled) with 500 annotations.

Run from the repository root:  .venv/bin/python benchmarks/workspace_bench.py [--repeat 20]
It builds a throw-away SQLite database in a temporary directory and serves it on 127.0.0.1 only.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# `--db PATH` keeps the SQLite database between runs (built once, reused when it exists).
DB = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--db=")), None)
TMP = tempfile.mkdtemp(prefix="workspace-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{DB or TMP + '/bench.sqlite3'}"
# The dev settings (real password hashing) so that the runserver below can log the bench user in; no debug
# in this process, so the figures do not include Django's query logging.
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
os.environ["DEBUG"] = "0"
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def build(large=500):
    from django.contrib.auth.models import Group, User

    from corpus.models import Article

    call_command("migrate", verbosity=0)
    if DB and User.objects.filter(username="bench").exists():
        found = {}
        for size in (5, large):
            article = Article.objects.filter(title=f"Bench article with {size} annotations").first()
            if article is None:
                raise SystemExit(f"{DB} holds no {size}-annotation article: use another --db file")
            made = article.quotes.count() + article.entity_mentions.count()
            found[size] = (article, made)
        return User.objects.get(username="bench"), found

    from accounts.roles import Role
    from annotations import services
    from corpus.services import speaker_create

    user = User.objects.create_user("bench", password="pw")
    user.groups.add(Group.objects.get(name=Role.ANNOTATOR))
    speaker = speaker_create(name="Bench Speaker")
    target = services.stance_target_create(name="bench target")
    articles = {}
    with transaction.atomic():  # one commit (the services' own transactions become savepoints): much faster
        _build_articles(articles, user, speaker, target, large)
    return user, articles


def _build_articles(articles, user, speaker, target, large):
    from annotations import services
    from corpus.services import article_create

    for size in (5, large):
        sentence = "“Words we will quote,” the speaker said about Placeville today. "
        body = "".join(f"{sentence}\n" if i % 5 == 4 else sentence for i in range(max(size // 2 + 1, 3)))
        article = article_create(title=f"Bench article with {size} annotations", body=body)
        offset = 0
        made = 0
        for i in range(size // 2 + size % 2):
            start = body.index("Words", offset)
            quote = services.quote_create(
                article=article,
                spans=[(start, start + 20)],
                annotator=user,
                speaker=speaker,
                cue=(body.index("said", start), body.index("said", start) + 4),
                tags=["bench"],
            )
            if i % 5 == 0:
                services.stance_set(quote=quote, target=target, label="favor", annotator=user)
            offset = start + 1
            made += 1
        offset = 0
        for _ in range(size // 2):
            start = body.index("Placeville", offset)
            services.entity_mention_create(article=article, start=start, end=start + 10, label="GPE", annotator=user)
            offset = start + 1
            made += 1
        articles[size] = (article, made)


def server_times(user, articles, repeat):
    client = Client()
    client.force_login(user)
    print(f"{'annotations':>12} {'queries':>8} {'median ms':>10} {'min ms':>8}")
    for _size, (article, made) in articles.items():
        url = f"/annotate/articles/{article.pk}/"
        client.get(url)
        queries = []
        with connection.execute_wrapper(
            lambda execute, sql, params, many, context, queries=queries: (
                queries.append(sql),
                execute(sql, params, many, context),
            )[1]
        ):
            client.get(url)
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        print(f"{made:>12} {len(queries):>8} {statistics.median(times):>10.1f} {min(times):>8.1f}")


def browser_time(articles, repeat, large=500):
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    port = os.environ.get("BENCH_PORT", "8765")
    # As in production: DEBUG off, static files from WhiteNoise with their cache headers (the dev settings
    # let WhiteNoise find them in the app folders). With DEBUG on, runserver serves every module again on
    # each load and Django's debug machinery slows the page; neither is what a user meets.
    env = dict(os.environ, DEBUG="0", ALLOWED_HOSTS="127.0.0.1")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        article, made = articles[large]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            for _ in range(50):
                try:
                    page.goto(f"{base}/accounts/login/")
                    break
                except PlaywrightError:  # the dev server is still starting
                    time.sleep(0.2)
            page.fill("#id_username", "bench")
            page.fill("#id_password", "pw")
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/")
            url = f"{base}/annotate/articles/{article.pk}/"

            def load() -> tuple[float, float]:
                """From the article list, as an annotator opens it: the whole navigation, and the part
                after the page's last byte (what the browser does with it)."""
                page.goto(f"{base}/annotate/")
                t0 = time.perf_counter()
                page.goto(url)
                page.wait_for_selector("html[data-workspace-ready=true]")
                total = (time.perf_counter() - t0) * 1000
                after = page.evaluate(
                    "() => performance.getEntriesByName('workspace:ready')[0].startTime"
                    " - performance.getEntriesByType('navigation')[0].responseEnd"
                )
                return total, after

            first, first_after = load()  # the first load fetches the static files
            runs = [load() for _ in range(repeat)]
            times = [t for t, _ in runs]
            shown = page.locator("#ws-text .a-quote").count() + page.locator("#ws-text .a-ent").count()
            browser.close()
        print(
            f"Chromium, {made} annotations ({shown} highlighted segments): navigation to workspace ready "
            f"median {statistics.median(times):.0f} ms, min {min(times):.0f} ms, max {max(times):.0f} ms over "
            f"{repeat} loads (static files cached); after the last byte median "
            f"{statistics.median(a for _, a in runs):.0f} ms; first load (static files fetched) {first:.0f} ms"
        )
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        server.terminate()
        server.wait(timeout=10)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--large", type=int, default=500, help="annotations on the large article (e.g. 5000)")
    parser.add_argument("--db", help="SQLite file to keep and reuse between runs (built when missing)")
    args = parser.parse_args()
    user, articles = build(args.large)
    print("Server time of GET /annotate/articles/<pk>/ (Django test client, SQLite):")
    server_times(user, articles, args.repeat)
    if not args.no_browser:
        browser_time(articles, max(3, args.repeat // 4), args.large)


if __name__ == "__main__":
    main()
