"""Validation of the workspace's JSON payloads. Offsets are code points; texts are checked against the article."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from corpus.models import QID_VALIDATOR, RoleCategory, Speaker, SpeakerAttribute

from .models import EntityMention, Quote, Stance, StanceTarget
from .services import DESCRIBED_NEEDS_MENTION


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def clean_span(value, what: str):
    if value in (None, "", []):
        return None
    if not isinstance(value, (list, tuple)) or len(value) != 2 or not all(_is_int(v) for v in value):
        raise ValidationError(_("The %(what)s must be a pair of whole numbers [start, end].") % {"what": what})
    return [value[0], value[1]]


class DataField(forms.Field):
    """A value already decoded from the JSON body (list, dict, number); the form's clean_* checks its shape."""

    def to_python(self, value):
        return None if value in self.empty_values else value


def errors_dict(form: forms.Form) -> dict[str, list[str]]:
    return {field: [str(m) for m in messages] for field, messages in form.errors.items()}


class SpeakerForm(forms.Form):
    name = forms.CharField(max_length=300)
    kind = forms.ChoiceField(choices=Speaker.Kind.choices, initial=Speaker.Kind.PERSON, required=False)
    description = forms.CharField(max_length=500, required=False)
    affiliation = forms.ModelChoiceField(queryset=Speaker.objects.all(), required=False)
    # The Wikidata item the user picked from the search (never one chosen for them).
    wikidata_qid = forms.CharField(max_length=20, required=False, validators=[QID_VALIDATOR])

    def clean_kind(self):
        return self.cleaned_data.get("kind") or Speaker.Kind.PERSON

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "kind": data["kind"],
            "description": data.get("description", ""),
            "affiliation": data.get("affiliation"),
            # A pick: the service links it for an editor and stores it as a proposal for anyone else.
            "wikidata_pick": data.get("wikidata_qid", ""),
        }


# Kinds a gender does not apply to (the model's "not applicable"); the form does not take one for them.
NO_GENDER_KINDS = frozenset({Speaker.Kind.ORGANIZATION, Speaker.Kind.GROUP})


def gender_choices() -> list[tuple[str, str | Promise]]:
    """What a person's gender can be set to in the workspace ("not applicable" is for kinds without one)."""
    return [(v, label) for v, label in SpeakerAttribute.Gender.choices if v != SpeakerAttribute.Gender.NOT_APPLICABLE]


class SpeakerAttributesForm(forms.Form):
    """Gender and role given with a new speaker in the workspace, and whether the article says so."""

    gender = forms.ChoiceField(choices=[("", "")], required=False)
    role = forms.ChoiceField(choices=[("", "")], required=False)
    described = forms.BooleanField(required=False)

    def __init__(self, data, *, kind: str):
        super().__init__(data)
        self.kind = kind
        # The codebook is the database's (staff edit it), so its choices are read per form.
        gender, role = self.fields["gender"], self.fields["role"]
        assert isinstance(gender, forms.ChoiceField) and isinstance(role, forms.ChoiceField)
        gender.choices = [("", ""), *gender_choices()]
        role.choices = [("", ""), *RoleCategory.objects.values_list("code", "label")]

    def clean_gender(self):
        value = self.cleaned_data.get("gender") or ""
        if value and self.kind in NO_GENDER_KINDS:
            raise ValidationError(_("Gender does not apply to an organization or a group; leave it empty."))
        return value


