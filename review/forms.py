"""Forms of the review pages: they parse and validate input; the services do the writes."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from annotations.models import Quote, Stance
from annotations.spans import parse_span_offsets
from corpus.models import Article, Speaker

from . import selectors


def parse_spans(text: str, what: str) -> list[tuple[int, int]]:
    """Typed or hidden offsets (``12-40`` or ``12-40; 50-60``) through the one span parser."""
    try:
        return parse_span_offsets(text)
    except ValueError:
        raise ValidationError(f"Write the {what} as start-end, e.g. 12-40 (got “{text.strip()}”).") from None


def parse_span(text: str, what: str) -> tuple[int, int]:
    spans = parse_spans(text, what)
    if len(spans) != 1:
        raise ValidationError(f"Write the {what} as one start-end, e.g. 12-40 (got “{text.strip()}”).")
    return spans[0]


class DecisionForm(forms.Form):
    expected_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class RejectForm(DecisionForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "Give a reason for the rejection; the annotator will see it."},
    )


class CorrectForm(forms.Form):
    expected_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    # spans, cue and speaker are filled by static/review/correct.js from a selection in the paragraph and
    # the speaker combobox; the server validates them as before (offsets in code points, a known speaker id).
    spans = forms.CharField(
        help_text="Content spans as start-end, several separated by “;” (code points of the article text).",
        max_length=500,
        widget=forms.HiddenInput,
    )
    kind = forms.ChoiceField(choices=Quote.Kind.choices)
    speaker = forms.ModelChoiceField(
        queryset=Speaker.objects.only("id", "name"),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "That speaker does not exist (any more); pick one from the list."},
    )
    cue = forms.CharField(
        required=False, help_text="start-end, or empty for no cue.", max_length=50, widget=forms.HiddenInput
    )
    speaker_mention = forms.CharField(
        required=False, help_text="start-end, or empty for none.", max_length=50, widget=forms.HiddenInput
    )
    note = forms.CharField(
        required=False, max_length=2000, label="Note to the annotator", widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = list(targets)
        for target in self.targets:
            self.fields[f"stance_{target.pk}"] = forms.ChoiceField(
                label=f"Stance on {target.name}",
                required=False,
                choices=[("", "— none —"), *Stance.Label.choices],
            )

    def clean_spans(self):
        return parse_spans(self.cleaned_data["spans"], "span")

    def clean_cue(self):
        value = self.cleaned_data["cue"].strip()
        return parse_span(value, "cue") if value else None

    def clean_speaker_mention(self):
        value = self.cleaned_data["speaker_mention"].strip()
        return parse_span(value, "speaker mention") if value else None

    def stances(self) -> dict:
        return {t: self.cleaned_data.get(f"stance_{t.pk}") or None for t in self.targets}

    @staticmethod
    def initial_for(quote: Quote) -> dict:
        initial = {
            "expected_version": quote.version,
            "spans": quote.span_offsets,
            "kind": quote.kind,
            "speaker": quote.speaker_id,
            "cue": f"{quote.cue_start}-{quote.cue_end}" if quote.cue_start is not None else "",
            "speaker_mention": f"{quote.speaker_mention_start}-{quote.speaker_mention_end}"
            if quote.speaker_mention_start is not None
            else "",
        }
        for stance in quote.stances.all():
            initial[f"stance_{stance.target_id}"] = stance.label
        return initial


class BulkForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Reject")])
    quotes = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        ids, versions = [], {}
        selected = self.data.getlist("quote")
        if len(selected) > settings.BULK_MAX_QUOTES:
            raise ValidationError(
                f"Select at most {settings.BULK_MAX_QUOTES} quotes at once (got {len(selected)}); "
                f"settings.BULK_MAX_QUOTES."
            )
        for part in selected:
            try:
                pk, _, version = part.partition(":")
                ids.append(int(pk))
                if version:
                    versions[int(pk)] = int(version)
            except ValueError:
                raise ValidationError("The selection is malformed; reload the page.") from None
        if not ids:
            raise ValidationError("Select at least one quote (tick its box, or press x).")
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give a reason for rejecting the selection; the annotators will see it.")
        data["ids"], data["versions"] = ids, versions
        return data


class AnnotatorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_username()


class AssignForm(forms.Form):
    MODES = [("chosen", "Assign to the annotators ticked"), ("spread", "Spread evenly among the annotators ticked")]
    articles = forms.ModelMultipleChoiceField(
        queryset=Article.objects.only("id"), error_messages={"required": "Tick at least one article."}
    )
    annotators = AnnotatorChoiceField(
        queryset=selectors.annotators(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one annotator."},
    )
    mode = forms.ChoiceField(choices=MODES, initial="chosen", widget=forms.RadioSelect)
    per_article = forms.IntegerField(min_value=1, initial=2, required=False, label="Annotators per article")

    def clean(self):
        data = super().clean()
        if data.get("mode") == "spread" and not data.get("per_article"):
            self.add_error("per_article", "Say how many annotators each article should have.")
        return data


class SpeakerChoiceField(forms.ModelChoiceField):
    """A speaker with its Wikidata QID, when it has one: two namesakes linked to two items are two people."""

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.wikidata_qid})" if obj.wikidata_qid else obj.name


class SpeakerMergeForm(forms.Form):
    source = SpeakerChoiceField(queryset=Speaker.objects.order_by("name"), label="Duplicate (will disappear)")
    target = SpeakerChoiceField(queryset=Speaker.objects.order_by("name"), label="Keep")

    def clean(self):
        data = super().clean()
        if data.get("source") and data.get("source") == data.get("target"):
            raise ValidationError("Choose two different speakers.")
        return data
