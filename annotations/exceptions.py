class VersionConflict(Exception):
    """Raised when a write names a quote version that is no longer current."""

    def __init__(self, current, expected: int):
        self.current = current
        self.expected = expected
        super().__init__(
            f"This quote was changed by {current.reviewed_by or current.annotator} while you were working on it "
            f"(you saw version {expected}, it is now at version {current.version}, status "
            f"{current.get_status_display().lower()}). Reload to see the current state."
        )
