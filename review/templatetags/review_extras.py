from django import template

register = template.Library()


@register.filter
def fig(value, digits: int = 2):
    """A figure with ``digits`` decimals, or an em dash when there was nothing to count."""
    if value is None:
        return "—"
    return f"{value:.{int(digits)}f}"
