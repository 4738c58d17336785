from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "suggestions"

    def ready(self) -> None:
        from annotations.extensions import workspace_panels

        # The suggestions panel in the annotation workspace.
        workspace_panels.register("suggestions/includes/workspace_panel.html")

        # "Suggest quotes for these articles" runs as a background job.
        from jobs.registry import register

        from .jobs import KIND

        register(KIND)
