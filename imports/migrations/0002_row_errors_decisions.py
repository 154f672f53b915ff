import django.db.models.deletion
from django.db import migrations, models


def copy_errors(apps, schema_editor):
    """Jobs kept their first errors in a JSON list: move them to ImportRowError."""
    ImportJob = apps.get_model("imports", "ImportJob")
    ImportRowError = apps.get_model("imports", "ImportRowError")
    for job in ImportJob.objects.exclude(errors=[]).only("id", "errors").iterator():
        ImportRowError.objects.bulk_create(
            [ImportRowError(job_id=job.id, row=e.get("row") or 0, column=e.get("column") or "",
                            value=str(e.get("value") or ""), message=e.get("message") or "") for e in job.errors],
            batch_size=5000,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('imports', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='ImportRowError',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('row', models.PositiveIntegerField(verbose_name='ligne')),
                ('column', models.TextField(blank=True, verbose_name='colonne')),
                ('value', models.TextField(blank=True, verbose_name='valeur')),
                ('message', models.TextField(verbose_name='message')),
                ('job', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='row_errors', to='imports.importjob')),
            ],
            options={
                'verbose_name': "erreur d'import",
                'ordering': ['job', 'id'],
            },
        ),
        migrations.RunPython(copy_errors, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='importjob',
            name='errors',
        ),
        migrations.AddField(
            model_name='importjob',
            name='decisions',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='importjob',
            name='queued_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
