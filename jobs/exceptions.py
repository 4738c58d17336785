"""What job code raises: a cancel asked for while it ran, a request the job's state does not allow."""

from django.core.exceptions import ValidationError


class JobCancelled(Exception):
    """Raised by ``JobContext.check_cancelled`` once a cancel was asked for: the job's transaction rolls back."""


class JobStateConflict(ValidationError):
    """Cancel or retry of a job in a state that does not allow it (the API answers 409)."""

    def __init__(self, message: str, *, status: str):
        super().__init__(message)
        self.status = status
