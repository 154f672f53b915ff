from django.db import migrations

from skills_matrix.models import DEFAULT_LEVELS


def create_default_levels(apps, schema_editor):
    SkillLevel = apps.get_model("skills_matrix", "SkillLevel")
    for value, label, description in DEFAULT_LEVELS:
        SkillLevel.objects.get_or_create(value=value, defaults={"label": label, "description": description})


class Migration(migrations.Migration):
    dependencies = [("skills_matrix", "0001_initial")]
    operations = [migrations.RunPython(create_default_levels, migrations.RunPython.noop)]
