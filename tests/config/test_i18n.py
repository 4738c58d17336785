"""Labels of the project's choices are marked for translation, like the rest of the interface."""

from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

from annotations.models import Quote

OUR_APPS = {
    app.label
    for app in apps.get_app_configs()
    if app.path.startswith(str(settings.BASE_DIR)) and "/.venv/" not in app.path
}


def untranslated_choice_labels() -> list[str]:
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or []:
                if not isinstance(label, Promise):
                    found.append(f"{model._meta.label}.{field.name}={value!r}")
    return found


def test_our_apps_are_found():
    assert {"annotations", "corpus", "jobs", "releases", "research", "suggestions"} <= OUR_APPS


def test_every_choice_label_of_our_models_is_marked_for_translation():
    assert untranslated_choice_labels() == []


def test_a_label_is_looked_up_in_the_active_language_when_shown():
    # Marked lazily: the label is translated when it is shown, not once when the module is imported.
    label = dict(Quote.Kind.choices)["direct"]
    with translation.override("en"):
        assert str(label) == "Direct"
    assert isinstance(label, Promise)
