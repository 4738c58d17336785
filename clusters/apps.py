from django.apps import AppConfig


class ClustersConfig(AppConfig):
    name = "clusters"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from annotations.signals import curated_changed
        from corpus.models import Article

        from . import receivers
        from .models import ClusterMember

        # A change of the curated layer places its quotes at once, in the writing transaction.
        curated_changed.connect(receivers.curated_changed, dispatch_uid="clusters.curated")
        # A curated quote deleted (its membership cascades): its cluster is recounted, or split.
        post_delete.connect(receivers.member_deleted, sender=ClusterMember, dispatch_uid="clusters.member_deleted")
        # An article's outlet or date are a cluster's outlets and first appearance.
        post_save.connect(receivers.article_saved, sender=Article, dispatch_uid="clusters.article_saved")
