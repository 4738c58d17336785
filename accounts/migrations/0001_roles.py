"""Create the annotator, editor and researcher groups with their model permissions."""

from django.db import migrations

ROLE_PERMISSIONS = {
    "annotator": {
        "corpus": {"article": ["view"], "speaker": ["view", "add"], "speakeralias": ["view", "add"]},
        "annotations": {
            "entitymention": ["view", "add", "change", "delete"],
            "quote": ["view", "add", "change", "delete"],
            "quotespan": ["view", "add", "change", "delete"],
            "stance": ["view", "add", "change", "delete"],
            "stancetarget": ["view", "add"],
            "quoteevent": ["view"],
        },
    },
    "editor": {
        "corpus": {
            "article": ["view", "add", "change", "delete"],
            "speaker": ["view", "add", "change", "delete"],
            "speakeralias": ["view", "add", "change", "delete"],
        },
        "annotations": {
            "entitymention": ["view", "add", "change", "delete"],
            "quote": ["view", "add", "change", "delete"],
            "quotespan": ["view", "add", "change", "delete"],
            "stance": ["view", "add", "change", "delete"],
            "stancetarget": ["view", "add", "change", "delete"],
            "quoteevent": ["view"],
        },
    },
    "researcher": {
        "corpus": {"article": ["view"], "speaker": ["view"], "speakeralias": ["view"]},
        "annotations": {
            "entitymention": ["view"],
            "quote": ["view"],
            "quotespan": ["view"],
            "stance": ["view"],
            "stancetarget": ["view"],
            "quoteevent": ["view"],
        },
    },
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the groups need them now.
    for app_label in ("corpus", "annotations"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, by_app in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        codenames = [
            (app, f"{action}_{model}") for app, models in by_app.items() for model, actions in models.items()
            for action in actions
        ]
        for app, codename in codenames:
            group.permissions.add(Permission.objects.get(content_type__app_label=app, codename=codename))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("corpus", "0001_initial"),
        ("annotations", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
