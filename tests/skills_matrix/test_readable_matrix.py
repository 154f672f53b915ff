"""The matrix stays readable at many skills and many employees: totals over the whole filter on every page,
columns grouped by nature or ROME family, a compact mode, and an Excel export sized and named row by row."""

import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from referentials.models import Skill
from skills_matrix import selectors, services
from skills_matrix.models import SkillMapping

from .conftest import moment


def _set(employee, skill, level, day="2024-01-01"):
    services.employee_skill_set(employee=employee, skill=skill, level=level, status="observed", source="supervisor",
                                assessed_on=None, user=None, at=moment(day))


def _card(html, name):
    return int(re.search(rf'id="{name}">(\d+)<', html).group(1))


def _footer(html):
    foot = html[html.index("<tfoot>"):html.index("</tfoot>")]
    return dict(re.findall(r'<td class="skill-total" data-skill="([^"]+)">(\d+)</td>', foot))


@pytest.fixture
def crowd(in_alpha, employee_factory, job_factory, org_unit_factory):
    """55 welders (two pages) needing TIG at 3 and safety at 2; levels spread so that gaps fall on both pages."""
    workshop, office = org_unit_factory(name="Atelier"), org_unit_factory(name="Bureau")
    welder = job_factory(title="Soudeur")
    tig = services.org_skill_get_or_create(label="Soudure TIG")
    safety = services.org_skill_get_or_create(label="Sécurité", kind="savoir_etre")
    services.job_requirement_set(job=welder, skill=tig, target_level=3)
    services.job_requirement_set(job=welder, skill=safety, target_level=2)
    for n in range(55):
        employee = employee_factory(staff_number=f"W-{n:02d}", last_name=f"Nom{n:02d}", job=welder,
                                    org_unit=workshop if n < 40 else office)
        _set(employee, tig, n % 5)  # 0, 1, 2 are below 3: 33 gaps
        if n % 2:
            _set(employee, safety, 2)  # 27 reach 2, the 28 others have no level: 28 gaps
    return {"workshop": workshop, "office": office, "tig": tig, "safety": safety, "welder": welder}


def test_it_counts_the_gaps_of_every_page_on_each_page(in_alpha, make_user, client_for, crowd):
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    for url in ("/competences/", "/competences/?page=2"):
        html = client.get(url).content.decode()
        assert _card(html, "gap-total") == 33 + 28
        # with neither gap: n odd and n % 5 in (3, 4) → 11 of 55
        assert _card(html, "employees-in-gap") == 55 - 11
        assert _footer(html) == {"Soudure TIG": "33", "Sécurité": "28"}
        assert "sur cette page" not in html
        assert "Totaux sur les 55 salariés retenus par les filtres, toutes pages confondues." in html


def test_it_counts_the_gaps_of_the_filter_only(in_alpha, make_user, client_for, crowd):
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    office = client.get(f"/competences/?org_unit={crowd['office'].pk}").content.decode()
    # n = 40..54: TIG below 3 for n % 5 in (0, 1, 2) → 9; safety missing for even n → 8
    assert _card(office, "gap-total") == 9 + 8
    assert _footer(office) == {"Soudure TIG": "9", "Sécurité": "8"}
    soft = client.get("/competences/?kind=savoir_etre&page=2").content.decode()
    assert _card(soft, "gap-total") == 28
    assert _footer(soft) == {"Sécurité": "28"}


def test_it_counts_the_same_gaps_windowed_or_whole_at_any_date(in_alpha, make_user, crowd):
    hr = make_user(in_alpha, "hr")
    _set(crowd["welder"].employees.order_by("staff_number").first(), crowd["tig"], 4, "2024-06-01")
    for at in (None, datetime.date(2024, 3, 1), datetime.date(2023, 1, 1)):
        for filters in ({}, {"org_unit": crowd["workshop"].pk}, {"kind": "savoir_faire"}):
            whole = selectors.skill_matrix(user=hr, at=at, **filters)
            window = selectors.skill_matrix(user=hr, at=at, offset=50, limit=50, **filters)
            assert window.totals.total_gaps == whole.summary.total_gaps
            assert window.totals.employees_in_gap == whole.summary.employees_in_gap
            assert window.totals.gaps_per_skill.tolist() == whole.summary.gaps_per_skill.tolist()


def test_it_counts_only_the_team_of_a_supervisor(in_alpha, make_user, client_for, employee_factory, crowd):
    boss = employee_factory(staff_number="B-1")
    welder = crowd["welder"]
    for n in range(3):
        employee = employee_factory(staff_number=f"T-{n}", job=welder, manager=boss)
        _set(employee, crowd["tig"], 1)
    html = client_for(in_alpha, make_user(in_alpha, "supervisor", employee=boss)).get("/competences/").content.decode()
    assert sorted(re.findall(r'<tr data-staff-number="([^"]+)">', html)) == ["B-1", "T-0", "T-1", "T-2"]
    assert _footer(html) == {"Soudure TIG": "3", "Sécurité": "3"}


