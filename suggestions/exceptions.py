"""Conditions of the suggestions app that callers tell apart by type, not by message."""

from django.core.exceptions import ValidationError


class SuggestionConflict(ValidationError):
    """The suggestion can no longer be decided: it was decided already, or the article text changed.

    A ValidationError (the pages show its message as before); the API answers it with a 409.
    ``status`` is the suggestion's status now.
    """

    def __init__(self, message: str, *, status: str):
        super().__init__(message)
        self.status = status
