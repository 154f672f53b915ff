"""``MobilityPlan.scenario_id`` becomes a real foreign key to ``foresight.Scenario`` (deleting a scenario
deletes its plans). Plans whose scenario no longer exists are removed first so the constraint holds."""

import django.db.models.deletion
from django.db import migrations, models


def drop_orphan_plans(apps, schema_editor):
    plan = apps.get_model("mobility", "MobilityPlan")
    scenario = apps.get_model("foresight", "Scenario")
    plan.objects.exclude(scenario_id__in=scenario.objects.values("pk")).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("foresight", "0001_initial"),
        ("mobility", "0002_change_triggers"),
    ]

    operations = [
        migrations.RunPython(drop_orphan_plans, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="mobilityplan",
            name="scenario_id",
            field=models.BigIntegerField(verbose_name="scénario"),
        ),
        migrations.RenameField(model_name="mobilityplan", old_name="scenario_id", new_name="scenario"),
        migrations.AlterField(
            model_name="mobilityplan",
            name="scenario",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="mobility_plans",
                                    to="foresight.scenario", verbose_name="scénario"),
        ),
    ]