def test_it_groups_the_columns_by_nature_or_by_rome_family(in_alpha, make_user, client_for, employee_factory):
    employee = employee_factory(staff_number="G-1")
    labels = [("Soudure TIG", "savoir_faire"), ("Calme", "savoir_etre"), ("Métallurgie", "savoir"),
              ("Lecture de plans", "savoir_faire")]
    skills = {}
    for label, kind in labels:
        skills[label] = services.org_skill_get_or_create(label=label, kind=kind)
        _set(employee, skills[label], 2)
    rome = Skill.objects.create(code_ogr="T-FAM-1", label="Souder", kind="savoir_faire",
                                group_label="Réaliser des assemblages")
    SkillMapping.objects.create(org_skill=skills["Soudure TIG"], rome_skill=rome, confidence=0.9, status="accepted")
    client = client_for(in_alpha, make_user(in_alpha, "hr"))

    def head(query):
        html = client.get(f"/competences/{query}").content.decode()
        thead = html[html.index("<thead>"):html.index("</thead>")]
        groups = re.findall(r'<th scope="colgroup" colspan="(\d+)" class="group">([^<]+)</th>', thead)
        skills = re.findall(r'class="skill" title="[^"]*"><span>([^<]+)</span>', thead)
        return [(label, int(width)) for width, label in groups], skills

    assert head("") == ([("Savoir-faire", 2), ("Savoir-être professionnel", 1), ("Savoir", 1)],
                        ["Lecture de plans", "Soudure TIG", "Calme", "Métallurgie"])
    assert head("?group=family") == ([("Réaliser des assemblages", 1), ("Sans famille ROME", 3)],
                                     ["Soudure TIG", "Calme", "Lecture de plans", "Métallurgie"])
    assert head("?group=none") == ([], ["Calme", "Lecture de plans", "Métallurgie", "Soudure TIG"])
    assert head("?group=whatever")[0] == []


def test_it_switches_to_a_compact_display_and_back_keeping_the_filters(in_alpha, make_user, client_for, crowd):
    client = client_for(in_alpha, make_user(in_alpha, "hr"))
    normal = client.get(f"/competences/?job={crowd['welder'].pk}").content.decode()
    assert '<table class="heat">' in normal
    toggle = re.search(r'<a id="compact-toggle" href="\?([^"]+)">Affichage compact</a>', normal).group(1)
    assert toggle == f"job={crowd['welder'].pk}&amp;compact=1"
    compact = client.get(f"/competences/?job={crowd['welder'].pk}&compact=1").content.decode()
    assert '<table class="heat compact">' in compact
    assert '<input type="hidden" name="compact" value="1">' in compact
    assert re.search(rf'<a id="compact-toggle" href="\?job={crowd["welder"].pk}">Affichage normal</a>', compact)
    assert 'class="table-scroll matrix-scroll"' in compact
    assert compact.count('<th scope="row" class="sticky-col">') == 51  # 50 employees and the totals row


def test_it_exports_sized_columns_and_names_every_required_levels_row(in_alpha, make_user, client_for, crowd):
    response = client_for(in_alpha, make_user(in_alpha, "hr")).get("/competences/export.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    matrix, required = workbook["Matrice"], workbook["Niveaux requis"]
    for sheet in (matrix, required):
        assert sheet.freeze_panes == "F2"
        assert sheet.column_dimensions["A"].width >= 8  # "W-00" and "Matricule"
        assert sheet.column_dimensions["D"].width >= len("Soudeur")
        assert sheet.column_dimensions["F"].width >= 14
        assert sheet["F1"].alignment.wrap_text
        assert sheet.auto_filter.ref.startswith("A1:")
    names = [[c.value for c in row[:3]] for row in required.iter_rows(min_row=2)]
    assert len(names) == 55
    assert all(staff_number and last_name for staff_number, last_name, _first in names)
    assert [c.value for c in matrix[1]][5:] == ["Soudure TIG", "Sécurité", "Écarts"]  # savoir-faire first
    # W-04: TIG 4 and safety missing → the required sheet shows only the safety target
    row = next(r for r in required.iter_rows(min_row=2) if r[0].value == "W-04")
    assert [c.value for c in row[5:7]] == [None, 2]


def test_it_answers_404_for_another_organisations_unit_and_403_to_an_employee(alpha, beta, make_user, client_for,
                                                                               org_unit_factory):
    from django_tenants.utils import tenant_context

    with tenant_context(alpha):
        theirs = org_unit_factory(id=870_001, name="Unité secrète alpha")
    with tenant_context(beta):
        hr, employee = make_user(beta, "hr"), make_user(beta, "employee")
    assert client_for(beta, hr).get(f"/competences/?org_unit={theirs.pk}&compact=1").status_code == 404
    assert client_for(beta, hr).get(f"/competences/export.xlsx?org_unit={theirs.pk}&group=family").status_code == 404
    assert client_for(beta, employee).get("/competences/?compact=1&group=family").status_code == 403
    assert client_for(beta, employee).get("/competences/export.xlsx?group=kind").status_code == 403


def test_it_speaks_of_travailleurs_in_an_esats_matrix(alpha, beta, make_user, client_for, employee_factory):
    from django_tenants.utils import tenant_context

    with tenant_context(beta):
        _set(employee_factory(staff_number="E-1"), services.org_skill_get_or_create(label="Conditionnement"), 2)
    esat = client_for(beta, make_user(beta, "hr")).get("/competences/").content.decode()
    assert '<th scope="col" class="sticky-col" rowspan="2">Travailleur</th>' in esat
    assert "travailleurs avec au moins un écart" in esat and "Travailleurs en écart (tous)" in esat
    company = client_for(alpha, make_user(alpha, "hr")).get("/competences/").content.decode()
    assert "salariés avec au moins un écart" in company