class StanceTargetForm(forms.Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(required=False)


class StanceForm(forms.Form):
    target = forms.ModelChoiceField(queryset=StanceTarget.objects.all(), required=False)
    target_name = forms.CharField(max_length=200, required=False)
    label = forms.ChoiceField(choices=Stance.Label.choices)
    note = forms.CharField(required=False, max_length=5000)

    def clean(self):
        data = super().clean()
        if not data.get("target") and not (data.get("target_name") or "").strip():
            raise ValidationError(_("Pick a stance target or type the name of a new one."))
        return data


class QuoteForm(forms.Form):
    """A quote as the workspace sends it. With ``partial=True`` only the keys present are checked and changed."""

    kind = forms.ChoiceField(choices=Quote.Kind.choices)
    spans = DataField()
    span_texts = DataField(required=False)
    cue = DataField(required=False)
    cue_text = forms.CharField(required=False, strip=False)
    speaker_mention = DataField(required=False)
    speaker_mention_text = forms.CharField(required=False, strip=False)
    speaker = forms.ModelChoiceField(queryset=Speaker.objects.all(), required=False)
    new_speaker = DataField(required=False)
    tags = DataField(required=False)
    stances = DataField(required=False)
    version = forms.IntegerField(required=False, min_value=1)

    def __init__(self, data, *, article, partial: bool = False):
        self.article = article
        self.partial = partial
        self.present = set(data)
        super().__init__(data)
        if partial:
            # A key left out is unchanged; a required one sent empty (``"spans": null``) is refused.
            for name, field in self.fields.items():
                field.required = field.required and name in self.present

    def _check_text(self, span, text, what):
        if span is None or text in (None, ""):
            return
        actual = self.article.body[span[0] : span[1]]
        if actual != text:
            raise ValidationError(
                _(
                    "The %(what)s text %(text)r does not match the article at %(start)s-%(end)s (%(actual)r); reload the page."
                )
                % {"what": what, "text": text, "start": span[0], "end": span[1], "actual": actual}
            )

    def clean_spans(self):
        value = self.cleaned_data.get("spans")
        if value is None and self.partial:
            return None
        if not isinstance(value, list) or not value:
            raise ValidationError(_("Select the words of the quote (at least one span)."))
        return [clean_span(span, _("quote span")) for span in value]

    def clean_span_texts(self):
        value = self.cleaned_data.get("span_texts")
        if value in (None, "", []):
            return None
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            raise ValidationError(_("Span texts must be a list of strings."))
        return value

    def clean_cue(self):
        return clean_span(self.cleaned_data.get("cue"), _("cue"))

    def clean_speaker_mention(self):
        return clean_span(self.cleaned_data.get("speaker_mention"), _("speaker mention"))

    def clean_tags(self):
        value = self.cleaned_data.get("tags")
        if value in (None, ""):
            return [] if "tags" in self.present else None
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            raise ValidationError(_("Tags must be a list of words."))
        return [t.strip() for t in value if t.strip()]

    def clean_new_speaker(self):
        value = self.cleaned_data.get("new_speaker")
        if value in (None, "", {}):
            return None
        if not isinstance(value, dict):
            raise ValidationError(_("The new speaker must be an object with a name."))
        form = SpeakerForm(
            {k: v for k, v in value.items() if k in ("name", "kind", "description", "affiliation", "wikidata_qid")}
        )
        attributes = SpeakerAttributesForm(
            {k: v for k, v in value.items() if k in ("gender", "role", "described")},
            kind=value.get("kind") or Speaker.Kind.PERSON,
        )
        if not all([form.is_valid(), attributes.is_valid()]):  # both checked, so every message is shown
            errors = {**errors_dict(form), **errors_dict(attributes)}
            raise ValidationError(
                [
                    f"{'Speaker ' + k if k != '__all__' else ''}: {m}".lstrip(": ")
                    for k, ms in errors.items()
                    for m in ms
                ]
            )
        kwargs = form.service_kwargs()
        chosen = {k: attributes.cleaned_data[k] for k in ("gender", "role") if attributes.cleaned_data[k]}
        if chosen:
            kwargs["attributes"] = {"values": chosen, "described": attributes.cleaned_data["described"]}
        return kwargs

    def clean_stances(self):
        value = self.cleaned_data.get("stances")
        if value in (None, ""):
            return [] if "stances" in self.present else None
        if not isinstance(value, list):
            raise ValidationError(_("Stances must be a list."))
        if len(value) > settings.STANCES_MAX_PER_REQUEST:
            raise ValidationError(
                _("At most %(max)s stances in one request (got %(n)s); settings.STANCES_MAX_PER_REQUEST.")
                % {"max": settings.STANCES_MAX_PER_REQUEST, "n": len(value)}
            )
        cleaned, messages = [], []
        for i, item in enumerate(value, start=1):
            form = StanceForm(item if isinstance(item, dict) else {})
            if form.is_valid():
                cleaned.append(form.cleaned_data)
            else:
                for field, ms in errors_dict(form).items():
                    label = "" if field == "__all__" else f"{field.replace('_', ' ')}: "
                    messages.extend(
                        _("Stance %(i)s: %(label)s%(message)s") % {"i": i, "label": label, "message": m} for m in ms
                    )
        if messages:
            raise ValidationError(messages)
        return cleaned

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        spans = data.get("spans")
        texts = data.get("span_texts")
        if spans and texts is not None:
            if len(texts) != len(spans):
                self.add_error("span_texts", _("Give one text for each quote span."))
            else:
                try:
                    for span, text in zip(spans, texts):
                        self._check_text(span, text, _("quote span"))
                except ValidationError as exc:
                    self.add_error("spans", exc)
        for key, what in (("cue", _("cue")), ("speaker_mention", _("speaker mention"))):
            try:
                self._check_text(data.get(key), data.get(f"{key}_text"), what)
            except ValidationError as exc:
                self.add_error(key, exc)
        if data.get("speaker") and data.get("new_speaker"):
            self.add_error("speaker", _("Choose an existing speaker or create a new one, not both."))
        described = ((data.get("new_speaker") or {}).get("attributes") or {}).get("described")
        # A partial change that leaves the mention out keeps the quote's own: the service checks that one.
        mention_given = not self.partial or "speaker_mention" in self.present
        if described and mention_given and not data.get("speaker_mention"):
            self.add_error("new_speaker", _(DESCRIBED_NEEDS_MENTION))
        return data

    def service_fields(self) -> dict:
        """The keyword arguments for ``services.quote_save`` (only those sent, for a partial update)."""
        data = self.cleaned_data
        keys = [
            "kind",
            "spans",
            "span_texts",
            "cue",
            "cue_text",
            "speaker_mention",
            "speaker_mention_text",
            "speaker",
            "new_speaker",
            "tags",
            "stances",
        ]
        if self.partial:
            keys = [k for k in keys if k in self.present]
        fields = {k: data.get(k) for k in keys}
        if fields.get("new_speaker"):
            fields.pop("speaker", None)
        for key in ("cue_text", "speaker_mention_text"):
            if key in fields and not fields[key]:
                fields[key] = None
        if "span_texts" in fields and not fields["span_texts"]:
            fields["span_texts"] = None
        return fields


class MentionForm(forms.Form):
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=1)
    text = forms.CharField(required=False, strip=False)
    label = forms.ChoiceField(choices=EntityMention.Label.choices)

    def __init__(self, data, *, article, partial: bool = False):
        self.article = article
        self.present = set(data)
        super().__init__(data)
        if partial:
            for field in self.fields.values():
                field.required = False

    def clean(self):
        data = super().clean()
        start, end, text = data.get("start"), data.get("end"), data.get("text")
        if start is not None and end is not None and text:
            actual = self.article.body[start:end]
            if actual != text:
                raise ValidationError(
                    _(
                        "The entity text %(text)r does not match the article at %(start)s-%(end)s (%(actual)r); reload the page."
                    )
                    % {"text": text, "start": start, "end": end, "actual": actual}
                )
        return data
