from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"

    def ready(self) -> None:
        from annotations.extensions import assigned_articles

        from .selectors import assigned_article_ids

        # The annotator's article list shows review's assignments first.
        assigned_articles.register(assigned_article_ids)
