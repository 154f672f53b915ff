"""A job a staff import creates without a ROME code gets the mapping engine's occupation, computed by the
worker and queued for review; accepting it links the job, which then shows on the job page and the matrix."""

from html import unescape

from accounts.services import user_create
from referentials.suggest import suggest_occupations
from skills_matrix.models import JobRequirement
from tests.conftest import OrganizationClient, wait_for
from tests.imports.filegen import write_xlsx
from workforce.models import Job, OccupationSuggestion

QUEUE = "/competences/a-valider/"


def test_it_queues_the_rome_occupation_of_a_job_an_import_created_and_links_it_on_acceptance(
        rome_referential, committed_org, celery_worker, tmp_path, run_import):
    # The index is built here (and kept on disk) before the worker needs it: a build takes tens of seconds.
    assert suggest_occupations("Soudeur", k=1)[0].code == "H2913"
    admin = user_create(email="rh@suggestions.test", password="motdepasse-test", role="admin", full_name="Admin")
    rows = [["Matricule", "Nom", "Poste"], ["E1", "Durand", "Soudeur"], ["E2", "Martin", "Comptable"]]
    Job.objects.create(title="Comptable", rome_code="M1203")
    job = run_import(write_xlsx(tmp_path / "export.xlsx", rows), user=admin)
    assert job.created_items["jobs"] == ["Soudeur"]
    # The session's worker may still be busy with an earlier task (e.g. rebuilding the indexes after a
    # referential import, minutes on a loaded machine): it runs one task at a time.
    best = wait_for(lambda: OccupationSuggestion.objects.filter(job__title="Soudeur").order_by("-confidence").first(),
                    timeout=300)
    assert best is not None, "le serveur de tâches n'a pas calculé de suggestion"
    assert (best.rome_code, best.label, best.status) == ("H2913", "Soudeur / Soudeuse", "pending")
    assert 0.5 < best.confidence <= 1
    assert not OccupationSuggestion.objects.filter(job__title="Comptable").exists()  # it already had its code

    client = OrganizationClient(committed_org)
    client.force_login(admin)
    queue = unescape(client.get(QUEUE).content.decode())
    assert "Soudeur" in queue and "H2913 – Soudeur / Soudeuse" in queue
    assert f'name="suggestion" value="{best.pk}"' in queue
    done = unescape(client.post(QUEUE, {"action": "accept_job_core", "suggestion": best.pk}, follow=True)
                    .content.decode())
    created = Job.objects.get(title="Soudeur")
    added = JobRequirement.objects.filter(job=created).count()
    assert created.rome_code == "H2913" and added > 0
    assert f"« Soudeur » est relié à la fiche H2913 – Soudeur / Soudeuse. {added} compétences clés requises." in done
    assert "Aucune suggestion n'attend de décision." in done

    assert "H2913 – Soudeur / Soudeuse</a>" in unescape(client.get(f"/emplois/{created.pk}/").content.decode())
    matrix = unescape(client.get("/competences/", {"job": created.pk}).content.decode())
    core = JobRequirement.objects.filter(job=created).select_related("skill").first().skill.label
    assert f"><span>{core}</span></th>" in matrix  # the occupation's core skills are the welder's columns
    assert f'<td class="gap-count">{added}</td>' in matrix  # and the imported welder lacks all of them
