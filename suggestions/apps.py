from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "suggestions"

    def ready(self) -> None:
        from annotations.extensions import workspace_panels

        # The suggestions panel in the annotation workspace.
        workspace_panels.register("suggestions/includes/workspace_panel.html")
