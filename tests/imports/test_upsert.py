"""The write phase through import_run, on generated files, inside one organisation."""

from datetime import date

import psycopg
import pytest
from django.db import DatabaseError, connection
from django.utils import timezone

from imports.models import EmployeeChange, ImportJob
from skills_matrix.engine import normalize_label
from skills_matrix.models import EmployeeSkill, OrgSkill
from tests.imports.filegen import (
    SKILLS,
    STAFF_HEADER,
    generate_hr_export,
    generate_long_skills,
    generate_wide_skills,
    make_employees,
    with_title_and_footer,
    write_xlsx,
)
from workforce.models import Employee, Job, OrgUnit


def staff_file(path, rows, **kwargs):
    return write_xlsx(path, with_title_and_footer([STAFF_HEADER, *rows]), **kwargs)


def rows_with_errors(n=6):
    rows = make_employees(n)
    rows[1][4] = "32/13/1980"  # impossible birth date, Excel row 7
    rows[3][10] = "abc"  # FTE, Excel row 9
    return rows


def test_it_imports_a_sirh_export_with_titles_footer_and_ghost_rows(in_alpha, tmp_path, run_import):
    job = run_import(generate_hr_export(tmp_path / "export.xlsx", 25))
    assert (job.status, job.rows, job.created, job.updated, job.unchanged, job.invalid) == ("ok", 25, 25, 0, 0, 0)
    assert job.header_row == 5
    assert job.message.startswith("Import terminé : 25 créés")
    assert Employee.objects.count() == 25
    e2 = Employee.objects.get(staff_number="E00002")
    source = make_employees(25)[1]
    assert (e2.last_name, e2.first_name, e2.email) == (source[1], source[2], source[3])
    assert (e2.birth_date, e2.hire_date) == (source[4], source[5])
    assert e2.manager.staff_number == "E00001"
    assert e2.org_unit.name == "Ressources humaines"
    assert e2.job.title == source[8] and e2.job.rome_code == source[11]
    assert float(e2.fte) == source[10]
    assert OrgUnit.objects.count() == 12
    left = [r for r in make_employees(25) if r[6] is not None and r[6] <= timezone.localdate()]
    assert Employee.objects.filter(is_active=False).count() == len(left)


def test_it_creates_org_units_and_jobs_once_whatever_their_spelling(in_alpha, tmp_path, run_import,
                                                                      org_unit_factory, job_factory):
    org_unit_factory(name="Logistique")
    job_factory(title="Magasinier", rome_code="")
    rows = make_employees(4)
    for row, unit, title in zip(rows, ["  logistique ", "LOGISTIQUE", "Atelier  bois", "atelier bois"],
                                ["magasinier", "Magasinier ", "Menuisier", "MENUISIER"], strict=True):
        row[7], row[8], row[11] = unit, title, "N1103"
    job = run_import(staff_file(tmp_path / "units.xlsx", rows))
    assert job.status == "ok"
    assert sorted(OrgUnit.objects.values_list("name", flat=True)) == ["Atelier bois", "Logistique"]
    assert sorted(Job.objects.values_list("title", "rome_code")) == [("Magasinier", "N1103"), ("Menuisier", "N1103")]


def test_it_is_idempotent(in_alpha, tmp_path, run_import):
    path = generate_wide_skills(tmp_path / "wide.xlsx", 12)
    first = run_import(path)
    second = run_import(path)
    assert (first.created, first.updated) == (12, 0)
    assert (second.created, second.updated, second.unchanged, second.skills) == (0, 0, 12, 0)
    assert second.message.startswith("Import terminé : 0 créé, 0 modifié, 12 inchangés")
    assert not EmployeeChange.objects.exists()
    assert Employee.objects.count() == 12


def test_it_updates_only_the_changed_employee_and_records_the_change(in_alpha, tmp_path, run_import):
    rows = make_employees(10)
    run_import(staff_file(tmp_path / "m1.xlsx", rows))
    before = dict(Employee.objects.values_list("staff_number", "updated_at"))
    rows[4][3] = "nouvelle.adresse@exemple.fr"
    rows[4][7] = "Qualité"
    job = run_import(staff_file(tmp_path / "m2.xlsx", rows))
    assert (job.created, job.updated, job.unchanged) == (0, 1, 9)
    after = dict(Employee.objects.values_list("staff_number", "updated_at"))
    assert [n for n in after if after[n] != before[n]] == ["E00005"]
    changes = {c.field: (c.old_value, c.new_value) for c in EmployeeChange.objects.filter(job=job)}
    assert changes == {
        "email": (make_employees(10)[4][3], "nouvelle.adresse@exemple.fr"),
        "org_unit": ("Logistique", "Qualité"),
    }
    assert EmployeeChange.objects.get(job=job, field="email").employee.staff_number == "E00005"


