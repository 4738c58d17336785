"""A choice widget that renders only the chosen row: filters over tables of any size.

A ``<select>`` of every article or speaker is 100,000 options at a million quotes (9 MB of HTML on the
review queue). ``LookupSelect`` renders the empty choice and the selected value only (one query for
its label), and names the lookup endpoint that ``static/js/lookup.js`` turns it into a search box
with. Without JavaScript it still submits and clears the chosen value.
"""

from typing import Any

from django import forms
from django.urls import reverse


class LookupSelect(forms.Select):
    def __init__(self, lookup: str, *, empty_label: str = "Any", attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs)
        self.lookup = lookup
        self.empty_label = empty_label

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = {**(attrs or {}), "data-lookup": reverse("api-v1:lookup", kwargs={"kind": self.lookup})}
        return super().get_context(name, value, attrs)

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> list[Any]:
        """The empty choice and the chosen rows only; never iterates the queryset's every row."""
        chosen = [v for v in value if v not in ("", None)]
        options = [self.create_option(name, "", self.empty_label, not chosen, 0)]
        queryset = getattr(self.choices, "queryset", None)
        if chosen and queryset is not None:
            valid = [v for v in chosen if str(v).isdigit()]
            rows = queryset.filter(pk__in=valid) if valid else queryset.none()
            for index, obj in enumerate(rows, start=1):
                label = self.choices.field.label_from_instance(obj)  # type: ignore[attr-defined]
                options.append(self.create_option(name, str(obj.pk), label, True, index))
        return [(None, options, 0)]
