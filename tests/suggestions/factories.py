"""Helpers for suggestion tests: articles with known quotes, suggestions stored through the services."""

from suggestions import services
from tests.factories import ArticleFactory

BODY = (
    "Mayor Jane Doe spoke on Monday. “We will rebuild the bridge,” Ms. Doe said.\n\n"
    "The work would start in May, two city officials said."
)


def article_with_suggestions(**kwargs):
    article = ArticleFactory(body=BODY, **kwargs)
    stored = services.suggest_for_article(article=article)
    return article, stored
