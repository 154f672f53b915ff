"""Reader for the France Travail « Fiches ROME - Tag » workbook (transition tags per occupation)."""

import re
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook

from .common import ReferentialFileError, normalize_search, normalize_text
from .rome import yes_no

_COLUMNS = {
    "code": "code rome",
    "ecological": "transition ecologique",
    "digital": "transition numerique",
    "demographic": "transition demographique",
    "executive": "emploi cadre",
    "regulated": "emploi reglemente",
}
# As the workbook spells them, for messages.
_HEADINGS = {
    "code": "Code ROME",
    "ecological": "Transition Ecologique",
    "digital": "Transition Numérique",
    "demographic": "Transition Démographique",
    "executive": "Emploi cadre ?",
    "regulated": "Emploi réglementé ?",
}
_ROME_CODE = re.compile(r"^[A-Z]\d{4}$")


@dataclass(frozen=True)
class RomeTags:
    """``rows``: (code, ecological_tag, digital_tag, demographic_tag, executive_tag, regulated_tag)."""

    version: str
    rows: list[tuple]


def _cell(value) -> str:
    return normalize_text("" if value is None else str(value))


def read_rome_tags(path: str | Path) -> RomeTags:
    """Read the tags workbook: the sheet whose header holds « Code ROME » and the transition columns."""
    path = Path(path)
    if not path.is_file():
        raise ReferentialFileError(
            f"Fichier introuvable : {path} (classeur « Fiches ROME - Tag » de France Travail, .xlsx)."
        )
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for unreadable workbooks
        raise ReferentialFileError(
            f"{path.name} n'est pas un classeur Excel lisible ({exc}). "
            "Attendu : le classeur « Fiches ROME - Tag » au format .xlsx."
        ) from exc

    version = ""
    for name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(name).to_python()
        for row in rows[:20]:
            cells = [_cell(c) for c in row]
            if len(cells) > 1 and normalize_search(cells[0]).startswith("version rome"):
                version = cells[1]
        for index, row in enumerate(rows[:10]):
            header = [normalize_search(_cell(c)) for c in row]
            positions = {}
            for key, wanted in _COLUMNS.items():
                found = [i for i, h in enumerate(header) if h.startswith(wanted)]
                if found:
                    positions[key] = found[0]
            if "code" in positions and "ecological" in positions:
                # A missing tag column would blank that tag on every occupation: refuse the workbook.
                missing = [f"« {_HEADINGS[key]} »" for key in _COLUMNS if key not in positions]
                if missing:
                    raise ReferentialFileError(
                        f"{path.name}, feuille « {name} » : colonne(s) manquante(s) {', '.join(missing)}. "
                        "Attendu : le classeur « Fiches ROME - Tag » de France Travail, avec ses colonnes "
                        "d'origine."
                    )
                return RomeTags(version=version, rows=_rows(rows[index + 1 :], positions))
    raise ReferentialFileError(
        f"{path.name} : aucune feuille ne contient les colonnes « Code ROME » et « Transition Ecologique ». "
        "Attendu : le classeur « Fiches ROME - Tag » publié par France Travail."
    )


def _rows(rows: list[list], positions: dict[str, int]) -> list[tuple]:
    def get(row, key):
        i = positions.get(key)
        return _cell(row[i]) if i is not None and i < len(row) else ""

    result = {}
    for row in rows:
        code = get(row, "code")
        if not _ROME_CODE.match(code):
            continue
        result[code] = (
            code,
            get(row, "ecological"),
            yes_no(get(row, "digital")),
            yes_no(get(row, "demographic")),
            yes_no(get(row, "executive")),
            yes_no(get(row, "regulated")),
        )
    return list(result.values())
