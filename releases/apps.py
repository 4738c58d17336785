from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = "Corpus releases"

    def ready(self) -> None:
        # Release builds run as background jobs (the create page and the API enqueue them).
        from jobs.registry import register

        from .jobs import KIND

        register(KIND)
