"""The demonstration organisations as plain data: a metalworking SME of 150 people (``COMPANY``)
and an ESAT of 54 people (``ESAT``).

Pure (no Django): ``demo_build(profile, seed=…, year=…, slug=…)`` returns a ``Demo`` made of frozen
dataclasses, the same for the same arguments (names, dates and levels come from
``random.Random(seed)``). Dates are anchored on 1 January of ``year`` so that ages and seniorities
stay realistic.
"""

from __future__ import annotations

import datetime
import random
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

DEMO_PASSWORD = "gepp-demo-2030"

# (role, role label, e-mail local part, display name when not linked to an employee)
USER_ROLES = [
    ("admin", "Administrateur", "admin", "Administration Démo"),
    ("hr", "Responsable RH", "rh", ""),
    ("supervisor", "Encadrant", "encadrant", ""),
    ("employee", "Salarié", "salarie", ""),
]


def demo_user_email(local_part: str, slug: str) -> str:
    return f"{local_part}@{slug}.esipro.fr"


@dataclass(frozen=True)
class UnitSpec:
    name: str
    kind: str  # site, direction, service
    parent: str | None


@dataclass(frozen=True)
class SkillSpec:
    key: str
    label: str
    kind: str  # savoir_faire, savoir_etre, savoir
    description: str = ""


@dataclass(frozen=True)
class RequirementSpec:
    skill: str  # SkillSpec.key
    target_level: int
    weight: float = 1.0
    critical: bool = False


@dataclass(frozen=True)
class JobSpec:
    title: str
    code: str
    rome_code: str
    description: str
    units: tuple[tuple[str, int], ...]  # (unit name, headcount)
    requirements: tuple[RequirementSpec, ...]


@dataclass(frozen=True)
class EmployeeSpec:
    staff_number: str
    first_name: str
    last_name: str
    email: str
    birth_date: datetime.date
    hire_date: datetime.date
    exit_date: datetime.date | None
    job: str  # JobSpec.title
    unit: str  # UnitSpec.name
    manager: str | None  # staff number
    fte: Decimal
    skills: dict[str, tuple[int, str, datetime.date]] = field(default_factory=dict)  # key → level, status, date

    @property
    def is_active(self) -> bool:
        return self.exit_date is None


@dataclass(frozen=True)
class UserSpec:
    email: str
    role: str
    full_name: str
    staff_number: str | None


@dataclass(frozen=True)
class Demo:
    units: list[UnitSpec]
    skills: list[SkillSpec]
    jobs: list[JobSpec]
    employees: list[EmployeeSpec]
    users: list[UserSpec]


@dataclass(frozen=True)
class Profile:
    """What kind of organisation a demo is: its chart, skills and jobs, and how its people are drawn."""

    name: str
    kind: str  # company, administration, esat
    units: list[UnitSpec]
    skills: list[SkillSpec]
    jobs: list[JobSpec]
    director: str  # job title of the head of the site (manages the team leaders and the unmanaged)
    leader: str  # job title of team leaders (manage everyone else in their unit)
    hr: str  # job title of the person behind the HR account
    worker: str  # job title of the person behind the employee account (in a team leader's unit)
    staff_prefix: str
    email_domain: str
    women_share: dict[str, float]  # by job family (the prefix of the job code)
    age_bands: list[tuple[tuple[int, int], float]]
    fte_choices: list[tuple[Decimal, float]]
    departed_share: float
    extra_skills: list[str]  # skills someone may hold beyond their job's (a hint of mobility potential)


SITE = "Usine de Villefranche-sur-Saône"
UNITS = [
    UnitSpec(SITE, "site", None),
    UnitSpec("Direction industrielle", "direction", SITE),
    UnitSpec("Chaudronnerie-soudure", "service", "Direction industrielle"),
    UnitSpec("Usinage", "service", "Direction industrielle"),
    UnitSpec("Assemblage", "service", "Direction industrielle"),
    UnitSpec("Maintenance", "service", "Direction industrielle"),
    UnitSpec("Méthodes et qualité", "service", "Direction industrielle"),
    UnitSpec("Direction de la logistique", "direction", SITE),
    UnitSpec("Expédition", "service", "Direction de la logistique"),
    UnitSpec("Approvisionnement", "service", "Direction de la logistique"),
    UnitSpec("Direction administrative et financière", "direction", SITE),
    UnitSpec("Comptabilité", "service", "Direction administrative et financière"),
    UnitSpec("Ressources humaines", "service", "Direction administrative et financière"),
    UnitSpec("Systèmes d'information", "service", "Direction administrative et financière"),
    UnitSpec("Services généraux", "service", "Direction administrative et financière"),
    UnitSpec("Direction commerciale", "direction", SITE),
    UnitSpec("Ventes", "service", "Direction commerciale"),
]

