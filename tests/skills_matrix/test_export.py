"""The matrix as an Excel file: values, gap marks and texts that never run as formulas."""

import io

from openpyxl import load_workbook

from skills_matrix import services

from .conftest import moment


def test_it_exports_levels_gaps_and_neutralised_texts(in_alpha, make_user, client_for, employee_factory,
                                                      job_factory):
    job = job_factory(title="+Cariste")
    skill = services.org_skill_get_or_create(label="=SUM(A1)")
    other = services.org_skill_get_or_create(label="Gestes et postures")
    services.job_requirement_set(job=job, skill=skill, target_level=3)
    employee = employee_factory(staff_number="X-1", last_name="@Dupont", first_name="-Léa", job=job)
    services.employee_skill_set(employee=employee, skill=skill, level=1, status="observed", source="supervisor",
                                assessed_on=None, user=None, at=moment("2024-01-01"))
    services.employee_skill_set(employee=employee, skill=other, level=4, status="observed", source="supervisor",
                                assessed_on=None, user=None, at=moment("2024-01-01"))

    response = client_for(in_alpha, make_user(in_alpha, "hr")).get("/competences/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = load_workbook(io.BytesIO(response.content))["Matrice"]
    header = [c.value for c in sheet[1]]
    assert header == ["Matricule", "Nom", "Prénom", "Emploi", "Unité", "Gestes et postures", "=SUM(A1)", "Écarts"]
    row = [c.value for c in sheet[2]]
    assert row[:4] == ["X-1", "@Dupont", "-Léa", "+Cariste"]
    assert row[5:] == [4, 1, 1]
    for cell in (sheet["G1"], sheet["B2"], sheet["C2"], sheet["D2"]):
        assert cell.data_type == "s"
    assert sheet["G2"].border.left.color.rgb.endswith("A4161A")
    assert sheet["F2"].border.left.style is None
    rules = [rule for area in sheet.conditional_formatting for rule in area.rules]
    assert sorted(r.formula[0] for r in rules) == ["0", "1", "2", "3", "4"]
    formulas = [c.coordinate for r in sheet.iter_rows() for c in r if c.data_type == "f"]
    assert formulas == []


def test_it_exports_the_matrix_of_a_past_date(in_alpha, make_user, client_for, employee_factory):
    employee = employee_factory(staff_number="X-2")
    skill = services.org_skill_get_or_create(label="Cariste")
    for day, level in [("2023-01-01", 1), ("2024-01-01", 3)]:
        services.employee_skill_set(employee=employee, skill=skill, level=level, status="observed",
                                    source="supervisor", assessed_on=None, user=None, at=moment(day))
    response = client_for(in_alpha, make_user(in_alpha, "admin")).get("/competences/export.xlsx?at=2023-06-01")
    assert 'filename="matrice-competences-2023-06-01.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content))["Matrice"]
    assert [c.value for c in sheet[2]] == ["X-2", employee.last_name, employee.first_name, employee.job.title,
                                           employee.org_unit.name, 1, 0]
