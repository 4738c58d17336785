from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "exports"

    def ready(self) -> None:
        from django.core import serializers

        # The site backup's format (exports.backup): JSON Lines with times to the microsecond.
        serializers.register_serializer("jsonl-exact", "exports.exact_jsonl")
