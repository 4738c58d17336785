"""ValidationError → what a person reads. The one rule for every app (corpus is below them all).

A field error reads "field: message"; an error of the whole object (``__all__``, or a ValidationError
raised without a field) reads as its message alone.
"""

from django.core.exceptions import ValidationError

NON_FIELD = "__all__"


def validation_errors(exc: ValidationError) -> dict[str, list[str]]:
    """Messages per field (``__all__`` for the whole object), as forms and the JSON API report them."""
    if hasattr(exc, "error_dict"):
        return {field: list(messages) for field, messages in exc.message_dict.items()}
    return {NON_FIELD: list(exc.messages)}


def validation_messages(exc: ValidationError) -> list[str]:
    """One line per message, each field message prefixed with its field's name."""
    return [
        message if field == NON_FIELD else f"{field}: {message}"
        for field, messages in validation_errors(exc).items()
        for message in messages
    ]


def validation_message(exc: ValidationError) -> str:
    """All messages in one line (for a flash message, a report row or a nested error)."""
    return "; ".join(validation_messages(exc))
