from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"

    def ready(self) -> None:
        from annotations.extensions import assigned_articles

        from .selectors import assigned_article_ids

        # The annotator's article list shows review's assignments first.
        assigned_articles.register(assigned_article_ids)

        # Stored agreement: an annotator's change marks its articles for recomputation.
        from annotations.signals import annotations_changed

        annotations_changed.connect(_mark_agreement_stale, dispatch_uid="review.agreement_stale")

        # Recomputing the agreement runs as a background job (the agreement page's "Recompute").
        from jobs.registry import register

        from .jobs import KIND

        register(KIND)


def _mark_agreement_stale(sender: object, *, article_ids: frozenset[int], **kwargs: object) -> None:
    from .services import agreement_mark_stale

    agreement_mark_stale(article_ids=article_ids)
