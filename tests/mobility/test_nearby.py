"""The nearby-paths signal (where people go from the occupations closest to one's own in the ROME) and the
recommended order it gives a person's suggestions: the engine's numbers by hand, then the API and the page.

A small referential of its own (codes Y90xx and skills the real ROME does not use: when a session imported the
real ROME, it brings no neighbour, only more occupations to count in the IDF). Skills s1…s7; occupations
A {s1, s2, s3}, N1 {s1, s2, s4}, N2 {s3, s5}, B {s6}, C {s7}. IDF over the 5 occupations: ln(5/2) for s1, s2,
s3, ln 5 for the others, so
cos(A, N1) = 2·ln(2.5)² / (√3·ln 2.5 · √(2·ln(2.5)² + ln(5)²)) and cos(A, N2) = ln(2.5)² / (√3·ln 2.5 ·
√(ln(2.5)² + ln(5)²)). Mobility lists: N1 → B, N2 → B, N2 → C, and A → C (A's own list: never read by this
signal, it is the "ROME edge"). From A: B is listed by both neighbours (1.0), C by N2 only
(cos(A, N2) / (cos(A, N1) + cos(A, N2)) ≈ 0.358).
"""

import math

import numpy as np
import pytest

from mobility.engine.nearby import edge_matrix, nearby_paths, occupation_vectors, recommended_order

A, N1, N2, B, C = range(5)
LINKS = [(A, 0), (A, 1), (A, 2), (N1, 0), (N1, 1), (N1, 3), (N2, 2), (N2, 4), (B, 5), (C, 6)]
EDGES = [(N1, B), (N2, B), (N2, C), (A, C)]


def closeness(n: int) -> tuple[float, float]:
    """cos(A, N1), cos(A, N2) when the referential holds ``n`` occupations (IDF = ln(n / occupations holding
    the skill): 5 here, more in the database when a session imported the real ROME next to them)."""
    low, high = math.log(n / 2), math.log(n)
    return (2 * low**2 / (math.sqrt(3) * low * math.sqrt(2 * low**2 + high**2)),
            low**2 / (math.sqrt(3) * low * math.sqrt(low**2 + high**2)))


COS_N1, COS_N2 = closeness(5)
SHARE_C = COS_N2 / (COS_N1 + COS_N2)


def share_c_in_database() -> float:
    from referentials.models import Occupation

    n1, n2 = closeness(Occupation.objects.count())
    return n2 / (n1 + n2)


def engine_signal(**options):
    occupation, skill = np.array(LINKS).T
    vectors = occupation_vectors(5, 7, occupation, skill)
    source, target = np.array(EDGES).T
    return nearby_paths(vectors, edge_matrix(5, source, target), np.array([A]), **options)


def test_it_weights_the_closest_occupations_lists_and_never_reads_ones_own():
    nearby = engine_signal(k=2)
    assert nearby.neighbours[0].tolist() == [N1, N2]
    assert nearby.closeness[0] == pytest.approx([COS_N1, COS_N2])
    assert nearby.value[0, B] == pytest.approx(1.0)
    assert nearby.value[0, C] == pytest.approx(SHARE_C)
    assert SHARE_C == pytest.approx(0.358, abs=1e-3)
    assert nearby.value[0, [A, N1, N2]].tolist() == [0, 0, 0]


def test_it_leaves_out_neighbours_that_share_no_skill_or_are_not_allowed():
    wide = engine_signal(k=4)  # B and C share no skill with A: never neighbours
    assert wide.neighbours[0].tolist() == [N1, N2, -1, -1]
    assert wide.value[0, C] == pytest.approx(SHARE_C)
    only_n2 = engine_signal(k=2, allowed=np.array([True, False, True, True, True]))
    assert only_n2.neighbours[0].tolist() == [N2, -1]
    assert only_n2.value[0, [B, C]] == pytest.approx([1.0, 1.0])


def test_it_re_ranks_the_best_fits_by_fit_plus_nearby_paths():
    fit = np.array([0.5, 0.75, 1.0, 0.0])
    nearby = np.array([1.0, SHARE_C, 0.0, 1.0])
    ids = np.array([11, 12, 13, 14])
    # 1.5, 1.108, 1.0; the job fitting 0 is never suggested, whatever its signal
    assert recommended_order(fit, nearby, ids).tolist() == [0, 1, 2]
    # only the 2 best fits (13, 12) are re-ranked: 12 (1.108) before 13 (1.0)
    assert recommended_order(fit, nearby, ids, pool=2).tolist() == [1, 2]
    # ties: by fit, then by id
    assert recommended_order(np.array([0.5, 0.9, 0.5]), np.array([0.4, 0.0, 0.4]), np.array([9, 8, 7])).tolist() \
        == [1, 2, 0]