SKILLS = [
    SkillSpec("soudage", "Souder à l'arc (MIG/MAG, TIG)", "savoir_faire",
              "Réaliser des soudures conformes au mode opératoire sur acier et inox."),
    SkillSpec("plan", "Lire un plan technique", "savoir_faire",
              "Interpréter cotes, tolérances et symboles d'un plan d'ensemble ou de détail."),
    SkillSpec("cn_reglage", "Régler une machine-outil à commande numérique", "savoir_faire"),
    SkillSpec("cn_prog", "Programmer une machine à commande numérique (ISO, FAO)", "savoir_faire"),
    SkillSpec("montage", "Assembler des sous-ensembles mécaniques", "savoir_faire"),
    SkillSpec("metrologie", "Contrôler la conformité d'une pièce (métrologie)", "savoir_faire"),
    SkillSpec("diagnostic", "Diagnostiquer une panne électrique ou mécanique", "savoir_faire"),
    SkillSpec("preventif", "Réaliser la maintenance préventive", "savoir_faire"),
    SkillSpec("animation", "Animer une équipe de production", "savoir_faire"),
    SkillSpec("planification", "Planifier la production", "savoir_faire"),
    SkillSpec("preparation", "Préparer des commandes", "savoir_faire"),
    SkillSpec("caces", "Conduire un chariot élévateur (CACES R489)", "savoir_faire"),
    SkillSpec("stocks", "Gérer les stocks et les approvisionnements", "savoir_faire"),
    SkillSpec("compta", "Saisir et contrôler des écritures comptables", "savoir_faire"),
    SkillSpec("paie", "Établir la paie et les déclarations sociales", "savoir_faire"),
    SkillSpec("accueil", "Accueillir et orienter les visiteurs et les appels", "savoir_faire"),
    SkillSpec("dev_web", "Développer une application web", "savoir_faire"),
    SkillSpec("negociation", "Négocier un contrat commercial", "savoir_faire"),
    SkillSpec("qualite", "Conduire une démarche qualité (ISO 9001)", "savoir_faire"),
    SkillSpec("risques", "Évaluer les risques professionnels (document unique)", "savoir_faire"),
    SkillSpec("nettoyage", "Nettoyer et désinfecter des équipements industriels", "savoir_faire"),
    SkillSpec("recrutement", "Conduire un entretien de recrutement", "savoir_faire"),
    SkillSpec("equipe", "Travailler en équipe", "savoir_etre"),
    SkillSpec("rigueur", "Faire preuve de rigueur et d'organisation", "savoir_etre"),
    SkillSpec("relation_client", "Avoir le sens de la relation client", "savoir_etre"),
    SkillSpec("securite", "Règles d'hygiène et de sécurité en atelier", "savoir"),
    SkillSpec("bureautique", "Bureautique (tableur, traitement de texte)", "savoir"),
    SkillSpec("anglais", "Anglais technique", "savoir"),
    SkillSpec("lean", "Amélioration continue (Lean, 5S)", "savoir"),
]


def _req(*items) -> tuple[RequirementSpec, ...]:
    """``("soudage", 3, "!")`` → a critical requirement at level 3; weight 2 when critical."""
    out = []
    for item in items:
        key, level, *flag = item
        critical = bool(flag)
        out.append(RequirementSpec(key, level, 2.0 if critical else 1.0, critical))
    return tuple(out)


DIRECTOR = "Directeur / Directrice de site"
TEAM_LEADER = "Chef / Cheffe d'équipe en industrie"
HR_MANAGER = "Responsable des ressources humaines"
WELDER = "Soudeur / Soudeuse"

