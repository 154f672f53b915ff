"""Demo booklets: the demo worker's full booklet (experiences in their own words, evidence with photos,
an RAE attestation and a certification, endorsements, interviews, pathway), lighter booklets for the
rest of their supervisor's team, and interviews for everyone so that the tracker, the ESAT indicators
and the supervisor's list have something to show at once.

Called by ``demo.seed.demo_extend`` in the organisation's schema, after staff, skills and users exist.
Deterministic: the same demo gives the same booklets (dates are relative to today).
"""

import datetime
import hashlib
import io
import random
import secrets

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from skills_matrix.models import OrgSkill
from workforce.models import Employee

from . import services
from .audit import Actor
from .models import Endorsement, Evidence, Experience, Interview, Orientation, PathwayStep
from .services.items import add_months

# What the demo worker wrote, by kind of organisation: (kind, title, place, years ago, months long,
# description, skill keys it shows). Skill keys missing from the demo's catalogue are skipped.
WORKER_EXPERIENCES = {
    "esat": [
        ("pmsmp", "Immersion chez un paysagiste", "Jardins du Beaujolais, Villefranche", 1, 1,
         "J'ai tondu des pelouses avec l'équipe. J'ai ramassé les feuilles. Le chef m'a montré la haie.",
         ["tonte", "taille", "equipe"]),
        ("internship", "Stage aux espaces verts de la mairie", "Mairie d'Anse", 3, 2,
         "J'ai arrosé les fleurs du parc. J'ai mis les outils en place le matin.", ["consignes", "ponctuel"]),
        ("volunteering", "Aide à la banque alimentaire", "Restos du cœur, Villefranche", 2, 6,
         "Le samedi, je range les colis. Je compte les boîtes.", ["compter", "equipe"]),
        ("sport", "Football en club", "AS Limas", 4, 36, "Je joue le mercredi. Je suis toujours à l'heure.",
         ["ponctuel", "equipe"]),
        ("daily_life", "Je fais mes courses seul", "", 5, 0, "Je fais ma liste. Je paie à la caisse.",
         ["compter", "aide"]),
    ],
    "company": [
        ("work", "Soudeur intérimaire", "Chaudronnerie Rhône-Alpes, Lyon", 6, 18,
         "Soudure MIG de cadres en acier, lecture des plans de fabrication, autocontrôle des cordons.",
         ["soudage", "plan", "metrologie"]),
        ("internship", "Stage de bac pro Technicien en chaudronnerie", "Atelier Mécanique du Val, Tarare", 9, 3,
         "Découpe, pliage et pointage de tôles ; premières soudures TIG sur inox.", ["soudage", "securite"]),
        ("volunteering", "Bénévole au Repair Café", "Maison des associations, Villefranche", 2, 24,
         "Un samedi par mois : je répare des vélos et des petits meubles en métal avec les habitants.",
         ["equipe", "relation_client"]),
        ("sport", "Capitaine d'une équipe de handball", "HBC Villefranche", 4, 30,
         "J'organise les entraînements du jeudi et les déplacements.", ["equipe", "rigueur"]),
    ],
}

# Evidence of the demo worker: (kind, skill key, days ago, note, situation, RAE step, valid for days, photo).
WORKER_EVIDENCE = {
    "esat": [
        ("photo", "tonte", 12, "Pelouse de l'école tondue seul, bords compris, en 40 minutes.",
         "Chantier école Jean-Moulin", "", 0, (70, 140, 60)),
        ("photo", "taille", 40, "Haie de thuyas taillée droite, déchets ramassés.", "Parc municipal", "", 0,
         (40, 110, 50)),
        ("note", "consignes", 25, "Met ses lunettes et ses gants sans qu'on le lui rappelle.",
         "Atelier espaces verts", "", 0, None),
        ("rae", "debroussailleuse", 90, "Montre au jury comment démarrer et tenir la débroussailleuse.",
         "Épreuve RAE « je montre »", "show", 0, None),
        ("certification", "consignes", 200, "Formation Sauveteur secouriste du travail réussie.",
         "Organisme de formation Prévention 69", "", 730, None),
    ],
    "company": [
        ("photo", "soudage", 15, "Cordon d'angle MAG sur châssis, sans reprise, conforme au mode opératoire.",
         "Ligne châssis, poste 3", "", 0, (90, 90, 110)),
        ("note", "plan", 30, "A repéré seul une cote incohérente sur le plan 12-447 et l'a signalée.",
         "Préparation de la série 12-447", "", 0, None),
        ("certification", "soudage", 300, "Qualification de soudeur NF EN ISO 9606-1 (135 P BW).",
         "Organisme certificateur", "", 730, None),
        ("note", "securite", 60, "Consignation de la cabine de soudage faite dans l'ordre, sans oubli.",
         "Audit sécurité atelier", "", 0, None),
    ],
}