@pytest.fixture
def paths(in_alpha):
    """The referential above in the database, and Paul (job of occupation A) with three jobs to go to: B
    (fit 2/4 = 0.5), C (3/4 = 0.75) and D (no ROME code, 3/3 = 1.0)."""
    from referentials.models import MobilityEdge, Occupation, OccupationSkill, Skill
    from skills_matrix.services import employee_skills_bulk_set, job_requirement_set, org_skill_create
    from workforce.models import Employee
    from workforce.services import job_create

    names = ["Métier d'origine", "Métier proche un", "Métier proche deux", "Métier cible B", "Métier cible C"]
    occupations = [Occupation.objects.create(code=f"Y90{i + 1:02d}", label=name) for i, name in enumerate(names)]
    skills = [Skill.objects.create(code_ogr=f"T-NEAR-{i}", label=f"Savoir-faire {i}", kind=Skill.Kind.SAVOIR_FAIRE)
              for i in range(7)]
    OccupationSkill.objects.bulk_create([OccupationSkill(occupation=occupations[o], skill=skills[s])
                                         for o, s in LINKS])
    MobilityEdge.objects.bulk_create([MobilityEdge(source=occupations[s], target=occupations[t], order=1)
                                      for s, t in EDGES])
    p, q = org_skill_create(label="Conduite de ligne"), org_skill_create(label="Réglage")
    jobs = {"own": job_create(title="Opérateur", rome_code="Y9001"),
            "b": job_create(title="Poste B", rome_code="Y9004"),
            "c": job_create(title="Poste C", rome_code="Y9005"),
            "d": job_create(title="Poste D")}
    job_requirement_set(job=jobs["b"], skill=p, target_level=4, weight=1)
    job_requirement_set(job=jobs["c"], skill=q, target_level=4, weight=1)
    job_requirement_set(job=jobs["d"], skill=q, target_level=3, weight=1)
    paul = Employee.objects.create(staff_number="E-P", first_name="Paul", last_name="Lenoir", job=jobs["own"])
    employee_skills_bulk_set(rows=[(paul.pk, p.pk, 2, None), (paul.pk, q.pk, 3, None)], source="import", user=None)
    return paul


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_api_orders_by_fit_and_on_request_in_the_recommended_order(paths, alpha, make_user, api_client):
    client = api_client(alpha, make_user(alpha, "hr"))
    by_fit = results(client.get("/api/v1/employees/E-P/mobility"))
    assert [(r["job"], r["fit"]) for r in by_fit] == [("Poste D", 1.0), ("Poste C", 0.75), ("Poste B", 0.5)]
    signal = {r["job"]: (r["nearby_paths"], r["nearby_via"]) for r in by_fit}
    assert signal["Poste B"] == (pytest.approx(1.0), ["Métier proche un", "Métier proche deux"])
    assert signal["Poste C"] == (pytest.approx(share_c_in_database(), abs=1e-4), ["Métier proche deux"])
    assert signal["Poste D"] == (0.0, [])
    # A → C is in A's own list: the ROME edge of C, and not counted in C's nearby paths (else 1.0)
    assert [r["job"] for r in by_fit if r["rome_edge"]] == ["Poste C"]
    b = next(r for r in by_fit if r["job"] == "Poste B")
    assert ("Parcours fréquent : dans le ROME, 2 des 2 métiers les plus proches de l'emploi actuel par les "
            "compétences mènent à ce métier (dont « Métier proche un », « Métier proche deux »).") in b["explanation"]
    recommended = results(client.get("/api/v1/employees/E-P/mobility?order=recommended"))
    assert [r["job"] for r in recommended] == ["Poste B", "Poste C", "Poste D"]  # 1.5, ~1.108, 1.0
    assert [r["job"] for r in results(client.get("/api/v1/employees/E-P/mobility?order=recommended&limit=1"))] \
        == ["Poste B"]
    wrong = client.get("/api/v1/employees/E-P/mobility?order=best")
    assert wrong.status_code == 422 and "« order » vaut « fit »" in wrong.json()["detail"]


def test_the_cache_answers_the_recommended_order_as_computed_on_the_spot(paths, alpha, make_user, api_client):
    from mobility.services import mobility_compute

    client = api_client(alpha, make_user(alpha, "hr"))
    on_the_spot = results(client.get("/api/v1/employees/E-P/mobility?order=recommended"))
    mobility_compute()
    cached = results(client.get("/api/v1/employees/E-P/mobility?order=recommended"))
    assert cached == on_the_spot
    c = next(r for r in cached if r["job"] == "Poste C")
    assert [r["job"] for r in cached] == ["Poste B", "Poste C", "Poste D"]
    assert c["rome_edge"] is True and c["nearby_paths"] == pytest.approx(share_c_in_database(), abs=1e-4)


def test_the_page_shows_the_recommended_order_first_and_the_fit_order_on_request(paths, alpha, make_user,
                                                                                client_for):
    import re

    client = client_for(alpha, make_user(alpha, "employee", employee=paths))

    def jobs(response):
        assert response.status_code == 200
        return re.findall(r"<h2>(Poste [BCD]) <span", response.content.decode())

    page = client.get("/mobilite/")
    assert jobs(page) == ["Poste B", "Poste C", "Poste D"]
    content = page.content.decode()
    assert "Parcours fréquent (2 métiers proches sur 2)" in content
    assert "ordre=adequation" in content
    assert jobs(client.get("/mobilite/?ordre=adequation")) == ["Poste D", "Poste C", "Poste B"]
    unknown = client.get("/mobilite/?ordre=meilleur")
    assert jobs(unknown) == ["Poste B", "Poste C", "Poste D"]
    assert "Ordre « meilleur » inconnu : choisissez « recommande » ou « adequation »" in unknown.content.decode()


def test_the_candidates_page_shows_the_signal_for_each_person(paths, alpha, make_user, client_for):
    from workforce.models import Job

    hr = client_for(alpha, make_user(alpha, "hr"))
    page = hr.get(f"/mobilite/emplois/{Job.objects.get(title='Poste B').pk}/candidats/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Paul Lenoir" in content and "Parcours fréquent (2 métiers proches sur 2)" in content
    assert "dont « Métier proche un », « Métier proche deux »" in content
