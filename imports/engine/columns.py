"""What an unrecognised column of a staff file is: a skill, a system field, or personal data never read.

An HR system's export carries many small-integer columns that are not skills: identifiers
(EmpID, DeptID), codes (Zip), counts (SpecialProjectsCount, DaysLateLast30), scores
(EmpSatisfaction, PerfScoreID) and flags (Termd). Their cells look like levels (0 to 5), so the
values alone cannot tell. A column is a skill column only when its header reads like a skill (a
verb or noun phrase, none of the words below), when it names a skill the organisation or a
referential already knows, or when the user maps it. Special-category personal data (origin,
religion, citizenship, marital status, health, disability, gender) is recognised in any of the
usual languages and shapes ("GenderID", "RaceDesc", "Civilité", "Estado civil") and never read.

Pure code: header texts in, decisions out.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from imports.engine.i18n import gettext_noop

# Why a column is read (or not) the way it is; the preview shows the French text.
REASONS: dict[str, str] = {
    "mapping": gettext_noop("choisi dans la correspondance des colonnes"),
    "header": gettext_noop("titre de colonne reconnu"),
    "known_skill": gettext_noop("compétence déjà connue (organisation ou référentiel ROME/ESCO)"),
    "skill_header": gettext_noop("le titre se lit comme une compétence et les cellules comme des niveaux"),
    "identifier": gettext_noop("identifiant ou code d'un autre système, pas une compétence"),
    "count": gettext_noop("nombre ou compteur, pas une compétence"),
    "date": gettext_noop("date ou période, pas une compétence"),
    "score": gettext_noop("note, score ou enquête, pas une compétence"),
    "flag": gettext_noop("indicateur oui/non, pas une compétence"),
    "hr_data": gettext_noop("donnée administrative ou de paie, pas une compétence"),
    "not_levels": gettext_noop("les cellules ne se lisent pas comme des niveaux"),
    "long_layout": gettext_noop("fichier à une ligne par compétence : colonne non utilisée"),
    "sensitive": gettext_noop("donnée personnelle sensible : jamais importée"),
    "sensitive_field": gettext_noop("donnée personnelle sensible : enregistrée dans le champ restreint"),
    "duplicate": gettext_noop("une autre colonne fournit déjà ce champ"),
    "ignored_header": gettext_noop("colonne administrative toujours ignorée"),
    "unmatched_managers": gettext_noop(
        "aucune valeur n'est un matricule ou un nom de salarié du fichier : identifiants d'un autre système"
    ),
}

# Special categories of personal data (GDPR art. 9, plus gender and age), in French, English,
# Spanish, Italian, German, Portuguese and Dutch, as whole words of the header.
SENSITIVE_WORDS: dict[str, frozenset[str]] = {
    "origin": frozenset({
        "race", "racedesc", "ethnie", "ethnicite", "ethnique", "ethnic", "ethnicity", "hispanic", "latino",
        "hispaniclatino", "etnia", "etnico", "etnica", "etnicidad", "razza", "raza", "herkunft",
        "etniciteit", "afkomst", "origine", "origines", "origin", "diversity", "diversite",
    }),
    "religion": frozenset({
        "religion", "religious", "religieux", "religieuse", "confession", "culte", "croyance", "croyances",
        "belief", "beliefs", "faith", "religione", "religiao", "religie", "konfession", "glaube",
    }),
    "citizenship": frozenset({
        "nationalite", "nationality", "citizen", "citizenship", "citizendesc", "citoyennete", "nacionalidad",
        "nazionalita", "cittadinanza", "staatsangehorigkeit", "nationaliteit", "nacionalidade", "ciudadania",
    }),
    "marital": frozenset({
        "married", "marital", "maritaldesc", "marriage", "mariage", "marie", "mariee", "celibataire",
        "conjoint", "spouse", "matrimonial", "matrimoniale", "pacs", "familienstand", "civil",
    }),
    "health": frozenset({
        "sante", "health", "medical", "medicale", "maladie", "illness", "sickness", "pathologie", "salud",
        "salute", "gesundheit", "gezondheid", "grossesse", "pregnancy", "enceinte",
    }),
    "disability": frozenset({
        "handicap", "handicape", "handicapee", "disability", "disabled", "rqth", "oeth", "invalidite",
        "incapacite", "discapacidad", "disabilita", "behinderung", "schwerbehindert", "beperking",
        "deficiencia",
    }),
    "gender": frozenset({
        "sexe", "sex", "gender", "genre", "genderid", "civilite", "sexo", "genero", "sesso", "geschlecht",
        "geslacht", "anrede", "salutation", "mr", "mrs", "mme", "m", "h", "f",
    }),
    "age": frozenset({"age", "edad", "eta", "alter", "leeftijd", "idade"}),
    "union": frozenset({"syndicat", "syndical", "syndicale", "union", "gewerkschaft"}),
}
# Phrases of several words (space-separated, accent-free).
SENSITIVE_PHRASES: dict[str, tuple[str, ...]] = {
    "marital": ("situation familiale", "etat civil", "estado civil", "stato civile", "burgerlijke staat",
                "situation matrimoniale"),
    "citizenship": ("pays de naissance", "country of birth", "lieu de naissance", "place of birth"),
    "gender": ("h f", "m f"),
    "origin": ("couleur de peau", "skin colour", "skin color"),
}
# Single-letter gender words only count when they are the whole header ("H/F", "M/F").
_GENDER_LETTERS = frozenset({"m", "h", "f", "mr", "mrs", "mme"})
_WHOLE_ONLY = frozenset({"origine", "origines", "origin", "union", "civil", "alter", "eta", "marie", "mariee"})

# Words that make a header a system field rather than a skill, by reason.
# fmt: off
NON_SKILL_WORDS: dict[str, frozenset[str]] = {
    "identifier": frozenset({
        "id", "ids", "uid", "uuid", "guid", "identifiant", "identifier", "ident", "key", "cle", "ref",
        "reference", "num", "numero", "no", "nr", "nro", "matricule", "code", "codes", "zip", "zipcode",
        "postal", "postcode", "codepostal", "cp", "siret", "siren", "insee", "nir", "ssn", "iban", "bic",
        "phone", "telephone", "tel", "mobile", "fax", "email", "mail", "courriel", "login", "username",
        "badge", "emp", "empl", "employee", "employe", "salarie", "agent", "dept", "dpt",
    }),
    "count": frozenset({
        "count", "counts", "cnt", "nb", "nbr", "nbre", "nombre", "number", "qty", "quantity", "quantite",
        "total", "totals", "sum", "somme", "days", "day", "jours", "jour", "hours", "hour", "heures", "heure",
        "hrs", "weeks", "semaines", "months", "years", "annees", "ans", "absences", "absence", "absent",
        "late", "retard", "retards", "lateness", "overtime", "enfants", "children", "kids", "dependents",
        "dependants", "projects", "projets", "occurrences", "fois", "times", "last", "derniers", "dernieres",
        "minutes", "min", "km", "distance", "headcount", "effectif", "fte", "etp",
    }),
    "date": frozenset({
        "date", "dates", "dob", "naissance", "birth", "birthday", "annee", "year", "mois", "month", "semaine",
        "week", "periode", "period", "trimestre", "quarter", "hired", "hire", "since", "depuis", "debut",
        "fin", "start", "end", "echeance", "deadline", "timestamp", "datetime", "time",
    }),
    "score": frozenset({
        "score", "scores", "rating", "ratings", "note", "notes", "notation", "satisfaction", "engagement",
        "survey", "enquete", "sondage", "perf", "performance", "review", "appraisal", "evaluation",
        "kpi", "index", "indice", "rank", "rang", "ranking", "classement", "percentile", "pct", "percent",
        "pourcentage", "ratio", "taux", "rate", "bonus", "prime", "nps", "objectif", "objectifs", "target",
        "potential", "potentiel", "risk", "risque",
    }),
    "flag": frozenset({
        "flag", "flags", "termd", "term", "terminated", "termination", "fired", "leaver", "left", "quit",
        "resigned", "active", "actif", "inactive", "inactif", "is", "has", "bool", "boolean",
        "yes", "oui", "non", "yn", "off", "enabled", "disabled", "status", "statut", "etat",
        "remote", "teletravail", "manager", "cadre", "exempt", "fulltime", "parttime", "temporary",
        "interim", "permanent", "cdi", "cdd", "eligible",
    }),
    "hr_data": frozenset({
        "salary", "salaire", "pay", "payrate", "wage", "wages", "remuneration", "brut", "net", "coefficient",
        "echelon", "grade", "categorie", "category", "classification", "csp", "pcs", "contrat", "contract",
        "position", "poste", "source", "recruitment", "recrutement", "state", "city", "ville", "region",
        "country", "pays", "address", "adresse", "street", "rue", "tenure", "anciennete", "seniority",
        "shift", "horaire", "division", "unit", "unite", "site", "location", "cost", "center", "centre",
        "budget", "echelle", "band", "hierarchie", "hierarchy", "desc", "description",
        "commentaire", "comment", "comments", "remarque", "remarques", "observations", "name", "nom",
    }),
}
# fmt: on
_REASON_ORDER = ("count", "date", "score", "flag", "identifier", "hr_data")

_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


class ColumnDecision(NamedTuple):
    """How one column of the header row is read, and why.

    column: its name in HeaderGuess.headers; decision: "field" (a staff field), "skill" (levels of one
    skill), "ignored" (never read), "sensitive" (special-category data, never read, or the restricted
    field that may hold it), "unknown" (not read: nothing says what it is) or "duplicate"; target: the
    field name, "skill:<label>" or ""; reason: a key of REASONS (its French text says why).
    """

    column: str
    decision: str
    target: str
    reason: str


def header_words(text) -> list[str]:
    """The words of a header, CamelCase and snake_case split, lower case, accents removed:
    "DaysLateLast30" -> ["days", "late", "last", "30"], "Date d'entrée" -> ["date", "d", "entree"]."""
    if text is None:
        return []
    words = []
    for chunk in re.split(r"[^0-9A-Za-zÀ-ÖØ-öø-ÿŒœ]+", str(text)):
        if not chunk:
            continue
        folded = unicodedata.normalize("NFKD", chunk.replace("œ", "oe").replace("Œ", "OE"))
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
        parts = _CAMEL.findall(folded) if not (folded.isupper() or folded.islower()) else [folded]
        words += [part.lower() for part in parts if part]
    return words


def _joined(text) -> str:
    return " ".join(header_words(text))


def sensitive_category(text) -> str | None:
    """The special category of personal data a header names ("origin", "religion", "citizenship",
    "marital", "health", "disability", "gender", "age", "union"), or None.

    "GenderID", "Sexe (H/F)", "Civilité", "RaceDesc", "HispanicLatino", "MaritalStatusID",
    "CitizenDesc", "Estado civil", "Staatsangehörigkeit" are; "Santé et sécurité au travail" and
    "Accompagner une personne en situation de handicap" (skills about serving people) are not:
    a header of more than three words naming an activity is a skill, however it ends."""
    words = header_words(text)
    if not words:
        return None
    joined = " ".join(words)
    compact = "".join(words)
    for category, phrases in SENSITIVE_PHRASES.items():
        if any(f" {phrase} " in f" {joined} " for phrase in phrases):
            return category
    alpha = [w for w in words if not w.isdigit()]
    safety = {"securite", "safety", "hygiene", "prevention", "accompagner", "accompagnement", "accueil",
              "accueillir", "soins", "soin", "care", "aide", "service", "public", "personne", "personnes"}
    if len(alpha) > 3 or safety & set(alpha):
        return None
    for category, vocabulary in SENSITIVE_WORDS.items():
        for word in (*alpha, compact):
            if word in vocabulary:
                if word in _GENDER_LETTERS and len(alpha) > 2:
                    continue
                if word in _WHOLE_ONLY and len(alpha) > 1 and compact != word:
                    if not (word == "civil" and "status" in alpha):  # "Civil status"
                        continue
                return category
    return None


# Linking words: a header holding one is a phrase ("Lecture de plans", "Nombre d'enfants"), judged by
# its first word; skill phrases often hold a system word further on ("Gestion du temps", "Prise de notes").
_CONNECTORS = frozenset({
    "de", "du", "des", "d", "la", "le", "les", "l", "en", "a", "au", "aux", "et", "pour", "sur", "avec",
    "dans", "un", "une", "par", "of", "the", "and", "in", "for", "with", "to", "an", "by",
})
# Words that say "this is an identifier" wherever they stand.
_STRONG_IDENTIFIERS = frozenset({
    "id", "ids", "uid", "uuid", "guid", "zip", "zipcode", "ssn", "siret", "siren", "iban", "nir", "insee",
})
# Words that say only "a level": "Niveau", "Level", "Niveau de maîtrise" name no skill.
_LEVEL_WORDS = frozenset({"niveau", "niveaux", "level", "levels", "maitrise", "competence", "competences",
                          "skill", "skills", "de", "d", "du", "of"})


def non_skill_reason(text) -> str | None:
    """Why a header names a system field rather than a skill ("identifier", "count", "date", "score",
    "flag", "hr_data"), or None when it reads like a skill.

    "EmpID", "Zip", "SpecialProjectsCount", "DaysLateLast30", "EmpSatisfaction", "PerfScoreID",
    "Termd", "Nombre d'enfants" do not read like skills; "Soudure TIG", "Lire un plan", "Anglais",
    "Gestion du temps", "CACES R489" do. A phrase (a header with a linking word) is judged by its
    first word; a name without one (CamelCase field names) by each of its words."""
    words = [w for w in header_words(text) if not w.isdigit()]
    if not words or (len(words) == 1 and len(words[0]) <= 1):
        return "identifier"  # "2024", "#", "X": a number or a symbol is not a skill's name
    if all(word in _LEVEL_WORDS for word in words):
        return "score"
    if _STRONG_IDENTIFIERS & set(words):
        return "identifier"
    if _CONNECTORS & set(words):
        first = words[0]
        return next((reason for reason in _REASON_ORDER if first in NON_SKILL_WORDS[reason]), None)
    for reason in _REASON_ORDER:
        if any(word in NON_SKILL_WORDS[reason] for word in words):
            return reason
    return None


def reason_text(reason: str) -> str:
    """The (untranslated) French sentence of a reason key."""
    return REASONS.get(reason, reason)