def test_it_restores_what_was_changed_in_the_application_since_the_last_import(in_alpha, tmp_path, run_import):
    rows = make_employees(6)
    path = staff_file(tmp_path / "m.xlsx", rows)
    run_import(path)
    edited = Employee.objects.get(staff_number="E00002")
    edited.last_name, edited.fte, edited.manager = "Renommé", 0.5 if rows[1][10] != 0.5 else 1.0, None
    edited.save()
    job = run_import(path)
    assert (job.created, job.updated, job.unchanged) == (0, 1, 5)
    edited.refresh_from_db()
    assert (edited.last_name, float(edited.fte), edited.manager.staff_number) == (rows[1][1], rows[1][10], rows[1][9])
    assert {c.field for c in EmployeeChange.objects.filter(job=job)} == {"last_name", "fte", "manager"}


def test_it_rejects_the_whole_file_and_writes_nothing(in_alpha, tmp_path, run_import):
    units_before = OrgUnit.objects.count()
    job = run_import(staff_file(tmp_path / "bad.xlsx", rows_with_errors()))
    assert job.status == "rejected"
    assert (job.rows, job.invalid, job.error_count, job.created) == (6, 2, 2, 0)
    assert job.message.startswith("Import refusé : 2 erreurs sur 2 lignes. Rien n'a été écrit.")
    assert [(e["row"], e["column"], e["value"]) for e in job.errors] == [
        (7, "Date de naissance", "32/13/1980"), (9, "Temps de travail", "abc"),
    ]
    assert "JJ/MM/AAAA" in job.errors[0]["message"]
    assert Employee.objects.count() == 0
    assert OrgUnit.objects.count() == units_before


def test_it_writes_the_valid_rows_in_partial_mode(in_alpha, tmp_path, run_import):
    job = run_import(staff_file(tmp_path / "bad.xlsx", rows_with_errors()), partial=True)
    assert (job.status, job.created, job.invalid) == ("ok", 4, 2)
    assert "2 lignes en erreur n'ont pas été importées." in job.message
    assert sorted(Employee.objects.values_list("staff_number", flat=True)) == [
        "E00001", "E00003", "E00005", "E00006",
    ]


def test_it_marks_employees_missing_from_a_full_export_as_departed(in_alpha, tmp_path, run_import):
    rows = [r[:6] + [None] + r[7:] for r in make_employees(10)]
    run_import(staff_file(tmp_path / "all.xlsx", rows))
    job = run_import(staff_file(tmp_path / "fewer.xlsx", rows[:7]), full_export=True)
    assert (job.status, job.departed, job.unchanged) == ("ok", 3, 7)
    assert Employee.objects.count() == 10
    gone = Employee.objects.filter(is_active=False).order_by("staff_number")
    assert [e.staff_number for e in gone] == ["E00008", "E00009", "E00010"]
    assert {e.exit_date for e in gone} == {timezone.localdate()}
    again = run_import(staff_file(tmp_path / "fewer2.xlsx", rows[:7]), full_export=True)
    assert again.departed == 0


def test_it_keeps_employees_whose_row_is_invalid_in_a_partial_full_export(in_alpha, tmp_path, run_import):
    rows = [r[:6] + [None] + r[7:] for r in make_employees(6)]
    run_import(staff_file(tmp_path / "all.xlsx", rows))
    rows[2][4] = "32/13/1980"
    job = run_import(staff_file(tmp_path / "bad.xlsx", rows), full_export=True, partial=True)
    assert (job.status, job.invalid, job.departed) == ("ok", 1, 0)
    assert Employee.objects.filter(is_active=True).count() == 6


def test_it_marks_an_employee_with_an_exit_date_as_departed(in_alpha, tmp_path, run_import):
    rows = [r[:6] + [None] + r[7:] for r in make_employees(3)]
    run_import(staff_file(tmp_path / "a.xlsx", rows))
    rows[2][6] = date(2025, 12, 31)
    job = run_import(staff_file(tmp_path / "b.xlsx", rows))
    assert (job.updated, job.departed) == (1, 1)
    e3 = Employee.objects.get(staff_number="E00003")
    assert (e3.is_active, e3.exit_date) == (False, date(2025, 12, 31))
    fields = set(EmployeeChange.objects.filter(job=job).values_list("field", flat=True))
    assert fields == {"exit_date", "is_active"}