JOBS = [
    JobSpec(DIRECTOR, "DIR-01", "M1302", "Dirige l'usine : résultats, sécurité, investissements et dialogue social.",
            ((SITE, 1),), _req(("planification", 3), ("negociation", 3), ("anglais", 2), ("risques", 3))),
    JobSpec(TEAM_LEADER, "PRO-10", "H2504", "Anime une équipe d'atelier et garantit sécurité, qualité et délais.",
            (("Chaudronnerie-soudure", 1), ("Usinage", 1), ("Assemblage", 2), ("Maintenance", 1), ("Expédition", 1)),
            _req(("animation", 3, "!"), ("planification", 3), ("securite", 3, "!"), ("lean", 2), ("plan", 3))),
    JobSpec(WELDER, "PRO-11", "H2913", "Assemble par soudage des pièces de chaudronnerie.",
            (("Chaudronnerie-soudure", 22),),
            _req(("soudage", 3, "!"), ("plan", 2), ("securite", 3, "!"), ("metrologie", 1), ("equipe", 2))),
    JobSpec("Tourneur-fraiseur / Tourneuse-fraiseuse", "PRO-12", "H2903",
            "Usine des pièces sur tour et fraiseuse à commande numérique.", (("Usinage", 18),),
            _req(("cn_reglage", 3, "!"), ("cn_prog", 2), ("plan", 3), ("metrologie", 2), ("securite", 2))),
    JobSpec("Assembleur monteur / Assembleuse monteuse", "PRO-13", "H2909",
            "Monte et règle les sous-ensembles mécaniques des machines.", (("Assemblage", 29),),
            _req(("montage", 3, "!"), ("plan", 2), ("securite", 2), ("lean", 1), ("equipe", 2))),
    JobSpec("Technicien / Technicienne de maintenance industrielle", "MNT-01", "I1304",
            "Assure la maintenance préventive et corrective des équipements.", (("Maintenance", 10),),
            _req(("diagnostic", 3, "!"), ("preventif", 3), ("plan", 2), ("securite", 3, "!"), ("anglais", 1))),
    JobSpec("Technicien / Technicienne méthodes", "MET-01", "H1404",
            "Définit les gammes de fabrication et améliore les postes de travail.", (("Méthodes et qualité", 5),),
            _req(("planification", 2), ("cn_prog", 2), ("plan", 3, "!"), ("lean", 3), ("bureautique", 2))),
    JobSpec("Responsable qualité", "QUA-01", "H1502", "Pilote le système qualité et les audits clients.",
            (("Méthodes et qualité", 2),),
            _req(("qualite", 4, "!"), ("metrologie", 3), ("lean", 3), ("anglais", 2), ("rigueur", 3))),
    JobSpec("Technicien / Technicienne HSE", "QUA-02", "H1303",
            "Prévient les risques professionnels et environnementaux.", (("Méthodes et qualité", 2),),
            _req(("risques", 3, "!"), ("securite", 4, "!"), ("qualite", 2), ("bureautique", 2))),
    JobSpec("Préparateur / Préparatrice de commandes", "LOG-01", "N1103",
            "Prépare et expédie les commandes de pièces et de machines.", (("Expédition", 16),),
            _req(("preparation", 3, "!"), ("caces", 2, "!"), ("securite", 2), ("rigueur", 2))),
    JobSpec("Approvisionneur / Approvisionneuse", "LOG-02", "N1303",
            "Garantit la disponibilité des matières et composants.", (("Approvisionnement", 4),),
            _req(("stocks", 3, "!"), ("negociation", 2), ("bureautique", 3), ("anglais", 1))),
    JobSpec("Agent / Agente de nettoyage industriel", "SG-01", "K2204",
            "Entretient les ateliers et les équipements de production.", (("Services généraux", 6),),
            _req(("nettoyage", 3, "!"), ("securite", 2), ("rigueur", 2))),
    JobSpec("Comptable", "ADM-01", "M1203", "Tient la comptabilité générale et fournisseurs.",
            (("Comptabilité", 5),), _req(("compta", 3, "!"), ("bureautique", 3), ("rigueur", 3))),
    JobSpec("Secrétaire", "ADM-02", "M1607", "Assure l'accueil, le courrier et le suivi administratif.",
            (("Services généraux", 4),), _req(("accueil", 3), ("bureautique", 3, "!"), ("relation_client", 2))),
    JobSpec("Assistant / Assistante ressources humaines", "RH-02", "M1501",
            "Gère l'administration du personnel et prépare la paie.", (("Ressources humaines", 3),),
            _req(("paie", 3, "!"), ("bureautique", 3), ("rigueur", 3), ("recrutement", 1))),
    JobSpec(HR_MANAGER, "RH-01", "M1503", "Conduit la politique RH, la GEPP et le dialogue social.",
            (("Ressources humaines", 1),),
            _req(("recrutement", 3), ("paie", 2), ("negociation", 3, "!"), ("bureautique", 3))),
    JobSpec("Développeur / Développeuse informatique", "SI-01", "M1805",
            "Développe et maintient les applications internes (ERP, GMAO).", (("Systèmes d'information", 5),),
            _req(("dev_web", 3, "!"), ("anglais", 2), ("rigueur", 2), ("equipe", 2))),
    JobSpec("Commercial / Commerciale grands comptes", "COM-01", "D1402",
            "Développe le chiffre d'affaires auprès des grands comptes industriels.", (("Ventes", 5),),
            _req(("negociation", 3, "!"), ("relation_client", 3), ("anglais", 2), ("plan", 1))),
    JobSpec("Technico-commercial / Technico-commerciale", "COM-02", "D1407",
            "Conseille les clients et chiffre les machines sur mesure.", (("Ventes", 6),),
            _req(("negociation", 2), ("relation_client", 3), ("plan", 3, "!"), ("anglais", 2))),
]

