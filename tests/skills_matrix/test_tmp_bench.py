import datetime
import time

from django.db import connection, transaction

from skills_matrix import services
from workforce.models import Employee


def run(rows, label, setup=()):
    sid = transaction.savepoint()
    with connection.cursor() as c:
        for sql in setup:
            c.execute(sql)
    t = time.monotonic()
    services.employee_skills_bulk_set(rows=rows, source="import", user=None)
    with connection.cursor() as c:
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")
    print("\nBENCH", label, f"{time.monotonic() - t:.1f}s")
    transaction.savepoint_rollback(sid)


def test_bench(in_alpha):
    Employee.objects.bulk_create([Employee(staff_number=f"Z{n:06d}") for n in range(15_000)], batch_size=5000)
    ids = list(Employee.objects.filter(staff_number__startswith="Z").values_list("pk", flat=True))
    skills = services.org_skills_get_or_create_many(labels=[f"Skill {n}" for n in range(20)])
    sids = [s.pk for s in skills.values()]
    day = datetime.date(2025, 1, 1)
    rows = [(e, s, (e + s) % 5, day) for e in ids for s in sids]
    run(rows, "baseline+fk")
    run(rows, "immediate", ["SET CONSTRAINTS ALL IMMEDIATE"])
    run(rows, "minus 2 idx", ["DROP INDEX skills_matrix_employeeskill_employee_id_95d7a543",
                              "DROP INDEX skills_matrix_employeeskill_recorded_by_id_13c0c1d2"])
    run(rows, "no fk", ["ALTER TABLE skills_matrix_employeeskill DROP CONSTRAINT skills_matrix_employ_employee_id_95d7a543_fk_workforce",
                        "ALTER TABLE skills_matrix_employeeskill DROP CONSTRAINT skills_matrix_employ_skill_id_fc6d967d_fk_skills_ma"])
    run(rows, "baseline again")