def test_it_never_blanks_a_field_the_file_does_not_have(in_alpha, tmp_path, run_import):
    run_import(generate_hr_export(tmp_path / "full.xlsx", 5))
    short = write_xlsx(tmp_path / "short.xlsx", [["Matricule", "Nom"], *[[r[0], r[1]] for r in make_employees(5)]])
    job = run_import(short)
    assert (job.updated, job.unchanged) == (0, 5)
    assert Employee.objects.exclude(email="").count() == 5
    assert Employee.objects.exclude(manager=None).count() == 4


def test_it_writes_wide_skills_and_queues_unknown_labels_for_mapping(in_alpha, tmp_path, run_import):
    OrgSkill.objects.create(label="Travail en équipe", normalized_label="travail en equipe", needs_mapping=False)
    path = generate_wide_skills(tmp_path / "wide.xlsx", 4, skills=SKILLS[:3], levels=[0, 1, 2, 3, 4])
    job = run_import(path)
    assert (job.status, job.skills) == ("ok", 12)
    assert OrgSkill.objects.count() == 3
    assert set(OrgSkill.objects.filter(needs_mapping=True).values_list("label", flat=True)) == {
        "Respect des consignes de sécurité", "Utilisation d'un tableur",
    }
    current = EmployeeSkill.objects.filter(valid_to=None)
    assert current.count() == 12
    assert current.get(employee__staff_number="E00002", skill__label=SKILLS[0]).level == 1
    assert set(current.values_list("source", flat=True)) == {"import"}


def test_it_versions_a_changed_skill_level_instead_of_overwriting_it(in_alpha, tmp_path, run_import):
    run_import(generate_wide_skills(tmp_path / "w1.xlsx", 3, levels=[1, 2, 3]))
    job = run_import(generate_wide_skills(tmp_path / "w2.xlsx", 3, levels=[2, 2, 3]))
    assert (job.skills, job.updated, job.unchanged) == (3, 0, 3)
    history = EmployeeSkill.objects.filter(employee__staff_number="E00001", skill__label=SKILLS[0])
    assert sorted((r.level, r.valid_to is None) for r in history) == [(1, False), (2, True)]


def test_it_reads_the_long_skill_layout(in_alpha, tmp_path, run_import):
    job = run_import(generate_long_skills(tmp_path / "long.xlsx", 4))
    assert (job.status, job.rows, job.created, job.skills) == ("ok", 12, 4, 12)
    levels = dict(EmployeeSkill.objects.filter(employee__staff_number="E00001")
                  .values_list("skill__label", "level"))
    assert levels == {SKILLS[0]: 1, SKILLS[1]: 2, SKILLS[2]: 3}


def test_it_counts_a_dry_run_exactly_and_writes_nothing(in_alpha, tmp_path, run_import):
    job = run_import(generate_wide_skills(tmp_path / "wide.xlsx", 5), dry_run=True)
    assert (job.status, job.created, job.dry_run) == ("ok", 5, True)
    assert job.skills > 0
    assert job.message.startswith("Simulation terminée, rien n'a été écrit. L'import donnerait : 5 créés")
    assert Employee.objects.count() == 0 and EmployeeSkill.objects.count() == 0
    assert ImportJob.objects.get(pk=job.pk).status == "ok"


def test_it_fails_a_running_job_without_heartbeat(in_alpha, settings):
    from imports.services import import_jobs_fail_stale

    settings.ESIPRO_IMPORT_STALE_SECONDS = 30
    old = timezone.now() - timezone.timedelta(seconds=31)
    dead = ImportJob.objects.create(file_name="a.xlsx", file="x/a.xlsx", status="running", heartbeat_at=old)
    alive = ImportJob.objects.create(file_name="b.xlsx", file="x/b.xlsx", status="running",
                                     heartbeat_at=timezone.now())
    assert import_jobs_fail_stale() == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == "failed" and alive.status == "running"
    assert dead.message == ("Le traitement a été interrompu (arrêt du serveur de tâches). "
                            "Rien n'a été écrit : relancez l'import.")


