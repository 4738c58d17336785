"""The default codebook of speaker roles; staff edit it in the admin."""

from django.db import migrations

ROLES = [
    ("politician", "Politician", "Holds or seeks elected office, or speaks for a party."),
    ("government-official", "Government official", "Appointed or career official of a government or agency, "
     "speaking in that role (including unnamed officials)."),
    ("police-military", "Police or military", "Police, military, border or security personnel in that role."),
    ("expert", "Expert or academic", "Researcher, scientist, doctor, lawyer or analyst quoted for expertise."),
    ("business", "Business", "Executive, employee or spokesperson of a company, or a business group."),
    ("advocacy", "Advocacy", "Speaks for an advocacy group, union, charity or campaign."),
    ("journalist", "Journalist", "A journalist or commentator, including other outlets."),
    ("public", "Member of the public", "Speaks as a private person: resident, witness, patient, voter."),
    ("other", "Other", "None of the above; say which in the speaker's description."),
]


def add_roles(apps, schema_editor):
    RoleCategory = apps.get_model("corpus", "RoleCategory")
    for position, (code, label, guidance) in enumerate(ROLES):
        RoleCategory.objects.get_or_create(code=code, defaults={"label": label, "guidance": guidance,
                                                                "position": position})


class Migration(migrations.Migration):
    dependencies = [("corpus", "0003_speaker_attributes")]
    operations = [migrations.RunPython(add_roles, migrations.RunPython.noop)]