FIRST_NAMES_F = [
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Sandrine", "Valérie", "Christine", "Céline",
    "Stéphanie", "Sophie", "Aurélie", "Émilie", "Julie", "Camille", "Laura", "Manon", "Léa", "Chloé",
    "Sarah", "Inès", "Amandine", "Hélène", "Caroline", "Virginie", "Fatima", "Nadia", "Karine", "Élodie",
    "Pauline", "Mélanie", "Audrey", "Anaïs", "Lucie", "Océane", "Morgane",
]
FIRST_NAMES_M = [
    "Jean", "Philippe", "Michel", "Alain", "Patrick", "Nicolas", "Christophe", "Pierre", "Laurent",
    "Frédéric", "Stéphane", "David", "Sébastien", "Julien", "Olivier", "Thomas", "Éric", "Franck",
    "Mickaël", "Cédric", "Romain", "Maxime", "Kévin", "Anthony", "Alexandre", "Mehdi", "Karim", "Yannick",
    "Jérôme", "Guillaume", "Lucas", "Hugo", "Théo", "Mathieu", "Bruno", "Thierry", "Fabrice", "Rachid",
]
LAST_NAMES = [
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
    "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
    "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefebvre", "Faure",
    "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand",
    "Gauthier", "Garcia", "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu",
    "Gautier", "Masson", "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer",
    "Dufour", "Meunier", "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard",
    "Barbier", "Arnaud", "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin",
    "Vidal", "Caron", "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix",
    "Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland", "Leclercq",
    "Guillaume", "Lecomte", "Lopez", "Jean", "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier", "Sanchez",
    "Benali", "Nguyen", "Haddad", "Da Silva", "Ferreira", "Diallo", "Traoré", "Mansouri",
]
# Share of women by job family, so that the demo's gender mix looks like a French plant.
COMPANY_WOMEN_SHARE = {"PRO": 0.12, "MNT": 0.08, "MET": 0.3, "QUA": 0.5, "LOG": 0.25, "SG": 0.6, "ADM": 0.8,
               "RH": 0.8, "SI": 0.25, "COM": 0.35, "DIR": 0.4}
# (age band, share): a workforce where a fifth is 55 or over, as in many French industrial SMEs.
COMPANY_AGE_BANDS = [((20, 29), 0.17), ((30, 39), 0.24), ((40, 49), 0.27), ((50, 56), 0.17), ((57, 63), 0.15)]
COMPANY_FTE = [(Decimal("1.000"), 0.82), (Decimal("0.800"), 0.09), (Decimal("0.500"), 0.04),
               (Decimal("0.900"), 0.05)]

