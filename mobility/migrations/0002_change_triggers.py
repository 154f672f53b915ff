"""Statement-level triggers that note every write on the inputs of the fit (see ``MobilityChange``).

The function lives in ``public`` (one copy) and writes to the schema of the table that changed, so the
same trigger works in every organisation's schema; ``tenants.cloning`` copies triggers to new schemas."""

from django.db import migrations

WATCHED = [
    "skills_matrix_employeeskill", "skills_matrix_jobrequirement", "skills_matrix_skillmapping",
    "skills_matrix_skillsimilarity", "skills_matrix_orgskill", "workforce_employee", "workforce_job",
    "mobility_training", "mobility_trainingskill",
]

FUNCTION = """
CREATE OR REPLACE FUNCTION public.mobility_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('INSERT INTO %I.mobility_mobilitychange (changed_at) VALUES (now())', TG_TABLE_SCHEMA);
    RETURN NULL;
END;
$$;
"""


def triggers(drop: bool) -> str:
    statements = []
    for table in WATCHED:
        statements.append(f"DROP TRIGGER IF EXISTS mobility_note_change ON {table}")
        if not drop:
            statements.append(
                f"CREATE TRIGGER mobility_note_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION public.mobility_note_change()")
    return ";\n".join(statements)


class Migration(migrations.Migration):
    dependencies = [
        ("mobility", "0001_initial"),
        ("skills_matrix", "0004_skill_similarity"),
        ("workforce", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(FUNCTION, migrations.RunSQL.noop),
        migrations.RunSQL(triggers(drop=False), triggers(drop=True)),
        migrations.RunSQL("INSERT INTO mobility_mobilitycache (version, seconds) VALUES (-1, 0)",
                          "DELETE FROM mobility_mobilitycache"),
    ]
