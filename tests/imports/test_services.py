"""Services of the staff import around the run: what an import created, limits at upload, retention of the
uploaded files, a refused import run again as a partial one, labels taken as existing skills and jobs."""

import io
import json
from datetime import timedelta
from pathlib import Path

from django.core.files import File
from django.core.management import call_command
from django.utils import timezone

from imports.models import ImportAlias, ImportJob
from imports.services import (
    clean_options,
    import_alias_save,
    import_files_purge,
    import_job_create,
    import_job_retry_partial,
    import_run,
)
from skills_matrix.models import EmployeeSkill, OrgSkill
from tests.imports.filegen import STAFF_HEADER, generate_us_export, make_employees, write_csv, write_xlsx
from workforce.models import Employee, Job, OrgUnit


def test_it_imports_a_us_export_with_no_mapping_and_creates_no_skill(in_alpha, tmp_path, run_import):
    job = run_import(generate_us_export(tmp_path / "HRDataset.csv", 30))
    assert (job.status, job.created, job.invalid, job.error_count, job.skills) == ("ok", 30, 0, 0, 0)
    assert OrgSkill.objects.count() == 0 and EmployeeSkill.objects.count() == 0
    assert Employee.objects.filter(exit_date__isnull=False).count() == 10
    assert sorted(job.created_items["jobs"]) == sorted(Job.objects.values_list("title", flat=True))
    assert sorted(job.created_items["org_units"]) == sorted(OrgUnit.objects.values_list("name", flat=True))
    assert job.created_items["skills"] == []
    decisions = {column: (decision, reason) for column, decision, _target, reason in job.column_decisions}
    assert decisions["Termd"] == ("unknown", "flag") and decisions["RaceDesc"] == ("sensitive", "sensitive")
    assert decisions["ManagerID"] == ("unknown", "unmatched_managers")


def test_it_lists_what_the_import_created_in_the_commands_json(in_alpha, tmp_path):
    rows = [[*STAFF_HEADER, "Soudure TIG"], *[[*r, 2] for r in make_employees(3)]]
    path = write_xlsx(tmp_path / "export.xlsx", rows)
    out = io.StringIO()
    call_command("staff_import", "--tenant", in_alpha.slug, str(path), "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["created_items"] == {
        "jobs": sorted(Job.objects.values_list("title", flat=True), key=[r[8] for r in rows[1:]].index),
        "org_units": list(dict.fromkeys(r[7] for r in rows[1:])),
        "skills": ["Soudure TIG"],
    }
    # a second import of the same file creates nothing
    out = io.StringIO()
    call_command("staff_import", "--tenant", in_alpha.slug, str(path), "--json", stdout=out)
    assert json.loads(out.getvalue())["created_items"] == {"jobs": [], "org_units": [], "skills": []}


def test_it_refuses_a_file_over_the_row_limit_before_storing_it(in_alpha, tmp_path, settings):
    settings.ESIPRO_IMPORT_MAX_ROWS = 100
    stored = set(Path(settings.MEDIA_ROOT).rglob("*"))
    path = write_csv(tmp_path / "export.csv", [STAFF_HEADER, *make_employees(150)], delimiter=";")
    with path.open("rb") as handle:
        job = import_job_create(user=None, file=File(handle), file_name=path.name, options=clean_options())
    assert (job.status, job.file.name) == ("failed", "")
    assert job.message.startswith("Le fichier « export.csv » contient plus de 100 lignes")
    assert set(Path(settings.MEDIA_ROOT).rglob("*")) == stored


def test_it_refuses_a_file_over_the_size_limit_before_reading_it(in_alpha, tmp_path, settings):
    settings.ESIPRO_IMPORT_MAX_MB = 1
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\0" * (1024 * 1024 + 10))  # not even read: its size refuses it
    with path.open("rb") as handle:
        job = import_job_create(user=None, file=File(handle), file_name=path.name, options=clean_options())
    assert (job.status, job.file.name) == ("failed", "")
    assert job.message.startswith("Le fichier « export.xlsx » fait 2 Mo, au-delà de la limite de 1 Mo.")


def test_it_accepts_a_file_just_under_the_row_limit(in_alpha, tmp_path, settings):
    settings.ESIPRO_IMPORT_MAX_ROWS = 100
    path = write_xlsx(tmp_path / "export.xlsx", [STAFF_HEADER, *make_employees(99)])
    with path.open("rb") as handle:
        job = import_job_create(user=None, file=File(handle), file_name=path.name, options=clean_options(),
                                background=False)
    assert job.status == "pending" and job.file.name
    assert import_run(job=job).created == 99


def test_it_deletes_uploaded_files_after_the_retention_period(in_alpha, tmp_path, run_import, settings):
    settings.ESIPRO_IMPORT_KEEP_DAYS = 30
    old = run_import(write_xlsx(tmp_path / "janvier.xlsx", [STAFF_HEADER, *make_employees(2)]))
    recent = run_import(write_xlsx(tmp_path / "fevrier.xlsx", [STAFF_HEADER, *make_employees(3)]))
    old_path, recent_path = Path(old.file.path), Path(recent.file.path)
    ImportJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=31))
    assert import_files_purge() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.file.name, old.file_deleted_at is not None) == ("", True)
    assert not old_path.exists() and recent_path.exists() and recent.file_deleted_at is None
    assert import_files_purge(now=timezone.now() + timedelta(days=31)) == 1
    assert not recent_path.exists()


def test_it_does_not_keep_a_file_it_cannot_read(in_alpha, tmp_path, run_import):
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"PK\x03\x04 not a zip")
    job = run_import(path)
    assert (job.status, job.file.name) == ("failed", "")


def test_it_runs_a_refused_import_again_as_a_partial_one_without_a_new_upload(in_alpha, tmp_path, run_import):
    rows = make_employees(4)
    rows[2][3] = "pas-un-email"
    refused = run_import(write_xlsx(tmp_path / "export.xlsx", [STAFF_HEADER, *rows]))
    assert (refused.status, Employee.objects.count()) == ("rejected", 0)
    again = import_job_retry_partial(job=refused, user=None)
    assert (again.status, again.options["partial"], again.file.name) == ("pending", True, refused.file.name)
    assert import_job_retry_partial(job=refused, user=None) == again  # a second click: the same job
    done = import_run(job=again)
    assert (done.status, done.created, done.invalid) == ("ok", 3, 1)


def test_it_reads_a_file_label_as_the_existing_skill_and_job_chosen_once(in_alpha, tmp_path, run_import):
    OrgSkill.objects.create(label="Lire un plan technique", normalized_label="lire un plan technique")
    Job.objects.create(title="Soudeur / Soudeuse")
    import_alias_save(kind="skill", source_label="Lecture de plans", target_label="Lire un plan technique", user=None)
    import_alias_save(kind="job", source_label="Soudeur", target_label="soudeur / soudeuse", user=None)
    assert ImportAlias.objects.count() == 2
    rows = [["Matricule", "Nom", "Poste", "Lecture de plans"], ["E1", "Durand", "Soudeur", 3],
            ["E2", "Petit", "SOUDEUR", 2]]
    job = run_import(write_xlsx(tmp_path / "mars.xlsx", rows))
    assert (job.status, job.created) == ("ok", 2)
    assert job.created_items == {"jobs": [], "org_units": [], "skills": []}
    assert list(OrgSkill.objects.values_list("label", flat=True)) == ["Lire un plan technique"]
    assert set(Employee.objects.values_list("job__title", flat=True)) == {"Soudeur / Soudeuse"}
    assert EmployeeSkill.objects.filter(skill__label="Lire un plan technique").count() == 2