COMPANY = Profile(
    name="Démo Industrie", kind="company", units=UNITS, skills=SKILLS, jobs=JOBS, director=DIRECTOR,
    leader=TEAM_LEADER, hr=HR_MANAGER, worker=WELDER, staff_prefix="D", email_domain="demo-industrie.fr",
    women_share=COMPANY_WOMEN_SHARE, age_bands=COMPANY_AGE_BANDS, fte_choices=COMPANY_FTE, departed_share=0.08,
    extra_skills=["equipe", "bureautique", "anglais", "lean", "caces", "plan", "metrologie", "securite"],
)

ESAT_SITE = "ESAT Les Ateliers du Val"
ESAT_UNITS = [
    UnitSpec(ESAT_SITE, "site", None),
    UnitSpec("Pôle production", "direction", ESAT_SITE),
    UnitSpec("Espaces verts", "service", "Pôle production"),
    UnitSpec("Conditionnement", "service", "Pôle production"),
    UnitSpec("Blanchisserie", "service", "Pôle production"),
    UnitSpec("Restauration", "service", "Pôle production"),
    UnitSpec("Pôle accompagnement", "direction", ESAT_SITE),
    UnitSpec("Soutien professionnel", "service", "Pôle accompagnement"),
]
# Skills in everyday words (FALC): the workers read their own booklet.
ESAT_SKILLS = [
    SkillSpec("tonte", "Tondre une pelouse", "savoir_faire"),
    SkillSpec("taille", "Tailler une haie", "savoir_faire"),
    SkillSpec("debroussailleuse", "Utiliser une débroussailleuse sans danger", "savoir_faire"),
    SkillSpec("emballer", "Emballer et étiqueter des produits", "savoir_faire"),
    SkillSpec("compter", "Compter et vérifier une quantité", "savoir_faire"),
    SkillSpec("trier_linge", "Trier et plier le linge", "savoir_faire"),
    SkillSpec("repasser", "Repasser le linge", "savoir_faire"),
    SkillSpec("legumes", "Éplucher et couper des légumes", "savoir_faire"),
    SkillSpec("plonge", "Faire la plonge", "savoir_faire"),
    SkillSpec("service", "Servir les repas", "savoir_faire"),
    SkillSpec("nettoyer", "Nettoyer un local", "savoir_faire"),
    SkillSpec("encadrer", "Encadrer un atelier de travailleurs en situation de handicap", "savoir_faire"),
    SkillSpec("projet", "Construire un projet professionnel avec une personne", "savoir_faire"),
    SkillSpec("consignes", "Respecter les consignes de sécurité", "savoir"),
    SkillSpec("hygiene", "Respecter les règles d'hygiène en cuisine (HACCP)", "savoir"),
    SkillSpec("equipe", "Travailler avec les autres", "savoir_etre"),
    SkillSpec("ponctuel", "Arriver à l'heure", "savoir_etre"),
    SkillSpec("aide", "Demander de l'aide quand il faut", "savoir_etre"),
    SkillSpec("client", "Parler poliment aux clients", "savoir_etre"),
]
ESAT_DIRECTOR = "Directeur / Directrice d'ESAT"
MONITOR = "Moniteur / Monitrice d'atelier"
ESAT_HR = "Chargé / Chargée d'insertion professionnelle"
GARDENER = "Agent / Agente d'entretien des espaces verts"
ESAT_JOBS = [
    JobSpec(ESAT_DIRECTOR, "DIR-01", "K1407", "Dirige l'établissement et son projet d'accompagnement.",
            ((ESAT_SITE, 1),), _req(("encadrer", 3), ("projet", 3), ("consignes", 3))),
    JobSpec(MONITOR, "ENC-01", "K1215", "Encadre un atelier, transmet les gestes et observe les compétences.",
            (("Espaces verts", 2), ("Conditionnement", 1), ("Blanchisserie", 1), ("Restauration", 1)),
            _req(("encadrer", 3, "!"), ("consignes", 4, "!"), ("projet", 2), ("equipe", 3))),
    JobSpec(ESAT_HR, "ACC-01", "K1801", "Accompagne les parcours, prépare les entretiens et la sortie vers l'emploi.",
            (("Soutien professionnel", 1),), _req(("projet", 4, "!"), ("client", 3), ("equipe", 3))),
    JobSpec(GARDENER, "EV-01", "A1203", "Entretient les parcs et jardins des clients.", (("Espaces verts", 14),),
            _req(("tonte", 2, "!"), ("taille", 2), ("debroussailleuse", 2, "!"), ("consignes", 2, "!"),
                 ("equipe", 2), ("ponctuel", 2))),
    JobSpec("Agent / Agente de conditionnement", "CD-01", "H3302", "Emballe et étiquette des produits pour des clients.",
            (("Conditionnement", 14),),
            _req(("emballer", 2, "!"), ("compter", 2, "!"), ("consignes", 2), ("equipe", 2), ("aide", 2))),
    JobSpec("Repasseur / Repasseuse", "BL-01", "D1236", "Lave, repasse et plie le linge des clients.",
            (("Blanchisserie", 8),), _req(("trier_linge", 2, "!"), ("repasser", 2, "!"), ("consignes", 2),
                                          ("ponctuel", 2))),
    JobSpec("Commis / Commise de cuisine", "RE-01", "G1602", "Prépare et sert les repas du restaurant.",
            (("Restauration", 7),),
            _req(("legumes", 2, "!"), ("plonge", 2), ("service", 2), ("hygiene", 2, "!"), ("client", 2))),
    JobSpec("Agent / Agente de nettoyage", "NE-01", "K2204", "Nettoie les locaux de l'ESAT et des clients.",
            (("Conditionnement", 5),), _req(("nettoyer", 2, "!"), ("consignes", 2), ("ponctuel", 2))),
]
ESAT = Profile(
    name="ESAT Démo", kind="esat", units=ESAT_UNITS, skills=ESAT_SKILLS, jobs=ESAT_JOBS, director=ESAT_DIRECTOR,
    leader=MONITOR, hr=ESAT_HR, worker=GARDENER, staff_prefix="T", email_domain="esat-demo.fr",
    women_share={"DIR": 0.6, "ENC": 0.4, "ACC": 0.8, "EV": 0.2, "CD": 0.45, "BL": 0.7, "RE": 0.4, "NE": 0.5},
    age_bands=[((20, 29), 0.25), ((30, 39), 0.25), ((40, 49), 0.25), ((50, 59), 0.25)],
    fte_choices=[(Decimal("1.000"), 0.6), (Decimal("0.800"), 0.15), (Decimal("0.500"), 0.25)],
    departed_share=0.06, extra_skills=["equipe", "ponctuel", "aide", "client", "compter", "nettoyer"],
)
PROFILES = {"company": COMPANY, "esat": ESAT}


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


