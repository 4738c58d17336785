from django import forms
from django.conf import settings

from annotations.models import Status

FORMAT_CHOICES = [
    ("", "Detect from the file name"),
    ("txt", "Text: first line title, then the body"),
    ("jsonl", "JSON Lines: one article per line"),
    ("csv", "CSV with a header row"),
    ("brat", "brat standoff (.txt + .ann, or a .zip)"),
    ("doccano", "doccano JSONL"),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.jsonl,.json,.csv,.ann,.zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class ImportForm(forms.Form):
    files = MultipleFileField(required=False, label="Files")  # type: ignore[assignment]  # the field, not BaseForm.files
    text = forms.CharField(
        required=False,
        label="…or paste",
        widget=forms.Textarea(
            attrs={
                "rows": 8,
                "spellcheck": "false",
                "placeholder": "Title on the first line\n\nThe body of the article…",
            }
        ),
    )
    format = forms.ChoiceField(choices=FORMAT_CHOICES, required=False, label="Format")
    status = forms.ChoiceField(
        choices=[(Status.DRAFT, "Draft"), (Status.SUBMITTED, "Submitted for review")],
        initial=Status.DRAFT,
        label="Imported annotations are",
        help_text="brat and doccano only; they belong to you.",
    )

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        limit = settings.IMPORT_MAX_BYTES
        for upload in files:
            if upload.size > limit:
                raise forms.ValidationError(
                    f"{upload.name} is {upload.size:,} bytes, over the import limit of {limit:,} bytes. "
                    f"Split it into smaller files; nothing was imported."
                )
        return files

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("files") and not (cleaned.get("text") or "").strip() and not self.errors:
            raise forms.ValidationError("Choose a file or paste an article.")
        return cleaned
