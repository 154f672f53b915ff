"""The shared staging upsert: rows COPYed into a temporary table, then one INSERT … ON CONFLICT into a model's
table that creates the new rows, updates only those that differ, and counts both."""

import datetime

import psycopg
import pytest
from django.db import connection, transaction
from django.utils import timezone

from core.staging import stage, table_of, upsert
from workforce.models import Employee

COLUMNS = [("staff_number", "text"), ("last_name", "text"), ("hire_date", "date")]
INSERT = ["staff_number", "last_name", "first_name", "email", "sex", "contract_type", "fte", "is_active",
          "hire_date", "created_at", "updated_at"]
SELECT = "SELECT staff_number, last_name, '', '', '', '', 1, true, hire_date, %s, %s FROM stg_people"


def write(rows, *, update=("last_name", "hire_date")):
    now = timezone.now()
    with connection.cursor() as cursor:
        staged = stage(cursor, "stg_people", COLUMNS, rows)
        counts = upsert(cursor, table=Employee, insert_columns=INSERT, select_sql=SELECT, key=["staff_number"],
                        total=len(rows), update_columns=list(update), params=[now, now])
        cursor.execute("DROP TABLE stg_people")
    return staged, counts.as_dict()


def names() -> dict[str, str]:
    return dict(Employee.objects.values_list("staff_number", "last_name"))


def test_it_creates_then_updates_only_the_rows_that_differ(in_alpha):
    day = datetime.date(2020, 3, 2)
    staged, counts = write([("S1", "Martin", day), ("S2", "Bernard", day), ("S3", "Petit", None)])
    assert staged == 3
    assert counts == {"created": 3, "updated": 0, "unchanged": 0, "deleted": 0}
    employee_id = Employee.objects.get(staff_number="S1").pk

    _staged, counts = write([("S1", "Martin-Durand", day), ("S2", "Bernard", day), ("S3", "Petit", None)])
    assert counts == {"created": 0, "updated": 1, "unchanged": 2, "deleted": 0}
    assert names() == {"S1": "Martin-Durand", "S2": "Bernard", "S3": "Petit"}
    assert Employee.objects.get(staff_number="S1").pk == employee_id  # updated in place, same key

    _staged, again = write([("S1", "Martin-Durand", day), ("S2", "Bernard", day), ("S3", "Petit", None)])
    assert again == {"created": 0, "updated": 0, "unchanged": 3, "deleted": 0}


def test_it_only_inserts_when_there_is_nothing_to_update(in_alpha):
    write([("S1", "Martin", None)])
    _staged, counts = write([("S1", "Autre nom", None), ("S4", "Nouveau", None)], update=())
    assert counts == {"created": 1, "updated": 0, "unchanged": 1, "deleted": 0}
    assert names() == {"S1": "Martin", "S4": "Nouveau"}


def test_it_stages_numbers_and_dates_in_binary_and_refuses_a_duplicate_key(in_alpha):
    rows = [(1, datetime.date(2024, 5, 2)), (2, None)]
    with connection.cursor() as cursor:
        assert stage(cursor, "stg_binary", [("n", "integer"), ("day", "date")], iter(rows),
                     binary_types=["int4", "date"]) == 2
        cursor.execute("SELECT n, day FROM stg_binary ORDER BY n")
        assert cursor.fetchall() == rows
        with pytest.raises(psycopg.errors.UniqueViolation), transaction.atomic():
            stage(cursor, "stg_keyed", [("n", "integer")], [(1,), (1,)], primary_key=["n"])


def test_it_names_the_target_table_from_the_model():
    assert table_of(Employee) == Employee._meta.db_table == "workforce_employee"
    assert table_of("referentials_occupation") == "referentials_occupation"