# Pathway steps of other ESAT workers, so the indicators show movements: (kind, years ago, months long,
# outcome, employer).
PATHWAYS = [
    ("reinforced", 1, 0, "ongoing", "Jardinerie Verte, Gleizé"),
    ("adapted", 2, 0, "ongoing", "EA Les Mains Vertes"),
    ("reinforced", 3, 8, "returned", "Blanchisserie Industrielle du Rhône"),
    ("part_time", 2, 14, "ended", "Restaurant scolaire d'Anse"),
    ("reinforced", 4, 12, "ended", "Logistique Beaujolaise"),
    ("adapted", 0, 0, "ongoing", "EA Atelier du Lac"),
]

PHOTO_SIZE = (480, 360)


def _photo(color: tuple[int, int, int], seed: int) -> bytes:
    """A small picture (ground, sky, a few shapes) standing in for a phone photo."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", PHOTO_SIZE, (180, 210, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 200, PHOTO_SIZE[0], PHOTO_SIZE[1]], fill=color)
    for _ in range(6):
        x, y = rng.randint(20, 440), rng.randint(120, 300)
        draw.ellipse([x, y, x + 40, y + 40], fill=tuple(max(0, c - 40) for c in color))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _years_ago(today: datetime.date, years: float) -> datetime.date:
    return today - datetime.timedelta(days=round(365.25 * years))


def demo_booklet(*, demo) -> None:
    """Booklets for ``demo``'s organisation (see the module's docstring)."""
    kind = getattr(getattr(connection, "tenant", None), "kind", "company")
    profile = "esat" if kind == "esat" else "company"
    today = timezone.localdate()
    skill_of = _skills(demo)
    users = {spec.role: User.objects.filter(email=spec.email).select_related("employee").first()
             for spec in demo.users}
    worker_user, supervisor_user = users.get("employee"), users.get("supervisor")
    if worker_user is None or supervisor_user is None or worker_user.employee is None:
        return
    with transaction.atomic():
        _interviews_for_everyone(demo=demo, today=today, is_esat=profile == "esat",
                                 skip={worker_user.employee.staff_number})
        _worker_booklet(worker=worker_user.employee, worker_user=worker_user, supervisor_user=supervisor_user,
                        hr_user=users.get("hr"), profile=profile, skill_of=skill_of, today=today)
        _team_booklets(demo=demo, supervisor_user=supervisor_user, skill_of=skill_of, today=today,
                       skip={worker_user.employee.staff_number})
        if profile == "esat":
            _esat_pathways(demo=demo, today=today, skip={worker_user.employee.staff_number})


def _skills(demo) -> dict[str, OrgSkill]:
    by_label = {s.label: s for s in OrgSkill.objects.filter(label__in=[spec.label for spec in demo.skills])}
    return {spec.key: by_label[spec.label] for spec in demo.skills if spec.label in by_label}


def _staff_numbers_of_managers(demo) -> set[str]:
    return {spec.manager for spec in demo.employees if spec.manager}


def _interviews_for_everyone(*, demo, today, is_esat: bool, skip: set[str]) -> None:
    """ESAT: an annual interview a year, most up to date, some due soon or overdue. Company: an
    entretien professionnel every two years, with a few long-serving people never interviewed and never
    trained (the six-year CPF risk the tracker flags)."""
    employees = {e.staff_number: e for e in Employee.objects.filter(is_active=True, hire_date__isnull=False)}
    rows = []
    kind = Interview.Kind.ANNUAL if is_esat else Interview.Kind.PROFESSIONAL
    period = 12 if is_esat else 24
    for spec in demo.employees:
        employee = employees.get(spec.staff_number)
        if employee is None or spec.staff_number in skip:
            continue
        rng = random.Random(f"interviews-{spec.staff_number}")
        roll = rng.random()
        years_in = (today - employee.hire_date).days / 365.25
        if not is_esat and years_in >= 6 and roll < 0.1:
            continue  # never interviewed, never trained: at risk
        if roll < 0.15:
            last = add_months(today, -period - rng.randint(1, 5))  # overdue
        elif roll < 0.3:
            last = add_months(today, -period + 1) - datetime.timedelta(days=rng.randint(0, 25))  # due soon
        else:
            last = today - datetime.timedelta(days=rng.randint(20, 300 if is_esat else 600))
        held = last
        for n in range(3):
            if held <= employee.hire_date:
                break
            rows.append(Interview(
                employee=employee, kind=kind, held_on=held, participants="", author_name="",
                non_mandatory_training=not is_esat and n == 0 and rng.random() < 0.6,
                next_due=add_months(held, period), created_at=timezone.now()))
            held = add_months(held, -period)
    Interview.objects.bulk_create(rows, batch_size=1000)


def _worker_booklet(*, worker, worker_user, supervisor_user, hr_user, profile, skill_of, today) -> None:
    """The booklet a new user opens first: every part filled, as the worker and their supervisor would."""
    as_worker = Actor(user=worker_user)
    as_supervisor = Actor(user=supervisor_user)
    experiences = []
    for kind, title, place, years, months, description, keys in WORKER_EXPERIENCES[profile]:
        start = _years_ago(today, years) if years else today - datetime.timedelta(days=60)
        end = add_months(start, months) if months else None
        if end and end > today:
            end = None
        experiences.append(services.experience_create(
            actor=as_worker, employee=worker, kind=kind, title=title, place=place, start=start, end=end,
            description=description, skill_ids=[skill_of[k].pk for k in keys if k in skill_of]))
    for n, (kind, key, days, note, situation, step, valid_days, color) in enumerate(WORKER_EVIDENCE[profile]):
        if key not in skill_of:
            continue
        observed = today - datetime.timedelta(days=days)
        services.evidence_create(
            actor=as_supervisor, employee=worker, skill_id=skill_of[key].pk, kind=kind, note=note,
            situation=situation, observed_on=observed, rae_step=step,
            valid_until=observed + datetime.timedelta(days=valid_days) if valid_days else None,
            file_name=f"observation-{n + 1}.jpg" if color else "",
            file_data=_photo(color, n) if color else None)
    # The levels those observations back: observed by the supervisor, certified (a fresh demo keeps no
    # level history, so the current rows are written as they stand).
    observed_key = WORKER_EVIDENCE[profile][0][1]
    certified_key = next((e[1] for e in WORKER_EVIDENCE[profile] if e[0] == "certification"), None)
    for key, status, days in ((observed_key, "observed", 12), (certified_key, "certified", 200)):
        if key in skill_of:
            _level_set(worker=worker, skill=skill_of[key], level=3, status=status,
                       assessed_on=today - datetime.timedelta(days=days), by=supervisor_user if status ==
                       "observed" else hr_user)

    # Endorsements: two answered (a tutor, a trainer), one still waiting (its link was never shown here).
    tutor_skill = skill_of.get(WORKER_EVIDENCE[profile][0][1])
    answered = [
        ("Martine Lefèvre", "martine.lefevre@exemple.fr", tutor_skill, None,
         "Très soigneux, demande quand il ne sait pas. Je le reprendrais volontiers."),
        ("Karim Benali", "karim.benali@exemple.fr", None, experiences[0], "Confirmé : sérieux et à l'heure."),
    ]
    now = timezone.now()
    for n, (name, email, skill, experience, comment) in enumerate(answered):
        asked = now - datetime.timedelta(days=30 + 10 * n)
        Endorsement.objects.create(
            employee=worker, skill=skill, experience=experience, name=name, email=email, token_hash=None,
            expires_at=asked + datetime.timedelta(days=14), used_at=asked + datetime.timedelta(days=2),
            responded_at=asked + datetime.timedelta(days=2), status=Endorsement.Status.ACCEPTED, comment=comment,
            requested_by=supervisor_user, requested_at=asked)
    pending_skill = next((s for k, s in skill_of.items() if k in ("equipe",)), tutor_skill)
    Endorsement.objects.create(
        employee=worker, skill=pending_skill, name="Sophie Marchand", email="sophie.marchand@exemple.fr",
        token_hash=hashlib.sha256(secrets.token_urlsafe(32).encode()).hexdigest(),
        expires_at=now + datetime.timedelta(days=10), requested_by=worker_user,
        requested_at=now - datetime.timedelta(days=4))

    # Interviews: the last two, in the worker's own words.
    kind = Interview.Kind.ANNUAL if profile == "esat" else Interview.Kind.PROFESSIONAL
    period = 12 if profile == "esat" else 24
    reviewed = [s.pk for k, s in skill_of.items() if k in {e[1] for e in WORKER_EVIDENCE[profile]}]
    wishes = {
        "esat": ("Je veux travailler dans un vrai jardin, avec une équipe. J'aime la haie.",
                 "Je voudrais apprendre la débroussailleuse."),
        "company": ("Je souhaite passer la qualification TIG inox et former les nouveaux arrivants.",
                    "Je voudrais travailler sur des pièces plus techniques."),
    }[profile]
    for n, wish in enumerate(wishes):
        held = add_months(today, -2 - period * n)
        if worker.hire_date and held < worker.hire_date:
            break
        services.interview_create(
            actor=as_supervisor, employee=worker, kind=kind, held_on=held,
            participants=f"{worker.full_name}, {supervisor_user}", skill_ids=reviewed, wishes=wish,
            goals=("Faire une immersion de deux semaines en entreprise." if profile == "esat"
                   else "Qualification TIG avant la fin de l'année."),
            trainings=("Sauveteur secouriste du travail" if n else "Utiliser une débroussailleuse en sécurité")
            if profile == "esat" else ("Lecture de plans avancée" if n else "Soudage TIG inox (35 h)"),
            non_mandatory_training=profile != "esat")

    if profile == "esat":
        hired = worker.hire_date or _years_ago(today, 4)
        services.pathway_step_create(actor=as_supervisor, employee=worker, kind=PathwayStep.Kind.ESAT, start=hired,
                                     employer="", notes="Atelier espaces verts.")
        services.pathway_step_create(
            actor=as_supervisor, employee=worker, kind=PathwayStep.Kind.PART_TIME,
            start=today - datetime.timedelta(days=75), end=today - datetime.timedelta(days=45),
            employer="Jardins du Beaujolais", convention="Mise à disposition, 2 jours par semaine",
            outcome=PathwayStep.Outcome.ENDED, notes="Bilan positif : à renouveler au printemps.")
        services.orientation_set(actor=as_supervisor, employee=worker, decision="Orientation ESAT (CDAPH du Rhône)",
                                 decided_on=_years_ago(today, 3), ends_on=_years_ago(today, -2), rqth=True)


def _level_set(*, worker, skill, level: int, status: str, assessed_on, by) -> None:
    from skills_matrix.models import EmployeeSkill
    from skills_matrix.services import employee_skills_bulk_set

    source = "supervisor" if status == "observed" else "training"
    updated = EmployeeSkill.objects.filter(employee=worker, skill=skill, valid_to__isnull=True).update(
        level=level, status=status, assessed_on=assessed_on, source=source, recorded_by=by)
    if not updated:
        employee_skills_bulk_set(rows=[(worker.pk, skill.pk, level, assessed_on)], status=status, source=source,
                                 user=by)


def _team_booklets(*, demo, supervisor_user, skill_of, today, skip: set[str]) -> None:
    """The supervisor's other workers: an experience, an observation note and, for some, a confirmation."""
    if supervisor_user.employee is None:
        return
    team = list(Employee.objects.filter(manager=supervisor_user.employee, is_active=True)
                .exclude(staff_number__in=skip).order_by("staff_number"))
    levels = {spec.staff_number: spec.skills for spec in demo.employees}
    name = str(supervisor_user)
    experiences, evidence, endorsements = [], [], []
    now = timezone.now()
    for n, employee in enumerate(team):
        rng = random.Random(f"team-{employee.staff_number}")
        keys = [k for k in levels.get(employee.staff_number, {}) if k in skill_of]
        if not keys:
            continue
        key = rng.choice(keys)
        experiences.append(Experience(
            employee=employee, kind=Experience.Kind.INTERNSHIP if n % 2 else Experience.Kind.WORK,
            title="Stage en entreprise" if n % 2 else "Premier emploi", place="Villefranche-sur-Saône",
            start=_years_ago(today, rng.randint(3, 8)), description="", author_name=name, created_at=now))
        evidence.append(Evidence(
            employee=employee, skill=skill_of[key], kind=Evidence.Kind.NOTE,
            note="Travail fait en autonomie, dans le temps prévu.", situation="Atelier",
            observed_on=today - datetime.timedelta(days=rng.randint(5, 120)), observer_name=name,
            created_by=supervisor_user, author_name=name, created_at=now))
        if n % 3 == 0:
            asked = now - datetime.timedelta(days=rng.randint(20, 90))
            endorsements.append(Endorsement(
                employee=employee, skill=skill_of[key], name="Tuteur de stage", email="tuteur@exemple.fr",
                expires_at=asked + datetime.timedelta(days=14), used_at=asked + datetime.timedelta(days=3),
                responded_at=asked + datetime.timedelta(days=3), status=Endorsement.Status.ACCEPTED,
                requested_by=supervisor_user, requested_at=asked))
    Experience.objects.bulk_create(experiences)
    Evidence.objects.bulk_create(evidence)
    Endorsement.objects.bulk_create(endorsements)