def _weighted(rng: random.Random, choices):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def _date_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def demo_build(profile: Profile = COMPANY, *, seed: int = 2030, year: int | None = None,
               slug: str = "demo") -> Demo:
    """The demo organisation: units, skills, jobs, employees with levels, and four users."""
    rng = random.Random(f"{profile.kind}-{seed}")
    reference = datetime.date(year or datetime.date.today().year, 1, 1)
    employees: list[dict] = []
    used_names: set[tuple[str, str]] = set()
    used_emails: set[str] = set()

    for job in profile.jobs:
        family = job.code.split("-")[0]
        for unit, headcount in job.units:
            for _ in range(headcount):
                female = rng.random() < profile.women_share.get(family, 0.5)
                while True:
                    first = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
                    last = rng.choice(LAST_NAMES)
                    if (first, last) not in used_names:
                        used_names.add((first, last))
                        break
                email = f"{_ascii(first)}.{_ascii(last)}@{profile.email_domain}"
                low, high = _weighted(rng, profile.age_bands)
                if job.title in (profile.director, profile.hr, profile.leader):
                    low = max(low, 35)
                    high = max(high, low + 5)
                age = rng.randint(low, high)
                birth = reference - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
                seniority_years = min(age - 19, int(rng.expovariate(1 / 9)) + 1)
                hire = _date_between(
                    rng, reference - datetime.timedelta(days=365 * seniority_years),
                    reference - datetime.timedelta(days=365 * max(seniority_years - 1, 0) + 30),
                )
                employees.append({
                    "staff_number": f"{profile.staff_prefix}{len(employees) + 1:05d}", "first_name": first,
                    "last_name": last, "email": email if email not in used_emails else "",
                    "birth_date": birth, "hire_date": hire, "exit_date": None, "job": job,
                    "unit": unit, "manager": None, "fte": _weighted(rng, profile.fte_choices),
                    "seniority": seniority_years,
                })
                used_emails.add(email)

    director = next(e for e in employees if e["job"].title == profile.director)
    leaders: dict[str, list[dict]] = {}
    for e in employees:
        if e["job"].title == profile.leader:
            leaders.setdefault(e["unit"], []).append(e)
    for index, e in enumerate(employees):
        if e is director:
            continue
        team = leaders.get(e["unit"]) if e["job"].title != profile.leader else None
        e["manager"] = (team[index % len(team)] if team else director)["staff_number"]

    # The people behind the demo accounts: the HR person, a team leader and one of their team.
    hr_person = next(e for e in employees if e["job"].title == profile.hr)
    worker_job = next(j for j in profile.jobs if j.title == profile.worker)
    supervisor = leaders[worker_job.units[0][0]][0]
    worker = next(e for e in employees
                  if e["job"] is worker_job and e["manager"] == supervisor["staff_number"])
    linked = {hr_person["staff_number"], supervisor["staff_number"], worker["staff_number"], director["staff_number"]}
    linked |= {leader["staff_number"] for team in leaders.values() for leader in team}

    departures = [e for e in employees if e["staff_number"] not in linked]
    for e in rng.sample(departures, round(len(employees) * profile.departed_share)):
        e["exit_date"] = _date_between(rng, max(e["hire_date"], reference - datetime.timedelta(days=540)),
                                       reference - datetime.timedelta(days=15))

    for e in employees:
        e["skills"] = _levels(rng, e, reference, profile.extra_skills)

    users = []
    people = {"hr": hr_person, "supervisor": supervisor, "employee": worker}
    for role, _label, local_part, name in USER_ROLES:
        person = people.get(role)
        email = demo_user_email(local_part, slug)
        if person is not None:
            person["email"] = email
            name = f"{person['first_name']} {person['last_name']}"
        users.append(UserSpec(email, role, name, person["staff_number"] if person else None))

    return Demo(
        units=list(profile.units), skills=list(profile.skills), jobs=list(profile.jobs), users=users,
        employees=[
            EmployeeSpec(
                staff_number=e["staff_number"], first_name=e["first_name"], last_name=e["last_name"],
                email=e["email"], birth_date=e["birth_date"], hire_date=e["hire_date"],
                exit_date=e["exit_date"], job=e["job"].title, unit=e["unit"], manager=e["manager"],
                fte=e["fte"], skills=e["skills"],
            )
            for e in employees
        ],
    )


def _levels(rng: random.Random, e: dict, reference: datetime.date,
            extra_skills: list[str]) -> dict[str, tuple[int, str, datetime.date]]:
    """Levels around each requirement (experience helps), a few skills beyond the job, some never assessed."""
    skills: dict[str, tuple[int, str, datetime.date]] = {}
    experienced = e["seniority"] >= 8

    def record(key: str, level: int) -> None:
        status = _weighted(rng, [("validated", 0.55), ("observed", 0.2), ("declared", 0.2), ("certified", 0.05)])
        assessed = _date_between(rng, reference - datetime.timedelta(days=730), reference - datetime.timedelta(days=7))
        skills[key] = (max(0, min(4, level)), status, assessed)

    for requirement in e["job"].requirements:
        if rng.random() < 0.08:  # not assessed yet: shows up as a gap to fill in the matrix
            continue
        shift = rng.choice([-2, -1, -1, 0, 0, 0, 1]) + (1 if experienced and rng.random() < 0.5 else 0)
        record(requirement.skill, requirement.target_level + shift)
    for key in rng.sample(extra_skills, k=rng.randint(0, 3)):
        if key not in skills:
            record(key, rng.choice([1, 1, 2, 2, 3]))
    return skills