def test_it_rolls_back_every_write_when_the_database_fails_mid_import(in_alpha, tmp_path, run_import):
    # A real failure inside PostgreSQL (as a full disk would raise) while the skill levels are written,
    # after the org units, jobs and employees of the same transaction.
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION pg_temp.refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device'; END $$"
        )
        cursor.execute("CREATE TRIGGER refuse BEFORE INSERT ON skills_matrix_employeeskill "
                       "FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse()")
    with pytest.raises((DatabaseError, psycopg.Error)):
        run_import(generate_wide_skills(tmp_path / "wide.xlsx", 5))
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert job.message.startswith("Une erreur inattendue a interrompu l'import. Rien n'a été écrit")
    assert Employee.objects.count() == 0 and OrgUnit.objects.count() == 0 and Job.objects.count() == 0
    assert not EmployeeChange.objects.exists() and not OrgSkill.objects.exists()


def test_it_reports_a_staff_number_too_long_for_the_database(in_alpha, tmp_path, run_import):
    rows = make_employees(3)
    rows[1][0] = "E" * 51
    job = run_import(staff_file(tmp_path / "long.xlsx", rows))
    assert (job.status, job.invalid) == ("rejected", 1)
    assert job.errors == [{"row": 7, "column": "Matricule", "value": "E" * 51,
                           "message": "Matricule trop long : 51 caractères, 50 au plus. Vérifiez que la "
                                      "colonne contient bien le matricule."}]


def test_it_compares_with_the_committed_levels_read_beside_its_transaction(committed_org, tmp_path, run_import):
    # Outside any enclosing transaction (as in the worker), the current levels are read through a side
    # connection while the employees are written; a re-import must still see every stored level.
    for label in SKILLS[:3]:  # already mapped: the commit queues no mapping task
        OrgSkill.objects.create(label=label, normalized_label=normalize_label(label), needs_mapping=False)
    first = run_import(generate_wide_skills(tmp_path / "w1.xlsx", 3, levels=[1, 2, 3]))
    assert (first.status, first.created, first.skills) == ("ok", 3, 9)
    again = run_import(generate_wide_skills(tmp_path / "w1.xlsx", 3, levels=[1, 2, 3]))
    assert (again.status, again.unchanged, again.skills) == ("ok", 3, 0)
    changed = run_import(generate_wide_skills(tmp_path / "w2.xlsx", 4, levels=[2, 2, 3]))
    assert (changed.status, changed.created, changed.unchanged) == ("ok", 1, 3)
    # The three known employees moved from 1 to 2 in the first skill; E00004 is new with its three levels.
    assert changed.skills == 3 + 3
    history = EmployeeSkill.objects.filter(employee__staff_number="E00001", skill__label=SKILLS[0])
    assert sorted((r.level, r.valid_to is None) for r in history) == [(1, False), (2, True)]
    assert EmployeeSkill.objects.filter(valid_to=None).count() == 12


NO_EXIT_HEADER = STAFF_HEADER[:6] + STAFF_HEADER[7:]


def without_exit_date(path, rows):
    return write_xlsx(path, [NO_EXIT_HEADER, *[r[:6] + r[7:] for r in rows]])


def changes_of(job):
    return {(c.employee.staff_number, c.field): (c.old_value, c.new_value)
            for c in EmployeeChange.objects.filter(job=job).select_related("employee")}


def test_it_brings_back_an_employee_a_full_export_had_marked_departed(in_alpha, tmp_path, run_import):
    rows = make_employees(2)
    run_import(without_exit_date(tmp_path / "m1.xlsx", rows))
    today = timezone.localdate().isoformat()
    month2 = run_import(without_exit_date(tmp_path / "m2.xlsx", rows[:1]), full_export=True)
    assert (month2.updated, month2.unchanged, month2.departed) == (0, 1, 1)
    assert changes_of(month2) == {("E00002", "is_active"): ("true", "false"),
                                  ("E00002", "exit_date"): ("", today)}
    month3 = run_import(without_exit_date(tmp_path / "m3.xlsx", rows), full_export=True)
    assert (month3.created, month3.updated, month3.unchanged, month3.departed) == (0, 1, 1, 0)
    assert ", 1 modifié, 1 inchangé, " in month3.message
    e2 = Employee.objects.get(staff_number="E00002")
    assert (e2.is_active, e2.exit_date) == (True, None)
    assert changes_of(month3) == {("E00002", "is_active"): ("false", "true"),
                                  ("E00002", "exit_date"): (today, "")}
    again = run_import(without_exit_date(tmp_path / "m4.xlsx", rows), full_export=True)
    assert (again.updated, again.unchanged) == (0, 2)


