from django import forms

from .services import TOKEN_MAX_EXPIRES_DAYS, TOKEN_NAME_MAX_CHARS


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=TOKEN_NAME_MAX_CHARS, help_text="What the token is for, e.g. “analysis notebook”."
    )
    read_only = forms.BooleanField(required=False, label="Read only", help_text="The token can read, never write.")
    expires_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=TOKEN_MAX_EXPIRES_DAYS,
        label="Expires after (days)",
        help_text="Empty: never expires.",
    )
