"""The spreadsheet formula rule, for every CSV the project writes (the exports' SQL path mirrors it)."""

# A cell that starts with one of these can run as a spreadsheet formula (or, for tab and carriage
# return, hide one behind white space); such a cell gets a leading apostrophe.
DANGEROUS_FIRST_CHARS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: str | None) -> str:
    """The formula rule: a text cell starting with = + - @ tab or CR gets a leading apostrophe."""
    if not value:
        return ""
    return "'" + value if value[0] in DANGEROUS_FIRST_CHARS else value