def test_it_counts_a_returning_employee_once_when_their_row_also_changed(in_alpha, tmp_path, run_import):
    rows = make_employees(2)
    run_import(without_exit_date(tmp_path / "m1.xlsx", rows))
    run_import(without_exit_date(tmp_path / "m2.xlsx", rows[:1]), full_export=True)
    rows[1][1] = "NOUVEAUNOM"
    job = run_import(without_exit_date(tmp_path / "m3.xlsx", rows))
    assert (job.updated, job.unchanged) == (1, 1)
    assert {field for _number, field in changes_of(job)} == {"last_name", "is_active", "exit_date"}
    assert Employee.objects.get(staff_number="E00002").is_active


def test_it_keeps_a_departure_given_by_a_file_or_changed_by_a_person(in_alpha, tmp_path, run_import):
    rows = [r[:6] + [None] + r[7:] for r in make_employees(3)]
    rows[1][6] = date(2025, 12, 31)
    run_import(staff_file(tmp_path / "m1.xlsx", rows))
    run_import(without_exit_date(tmp_path / "m2.xlsx", rows[:2]), full_export=True)
    e3 = Employee.objects.get(staff_number="E00003")
    assert not e3.is_active
    e3.exit_date = date(2026, 1, 15)  # HR enters the real date of departure
    e3.save()
    job = run_import(without_exit_date(tmp_path / "m3.xlsx", rows), full_export=True)
    assert (job.updated, job.unchanged, job.departed) == (0, 3, 0)
    stored = dict(Employee.objects.values_list("staff_number", "exit_date"))
    assert stored == {"E00001": None, "E00002": date(2025, 12, 31), "E00003": date(2026, 1, 15)}
    assert list(Employee.objects.filter(is_active=True).values_list("staff_number", flat=True)) == ["E00001"]
    assert not EmployeeChange.objects.filter(job=job).exists()


def rome_rows():
    rows = make_employees(6)
    for row in rows:
        row[8], row[11] = "Cuisinier", "G1602"
    for row in rows[4:]:
        row[8], row[11] = "Magasinier", "N1103"
    return rows


def test_it_applies_records_and_counts_a_changed_rome_code(in_alpha, tmp_path, run_import):
    rows = rome_rows()
    run_import(staff_file(tmp_path / "m1.xlsx", rows))
    for row in rows[3:]:  # E00004 also moves from Cuisinier to Magasinier
        row[8], row[11] = "Magasinier", "N1105"
    job = run_import(staff_file(tmp_path / "m2.xlsx", rows))
    assert dict(Job.objects.values_list("title", "rome_code")) == {"Cuisinier": "G1602",
                                                                    "Magasinier": "N1105"}
    assert (job.created, job.updated, job.unchanged) == (0, 3, 3)
    assert changes_of(job) == {
        ("E00004", "job"): ("Cuisinier", "Magasinier"),
        ("E00005", "rome_code"): ("N1103", "N1105"),
        ("E00006", "rome_code"): ("N1103", "N1105"),
    }
    assert EmployeeChange.objects.filter(job=job, field="rome_code").first().field_label == "Code ROME"
    again = run_import(staff_file(tmp_path / "m3.xlsx", rows))
    assert (again.updated, again.unchanged) == (0, 6)


def test_it_refuses_the_row_of_a_job_that_gives_another_rome_code(in_alpha, tmp_path, run_import):
    rows = rome_rows()
    rows[1][11] = "G1603"  # one Cuisinier row out of four (E00002, who manages nobody)
    rows[5][11] = None  # a row without a code changes nothing
    jobs_before = Job.objects.count()
    job = run_import(staff_file(tmp_path / "m1.xlsx", rows))
    assert (job.status, job.invalid, job.created) == ("rejected", 1, 0)
    assert [(e["column"], e["value"]) for e in job.errors] == [("Code ROME", "G1603")]
    assert "différent de celui des autres lignes de l'emploi « Cuisinier » (G1602)" in job.errors[0]["message"]
    assert Job.objects.count() == jobs_before
    job = run_import(staff_file(tmp_path / "m2.xlsx", rows), partial=True)
    assert (job.status, job.created, job.invalid) == ("ok", 5, 1)
    assert dict(Job.objects.values_list("title", "rome_code")) == {"Cuisinier": "G1602",
                                                                    "Magasinier": "N1103"}
