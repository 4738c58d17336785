from django import forms

from annotations.filters import QuoteFilter
from annotations.models import Layer, Status

from .models import Licence, Release
from .selection import FILTER_NAMES


class ReleaseForm(forms.Form):
    name = forms.CharField(max_length=80, help_text=Release._meta.get_field("name").help_text)
    version = forms.CharField(max_length=64, help_text="Semantic version: MAJOR.MINOR.PATCH, such as 1.0.0.")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    licence = forms.ChoiceField(choices=Licence.choices, initial=Licence.CC_BY_4_0)


def filter_form(data=None):
    """The exports' quote filters (QuoteFilter's own form), without status and sort."""
    form = QuoteFilter(data, default_status=Status.ACCEPTED, layer=Layer.CURATED).form
    for name in list(form.fields):
        if name not in FILTER_NAMES:
            del form.fields[name]
        elif "[invalid name]" in str(form.fields[name].label):
            form.fields[name].label = name.replace("_", " ").capitalize()
    return form


def filter_params(data) -> dict[str, str]:
    return {name: data.get(name, "") for name in FILTER_NAMES if (data.get(name) or "").strip()}