def _esat_pathways(*, demo, today, skip: set[str]) -> None:
    """Every ESAT worker has a CDAPH orientation; a few went to ordinary work or an adapted company."""
    managers = _staff_numbers_of_managers(demo)
    hr = {u.staff_number for u in demo.users if u.staff_number}
    workers = list(Employee.objects.filter(is_active=True).exclude(staff_number__in=managers | hr | skip)
                   .order_by("staff_number"))
    orientations, steps = [], []
    now = timezone.now()
    for employee in workers:
        rng = random.Random(f"orientation-{employee.staff_number}")
        decided = _years_ago(today, rng.uniform(0.5, 4.5))
        orientations.append(Orientation(employee=employee, decision="Orientation ESAT (CDAPH du Rhône)",
                                        decided_on=decided, ends_on=_years_ago(decided, -5),
                                        rqth=True, created_at=now))
        steps.append(PathwayStep(employee=employee, kind=PathwayStep.Kind.ESAT,
                                 start=employee.hire_date or decided, created_at=now))
    for (kind, years, months, outcome, employer), employee in zip(PATHWAYS, workers[::5], strict=False):
        start = _years_ago(today, years) if years else today - datetime.timedelta(days=40)
        end = add_months(start, months) if months else None
        steps.append(PathwayStep(employee=employee, kind=kind, start=start, end=end, employer=employer,
                                 convention="Convention d'appui et d'accompagnement" if kind == "reinforced" else "",
                                 outcome=outcome, created_at=now))
    Orientation.objects.bulk_create(orientations)
    PathwayStep.objects.bulk_create(steps)
