"""The demo organisations' training catalogue, a few similar skills and wishes, then computed suggestions
(a ``DEMO_EXTENSIONS`` entry: called inside the organisation's schema once staff, skills and users exist)."""

from decimal import Decimal

from skills_matrix.models import OrgSkill, SkillSimilarity

from .models import MobilityWish, Training, TrainingSkill
from .services import mobility_compute

P, D, M, W = (Training.Modality.ON_SITE, Training.Modality.REMOTE, Training.Modality.BLENDED,
              Training.Modality.ON_THE_JOB)
# (title, provider, cost €, hours, CPF, modality, sessions, [(skill key, level reached)])
TRAININGS = [
    ("Soudage TIG et MIG/MAG – perfectionnement", "AFPA Rhône", 2450, 70, True, P, "2026-03-09 Villefranche",
     [("soudage", 4)]),
    ("Lecture de plans et tolérancement", "GRETA Lyon Métropole", 780, 21, True, M, "", [("plan", 3)]),
    ("Programmation CN ISO et FAO", "CETIM Formation", 3200, 105, True, P, "", [("cn_prog", 3), ("cn_reglage", 3)]),
    ("Réglage des machines à commande numérique", "AFPA Rhône", 1500, 35, True, P, "", [("cn_reglage", 3)]),
    ("Métrologie dimensionnelle", "CETIM Formation", 1100, 21, False, P, "", [("metrologie", 3)]),
    ("Démarche qualité ISO 9001", "AFNOR Compétences", 1350, 21, True, D, "", [("qualite", 3), ("lean", 2)]),
    ("Maintenance préventive et diagnostic de premier niveau", "APAVE", 1890, 35, True, P, "",
     [("preventif", 3), ("diagnostic", 2)]),
    ("Habilitation électrique et diagnostic de pannes", "APAVE", 1200, 21, False, P, "", [("diagnostic", 3)]),
    ("CACES R489 catégories 1, 3 et 5", "AFTRAL", 950, 35, True, P, "", [("caces", 3)]),
    ("Gestion des stocks et des approvisionnements", "CNAM", 890, 28, True, D, "", [("stocks", 3), ("preparation", 3)]),
    ("Manager une équipe de production", "CESI", 2200, 42, True, M, "", [("animation", 3), ("planification", 2)]),
    ("Lean et 5S en atelier", "CESI", 650, 14, False, W, "", [("lean", 3)]),
    ("Anglais technique", "Wall Street English", 1400, 40, True, D, "", [("anglais", 3)]),
    ("Paie et déclarations sociales", "CNAM", 1600, 56, True, D, "", [("paie", 3), ("compta", 2)]),
    # ESAT
    ("Entretien des espaces verts : tonte et taille", "Chambre d'agriculture", 420, 21, True, W, "",
     [("tonte", 3), ("taille", 3)]),
    ("Utiliser une débroussailleuse en sécurité", "MSA Formation", 280, 7, False, P, "", [("debroussailleuse", 3)]),
    ("Blanchisserie : tri, lavage et repassage", "Réseau Différent et Compétent", 350, 14, False, W, "",
     [("trier_linge", 3), ("repasser", 3)]),
    ("Hygiène alimentaire HACCP", "CCI Formation", 300, 14, True, P, "", [("hygiene", 3)]),
    ("Aide en cuisine collective", "Réseau Différent et Compétent", 480, 21, False, W, "",
     [("legumes", 3), ("plonge", 3), ("service", 2)]),
    ("Conditionnement et logistique", "Réseau Différent et Compétent", 390, 14, False, W, "",
     [("emballer", 3), ("compter", 3)]),
    ("Accueil et relation client", "GRETA", 320, 14, True, P, "", [("client", 3), ("service", 3)]),
]
SIMILAR = [
    ("cn_reglage", "cn_prog", 0.7), ("diagnostic", "preventif", 0.65), ("metrologie", "qualite", 0.6),
    ("preparation", "stocks", 0.6), ("compta", "paie", 0.55), ("montage", "plan", 0.5), ("soudage", "montage", 0.5),
    ("tonte", "debroussailleuse", 0.7), ("taille", "debroussailleuse", 0.6), ("trier_linge", "repasser", 0.7),
    ("legumes", "plonge", 0.55), ("service", "client", 0.6), ("emballer", "compter", 0.55),
    ("nettoyer", "plonge", 0.5),
]


def demo_mobility(*, demo) -> None:
    """Catalogue, similarities and a few wishes for ``demo``'s skills; then the cached suggestions."""
    by_key = {spec.key: spec.label for spec in demo.skills}
    skills = {label: pk for pk, label in OrgSkill.objects.filter(label__in=by_key.values()).values_list("pk", "label")}
    skill_of = {key: skills[label] for key, label in by_key.items() if label in skills}
    for title, provider, cost, hours, cpf, modality, sessions, levels in TRAININGS:
        wanted = [(skill_of[key], level) for key, level in levels if key in skill_of]
        if not wanted:
            continue
        training, _created = Training.objects.get_or_create(title=title, provider=provider, defaults={
            "cost": Decimal(cost), "hours": Decimal(hours), "cpf": cpf, "modality": modality, "sessions": sessions})
        TrainingSkill.objects.bulk_create([TrainingSkill(training=training, skill_id=s, level=lv) for s, lv in wanted],
                                          ignore_conflicts=True)
    pairs = [(skill_of[a], skill_of[b], sigma) for a, b, sigma in SIMILAR if a in skill_of and b in skill_of]
    SkillSimilarity.objects.bulk_create(
        [SkillSimilarity(skill_id=a, similar_id=b, sigma=s) for a, b, s in pairs]
        + [SkillSimilarity(skill_id=b, similar_id=a, sigma=s) for a, b, s in pairs], ignore_conflicts=True)
    _wishes(demo)
    mobility_compute()


def _wishes(demo) -> None:
    """A few people (never the demo accounts' own employee) said "ça m'intéresse" for their best path."""
    from workforce.models import Employee

    from .selectors import employee_mobility

    reserved = {user.staff_number for user in demo.users if user.staff_number}
    people = Employee.objects.filter(is_active=True, job__isnull=False).exclude(staff_number__in=reserved)
    for employee in people.order_by("staff_number")[::7][:6]:
        best = employee_mobility(employee=employee, limit=1)
        if best:
            MobilityWish.objects.get_or_create(employee=employee, job_id=best[0].job_id)
