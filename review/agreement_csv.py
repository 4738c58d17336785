"""The agreement figures as CSV (per pair of annotators, pooled, and alpha over all annotators).

One row per measure; text cells follow the spreadsheet formula rule (``text.spreadsheet``).
"""

import csv
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.http import HttpResponse

from corpus.models import Article
from text.spreadsheet import neutralize

from . import agreement
from .agreement import Report
from .selectors import AgreementResult, StoredAgreement, stored_article_agreement, usernames

HEADER = [
    "scope",
    "article_id",
    "article_title",
    "annotator_a",
    "annotator_b",
    "measure",
    "value",
    "counted",
    "detail",
]


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def report_rows(
    scope: str, article_id: int | str, title: str, report: Report, users: Mapping[Any, str]
) -> list[list[Any]]:
    """The rows of one report: each pair of annotators (by name), the pooled pairs, then alpha."""
    rows: list[list[Any]] = []
    pairs = [(users.get(a, a), users.get(b, b), s) for (a, b), s in report.pairs.items()]
    pairs.sort(key=lambda row: (row[0], row[1]))
    for a, b, s in [*pairs, ("all pairs", "pooled", report.pooled())]:
        for name, counts in (
            ("quote_f1_exact", s.quotes_exact),
            ("quote_f1_overlap", s.quotes_overlap),
            ("entity_f1_exact", s.entities_exact),
            ("entity_f1_overlap", s.entities_overlap),
        ):
            rows.append(
                [
                    scope,
                    article_id,
                    title,
                    a,
                    b,
                    name,
                    _fmt(counts.f1),
                    counts.matched,
                    f"matched {counts.matched} of {counts.n_a} + {counts.n_b} items",
                ]
            )
        rows.append(
            [
                scope,
                article_id,
                title,
                a,
                b,
                "speaker_agreement",
                _fmt(s.speaker_agreement),
                s.speaker_n,
                f"{s.speaker_agree} of {s.speaker_n} overlap-matched quote pairs",
            ]
        )
        rows.append(
            [
                scope,
                article_id,
                title,
                a,
                b,
                "kind_kappa",
                _fmt(s.kind_kappa),
                len(s.kind_pairs),
                "overlap-matched quote pairs",
            ]
        )
        rows.append(
            [
                scope,
                article_id,
                title,
                a,
                b,
                "stance_kappa",
                _fmt(s.stance_kappa),
                len(s.stance_pairs),
                "matched quote pairs x targets either labelled",
            ]
        )
    rows.append(
        [
            scope,
            article_id,
            title,
            "all",
            "",
            "kind_alpha",
            _fmt(report.kind_alpha),
            report.pairable_kind_units,
            "quote clusters marked by 2+ annotators",
        ]
    )
    rows.append(
        [
            scope,
            article_id,
            title,
            "all",
            "",
            "stance_alpha",
            _fmt(report.stance_alpha),
            report.pairable_stance_units,
            "cluster x target units with 2+ values",
        ]
    )
    return rows


def corpus_rows(result: AgreementResult) -> list[list[Any]]:
    """The corpus report, then every article's."""
    rows = report_rows("corpus", "", "", result.corpus, result.users)
    for pk, report in result.by_article.items():
        article = result.articles.get(pk)
        rows.extend(report_rows("article", pk, article.title if article else "", report, result.users))
    return rows


def stored_rows(stored: StoredAgreement) -> Iterator[list[Any]]:
    """The stored corpus report, then every stored article's (read in batches)."""
    if stored.corpus is None:
        return
    users = usernames(stored.corpus.annotators)
    yield from report_rows("corpus", "", "", stored.corpus, users)
    rows = stored_article_agreement().select_related("article").only("article_id", "report", "article__title")
    for row in rows.iterator(chunk_size=500):
        yield from report_rows(
            "article", row.article_id, row.article.title, agreement.report_from_data(row.report), users
        )


def article_rows(result: AgreementResult, article: Article) -> list[list[Any]]:
    report = result.by_article.get(article.pk)
    return report_rows("article", article.pk, article.title, report, result.users) if report else []


def response(filename: str, rows: Iterable[list[Any]]) -> HttpResponse:
    """A CSV attachment: the header, then ``rows`` with every text cell neutralized."""
    out = HttpResponse(content_type="text/csv; charset=utf-8")
    out["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([neutralize(v) if isinstance(v, str) else v for v in row])
    return out
