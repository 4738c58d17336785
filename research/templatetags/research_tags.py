from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def optional_url(name: str, querystring: str = "") -> str:
    """The URL named ``name`` followed by ``?querystring``, or "" while no such URL exists.

    The quote browser links to ``exports:quotes_csv``, which the exports app provides; until it does,
    the link is simply not shown.
    """
    try:
        url = reverse(name)
    except NoReverseMatch:
        return ""
    return f"{url}?{querystring}" if querystring else url


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with ``changes`` applied (a value of None or "" removes the key)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    return params.urlencode()
