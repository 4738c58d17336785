from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "ingest"

    def ready(self) -> None:
        # Imports over IMPORT_BACKGROUND_BYTES run as a background job.
        from jobs.registry import register

        from .jobs import KIND

        register(KIND)
