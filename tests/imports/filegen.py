"""Generators of real-looking HR exports for the import tests and the benchmark.

Every function writes one file at `path` (a pathlib.Path or str) and returns the path.
Nothing here is committed as a binary: tests call these into tmp_path.
"""

from __future__ import annotations

import csv
import random
import struct
import unicodedata
import zipfile
from datetime import date, timedelta
from pathlib import Path

import xlsxwriter

# fmt: off
LAST_NAMES = (
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
    "Laurent", "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
    "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
    "Müller", "N'Diaye", "Le Gall", "Da Silva", "Nguyen", "Benali", "Ferreira", "Hoarau",
)
FIRST_NAMES = (
    "Marie", "Jean", "Nathalie", "Pierre", "Isabelle", "Michel", "Sylvie", "Philippe",
    "Catherine", "Alain", "Françoise", "Nicolas", "Sandrine", "Christophe", "Céline", "Éric",
    "Aïcha", "Mohamed", "Léa", "Hugo", "Chloé", "Lucas", "Inès", "Jérôme", "Zoé", "Noël",
)
ORG_UNITS = (
    "Direction générale", "Ressources humaines", "Comptabilité", "Atelier de conditionnement",
    "Logistique", "Espaces verts", "Blanchisserie", "Restauration", "Informatique",
    "Qualité", "Commercial", "Maintenance",
)
JOBS = (
    ("Agent de conditionnement", "H3302"), ("Chef d'équipe", "H2502"),
    ("Comptable", "M1203"), ("Assistant RH", "M1501"), ("Magasinier", "N1103"),
    ("Jardinier paysagiste", "A1203"), ("Agent de blanchisserie", "K2304"),
    ("Cuisinier", "G1602"), ("Technicien informatique", "I1401"), ("Responsable qualité", "H1502"),
    ("Commercial sédentaire", "D1408"), ("Technicien de maintenance", "I1304"),
    ("Directeur d'établissement", "M1302"), ("Moniteur d'atelier", "K2112"),
)
SKILLS = (
    "Travail en équipe", "Respect des consignes de sécurité", "Utilisation d'un tableur",
    "Conduite de chariot élévateur", "Gestion des stocks", "Accueil du public", "Hygiène HACCP",
    "Communication écrite", "Autonomie", "Contrôle qualité", "Entretien des espaces verts",
    "Repassage", "Saisie comptable", "Paie", "Encadrement d'équipe", "Anglais professionnel",
    "Soudure", "Maintenance préventive", "Relation client", "Planification", "Cuisine collective",
    "Logiciel SIRH", "Tri sélectif", "Prévention des risques", "Bureautique",
)

STAFF_HEADER = [
    "Matricule", "Nom", "Prénom", "Email", "Date de naissance", "Date d'entrée", "Date de sortie",
    "Service", "Intitulé du poste", "Matricule du manager", "Temps de travail", "Code ROME",
]
# fmt: on


def make_employees(n: int, *, seed: int = 4, start: date = date(2026, 1, 1)) -> list[list]:
    """n valid staff rows matching STAFF_HEADER (dates as date objects, FTE as a fraction).

    Every 10th employee manages the next nine; about 3% have left.
    """
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        number = f"E{i + 1:05d}"
        last = LAST_NAMES[rng.randrange(len(LAST_NAMES))]
        first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
        birth = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 40 * 365))
        hire = max(birth + timedelta(days=18 * 365 + rng.randrange(0, 20 * 365)), date(1985, 1, 1))
        hire = min(hire, start - timedelta(days=30))
        exit_ = hire + timedelta(days=rng.randrange(30, 3000)) if rng.random() < 0.03 else None
        if exit_ is not None and exit_ <= hire:
            exit_ = None
        job, rome = JOBS[rng.randrange(len(JOBS))]
        manager = f"E{(i // 10) * 10 + 1:05d}" if i % 10 else None
        fte = rng.choice((1.0, 1.0, 1.0, 0.8, 0.5))
        email = _ascii(f"{first}.{last}{i}@exemple.fr".lower().replace(" ", "").replace("'", ""))
        rows.append(
            [
                number,
                last.upper(),
                first,
                email,
                birth,
                hire,
                exit_,
                ORG_UNITS[i % len(ORG_UNITS)],
                job,
                manager,
                fte,
                rome,
            ]
        )
    return rows


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def write_xlsx(
    path,
    rows: list[list],
    *,
    sheet: str = "Export",
    extra_sheets: dict[str, list[list]] | None = None,
    ghost_rows: bool = False,
) -> Path:
    """Write rows (None = empty cell, date = date cell) to an xlsx; ghost_rows formats the
    cells below the data down to row 1,048,576 (what Excel leaves after formatting whole
    columns), without giving them values."""
    path = Path(path)
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "default_date_format": "dd/mm/yyyy",
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    bold = workbook.add_format({"bold": True, "bg_color": "#FFFFCC"})
    sheets = {sheet: rows, **(extra_sheets or {})}
    for name, sheet_rows in sheets.items():
        worksheet = workbook.add_worksheet(name)
        for r, values in enumerate(sheet_rows):
            for c, value in enumerate(values):
                if value is not None:
                    worksheet.write(r, c, value)
        if ghost_rows and name == sheet:
            width = max((len(v) for v in sheet_rows), default=1)
            for r in range(len(sheet_rows), len(sheet_rows) + 300):
                for c in range(width):
                    worksheet.write_blank(r, c, None, bold)
            for c in range(width):
                worksheet.write_blank(1_048_575, c, None, bold)
    workbook.close()
    return path


def write_csv(
    path, rows: list[list], *, encoding: str = "utf-8", delimiter: str = ",", bom: bool = False
) -> Path:
    """Write rows as a CSV the way Excel and HR systems do (dates as DD/MM/YYYY text)."""
    path = Path(path)
    with open(path, "w", encoding="utf-8-sig" if bom else encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        for values in rows:
            writer.writerow(["" if v is None else _as_text(v) for v in values])
    return path


def _as_text(value) -> str:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return str(value)


def with_title_and_footer(rows: list[list], *, company: str = "Atelier Les Tilleuls (ESAT)") -> list[list]:
    """Title rows, a company name and blank rows above; blank rows and footers below."""
    count = len(rows) - 1
    return [
        ["Export SIRH — liste du personnel"],
        [company],
        ["Édité le 05/01/2026 à 08:12", None, None, "Page 1/1"],
        [],
        *rows,
        [],
        [f"Total : {count:,} salariés".replace(",", "\u202f")],
        ["Nombre de salariés", count],
    ]


def generate_hr_export(path, n_employees: int = 25, *, ghost_rows: bool = True, seed: int = 4) -> Path:
    """A realistic SIRH xlsx: titles, header on row 5, employees, footer, ghost rows."""
    rows = [STAFF_HEADER, *make_employees(n_employees, seed=seed)]
    return write_xlsx(path, with_title_and_footer(rows), ghost_rows=ghost_rows)


def generate_openpyxl_ghost_rows(path, n_employees: int = 5) -> Path:
    """Same idea with openpyxl: a style and an empty value on a far cell (row 1,048,576)."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for values in with_title_and_footer([STAFF_HEADER, *make_employees(n_employees)]):
        sheet.append(values)
    for row in range(sheet.max_row + 1, sheet.max_row + 200):
        sheet.cell(row=row, column=1).font = Font(bold=True)
    far = sheet.cell(row=1_048_576, column=12)
    far.font = Font(bold=True)
    far.value = None
    workbook.save(path)
    return Path(path)


def generate_csv_export(
    path, n_employees: int = 10, *, encoding: str = "cp1252", delimiter: str = ";", bom: bool = False
) -> Path:
    """The same staff table as CSV (cp1252 with ';' by default, like a French Excel)."""
    return write_csv(
        path, [STAFF_HEADER, *make_employees(n_employees)], encoding=encoding, delimiter=delimiter, bom=bom
    )


def generate_us_dates_csv(path) -> Path:
    """An English export with US MM/DD/YY dates (two-digit years) and English headers."""
    rows = [
        ["EmpID", "Employee Name", "DOB", "DateofHire", "Department", "Position", "FTE"],
        ["1001", "Smith, John", "07/10/83", "07/05/11", "Production", "Technician", "1"],
        ["1002", "Garcia, Maria", "11/24/92", "01/09/17", "Admin", "Accountant", "0.8"],
        ["1003", "Lee, Anna", "02/28/05", "09/01/23", "Production", "Operator", "100%"],
        ["1004", "Brown, Tom", "12/31/99", "03/15/20", "Sales", "Sales Rep", "0,5"],
    ]
    return write_csv(path, rows)


def generate_wide_skills(
    path,
    n_employees: int = 6,
    skills: tuple[str, ...] = SKILLS[:3],
    *,
    levels: list | None = None,
    seed: int = 4,
) -> Path:
    """Wide layout: staff columns then one column per skill (cell = level)."""
    rng = random.Random(seed)
    header = STAFF_HEADER + list(skills)
    rows = [header]
    for i, staff in enumerate(make_employees(n_employees, seed=seed)):
        if levels is not None:
            cells = [levels[(i + k) % len(levels)] for k in range(len(skills))]
        else:
            cells = [rng.choice((0, 1, 2, 3, 4, None)) for _ in skills]
        rows.append(staff + cells)
    return write_xlsx(path, with_title_and_footer(rows))


def generate_long_skills(path, n_employees: int = 4, skills: tuple[str, ...] = SKILLS[:3]) -> Path:
    """Long layout: one row per employee and skill (staff number, skill, level, date)."""
    header = ["Matricule", "Nom", "Prénom", "Compétence", "Niveau", "Date d'évaluation"]
    words = ("Débutant", "Intermédiaire", "Confirmé", "Expert")
    rows = [header]
    for i, staff in enumerate(make_employees(n_employees)):
        for k, skill in enumerate(skills):
            rows.append([staff[0], staff[1], staff[2], skill, words[(i + k) % 4], date(2025, 6, 1 + k)])
    return write_xlsx(path, rows, sheet="Compétences")


def generate_formula_text(path) -> Path:
    """Cells whose text looks like formulas (must stay plain text)."""
    rows = [
        ["Matricule", "Nom", "Prénom", "Service", "Poste"],
        ["E1", "=SUM(A1)", "+33 6 12", "-Atelier", "@poste"],
        ["E2", "Durand", "Léa", '=HYPERLINK("http://x")', "Comptable"],
    ]
    return write_xlsx(path, rows)


def generate_fake_xlsx(path) -> Path:
    """A text file renamed .xlsx."""
    Path(path).write_text("Matricule;Nom\nE1;Durand\n", encoding="utf-8")
    return Path(path)


def generate_protected_xlsx(path) -> Path:
    """What Excel writes for a password-protected .xlsx: an OLE2 compound file holding
    EncryptionInfo and EncryptedPackage streams (content is random, structure is real)."""
    sector = 512
    header = bytearray(sector)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHH", header, 24, 0x3E, 3, 0xFFFE, 9)  # minor, major, byte order, sector shift
    struct.pack_into("<H", header, 32, 6)  # mini sector shift
    struct.pack_into("<I", header, 44, 1)  # one FAT sector
    struct.pack_into("<I", header, 48, 1)  # first directory sector
    struct.pack_into("<I", header, 56, 4096)  # mini stream cutoff
    struct.pack_into("<I", header, 60, 0xFFFFFFFE)
    struct.pack_into("<I", header, 68, 0xFFFFFFFE)
    struct.pack_into("<I", header, 76, 0)  # DIFAT[0] = sector 0 holds the FAT
    for k in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * k, 0xFFFFFFFF)
    fat = bytearray(b"\xff" * sector)
    struct.pack_into("<III", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE, 0xFFFFFFFE)
    directory = bytearray(sector)
    for index, (name, kind) in enumerate((("Root Entry", 5), ("EncryptionInfo", 2), ("EncryptedPackage", 2))):
        entry = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        entry[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", entry, 64, len(encoded), kind, 1)
        struct.pack_into("<III", entry, 68, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
        directory[index * 128 : (index + 1) * 128] = entry
    payload = random.Random(1).randbytes(sector * 4)
    Path(path).write_bytes(bytes(header) + bytes(fat) + bytes(directory) + payload)
    return Path(path)


def generate_zip_bomb(path, inflated_bytes: int = 30 * 1024 * 1024) -> Path:
    """An .xlsx-looking zip whose sheet member inflates to `inflated_bytes` of spaces."""
    path = Path(path)
    chunk = b" " * (1024 * 1024)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            written = 0
            while written < inflated_bytes:
                member.write(chunk)
                written += len(chunk)
    return path


def generate_large_export(
    path, n_employees: int = 50_000, n_skill_columns: int = 20, *, seed: int = 4
) -> Path:
    """The benchmark file: a SIRH-style xlsx with titles, footer, a ghost formatted last row,
    the 12 staff columns and n_skill_columns skill columns (levels 0-4, ~10% blank).

    Written as raw SpreadsheetML with shared strings (what Excel writes), a few seconds for
    50,000 x 32 cells where a general-purpose writer takes several times longer."""
    rng = random.Random(seed)
    skills = [
        SKILLS[k % len(SKILLS)] + ("" if k < len(SKILLS) else f" {k // len(SKILLS) + 1}")
        for k in range(n_skill_columns)
    ]
    levels = ("0", "1", "2", "3", "4", "2", "3", "1", "4", None)
    rows: list[list] = [
        ["Export SIRH — liste du personnel"],
        ["Atelier Les Tilleuls (ESAT)"],
        [],
        STAFF_HEADER + skills,
    ]
    for values in make_employees(n_employees, seed=seed):
        rows.append(
            values + [_Number(level) if level else None for level in rng.choices(levels, k=n_skill_columns)]
        )
    rows += [[], [f"Total : {n_employees} salariés"]]
    return _write_raw_xlsx(path, "Personnel", rows)


class _Number(str):
    """A number already written as text (for the raw writer)."""


def _write_raw_xlsx(path, sheet_name: str, rows: list[list]) -> Path:
    path = Path(path)
    width = max(len(r) for r in rows)
    letters = [_column_letters(c) for c in range(max(width, 1))]
    strings: dict[str, int] = {}
    epoch = date(1899, 12, 30)
    parts = []
    for r, values in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(values):
            if value is None:
                continue
            ref = f"{letters[c]}{r}"
            if isinstance(value, _Number):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            elif isinstance(value, str):
                index = strings.setdefault(value, len(strings))
                cells.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
            elif isinstance(value, date):
                cells.append(f'<c r="{ref}" s="1"><v>{(value - epoch).days}</v></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        parts.append(f'<row r="{r}">{"".join(cells)}</row>')
    parts.append('<row r="1048576"><c r="A1048576" s="2"/></row>')
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{letters[width - 1]}1048576"/><sheetData>'
        + "".join(parts)
        + "</sheetData></worksheet>"
    )
    return _write_xlsx_package(path, sheet_name, sheet, list(strings))


def generate_rows_without_dimension(path, n_rows: int, *, dimension: str | None = None) -> Path:
    """An xlsx of `n_rows` numeric rows of 20 cells written without r= attributes, with no
    <dimension> tag or a lying one (`dimension="A1:T10"`), as some generators do."""
    row = "<row>" + "<c><v>7</v></c>" * 20 + "</row>"
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + (f'<dimension ref="{dimension}"/>' if dimension else "")
        + "<sheetData>"
        + row * n_rows
        + "</sheetData></worksheet>"
    )
    return _write_xlsx_package(path, "Export", sheet, [])


def generate_styled_blank_rows(path, n_rows: int, n_blank: int) -> Path:
    """An xlsx of `n_rows` employees followed by `n_blank` formatted rows without values."""
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>E{r}</t></is></c></row>' for r in range(2, n_rows + 2)
    )
    blanks = "".join(
        f'<row r="{r}" s="2" customFormat="1"><c r="A{r}" s="2"/></row>'
        for r in range(n_rows + 2, n_rows + 2 + n_blank)
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Matricule</t></is></c></row>'
        + rows
        + blanks
        + "</sheetData></worksheet>"
    )
    return _write_xlsx_package(path, "Export", sheet, [])


def _write_xlsx_package(path, sheet_name: str, sheet: str, strings: list[str]) -> Path:
    from xml.sax.saxutils import escape

    path = Path(path)
    shared = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
        f'uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
        + "</sst>"
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{relationships}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{main}" '
            f'xmlns:r="{relationships}"><sheets><sheet name="{escape(sheet_name)}" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{relationships}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{relationships}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{relationships}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="{main}">'
            '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
            "</styleSheet>"
        ),
        "xl/sharedStrings.xml": shared,
        "xl/worksheets/sheet1.xml": sheet,
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def write_ods(path, rows: list[list], *, sheet: str = "Feuille1") -> Path:
    """A minimal OpenDocument spreadsheet (what LibreOffice saves), text and numbers only."""
    from xml.sax.saxutils import escape

    body = []
    for values in rows:
        cells = []
        for value in values:
            if value is None:
                cells.append("<table:table-cell/>")
            elif isinstance(value, int | float):
                cells.append(
                    f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p>'
                    "</table:table-cell>"
                )
            else:
                cells.append(
                    f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p>'
                    "</table:table-cell>"
                )
        body.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(sheet)}">'
        + "".join(body)
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    path = Path(path)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED
        )
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def generate_far_value_xlsx(path, *, column: int = 26) -> Path:
    """A table plus one space typed in a cell at row 1,048,576 (a value, not a format), in
    `column` (1 = A): 10 keeps the used range under 12 million cells."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for values in [STAFF_HEADER, *make_employees(3)]:
        sheet.append(values)
    sheet.cell(row=1_048_576, column=column).value = " "
    workbook.save(path)
    return Path(path)


def write_xls(path, rows: list[list], *, sheet: str = "Export") -> Path:
    """A legacy Excel 97-2003 workbook (dates as date cells)."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    worksheet = workbook.add_sheet(sheet)
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if isinstance(value, date):
                worksheet.write(r, c, value, date_style)
            elif value is not None:
                worksheet.write(r, c, value)
    workbook.save(str(path))
    return Path(path)


def generate_far_value_xls(path, *, value: bool = True) -> Path:
    """A legacy .xls table plus one cell at IV65536, the last cell of the sheet: "x" typed
    in it, or (value=False) only a bold format."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    worksheet = workbook.add_sheet("Export")
    for r, values in enumerate([STAFF_HEADER, *make_employees(3)]):
        for c, cell in enumerate(values):
            if cell is not None:
                worksheet.write(r, c, str(cell))
    if value:
        worksheet.write(65535, 255, "x")
    else:
        worksheet.write(65535, 255, None, xlwt.easyxf("font: bold on"))
    workbook.save(str(path))
    return Path(path)


def write_bare_xls(path, cells: dict[tuple[int, int], float], *, dimensions: tuple[int, int, int, int] | None = None
                   ) -> Path:
    """A bare BIFF8 workbook: one sheet of NUMBER cells ((row, column) 0-based -> value),
    without the formats Excel adds. Its Workbook stream is under 4,096 bytes, so it sits
    in the OLE2 mini stream, as in files written by some non-Microsoft tools. `dimensions`
    (first row, end row, first column, end column) writes a DIMENSIONS record that lies."""

    def record(kind: int, data: bytes) -> bytes:
        return struct.pack("<HH", kind, len(data)) + data

    def bof(sheet_type: int) -> bytes:
        return record(0x0809, struct.pack("<HHHHII", 0x0600, sheet_type, 0, 1997, 0, 6))

    rows = [row for row, _ in cells]
    columns = [column for _, column in cells]
    name = b"Export"
    globals_size = len(bof(5)) + 4 + 8 + len(name) + 4
    stream = bof(5) + record(0x0085, struct.pack("<IBBBB", globals_size, 0, 0, len(name), 0) + name)
    stream += record(0x000A, b"")
    stream += bof(0x10)
    dimensions = dimensions or (min(rows), max(rows) + 1, min(columns), max(columns) + 1)
    stream += record(0x0200, struct.pack("<IIHHH", *dimensions, 0))
    for (row, column), value in cells.items():
        stream += record(0x0203, struct.pack("<HHHd", row, column, 15, value))
    stream += record(0x000A, b"")

    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    mini_count = -(-len(stream) // 64)
    container = stream.ljust(mini_count * 64, b"\0")
    container_sectors = -(-len(container) // 512)
    # sectors: 0 FAT, 1 directory, 2 mini FAT, 3.. the mini stream container
    fat = [fat_sector, end, end] + [4 + i for i in range(container_sectors - 1)] + [end]
    mini_fat = [i + 1 for i in range(mini_count - 1)] + [end]

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(encoded), kind, 1, no_stream, no_stream, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1, 3, len(container)) + entry("Workbook", 2, no_stream, 0, len(stream))
    directory += entry("", 0, no_stream, 0, 0) * 2
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 2, 1, end, 0)
        + struct.pack("<109I", 0, *[free] * 108)
    )

    def sector(values: list[int]) -> bytes:
        return struct.pack(f"<{len(values)}I", *values).ljust(512, b"\xff")

    content = header + sector(fat) + directory + sector(mini_fat) + container.ljust(container_sectors * 512, b"\0")
    Path(path).write_bytes(content)
    return Path(path)


# The crafted workbooks of a denial-of-service attempt: a 2 KB file whose one far cell would make the
# spreadsheet library allocate the whole grid (17 billion cells for XFD1048576).
def generate_crafted_xlsx(path, *, cell: str = "XFD1048576", dimension: str | None = None) -> Path:
    """A header row and one value at `cell`, with no <dimension> (or a false one such as "A1:B2")."""
    row = int("".join(ch for ch in cell if ch.isdigit()))
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + (f'<dimension ref="{dimension}"/>' if dimension else "")
        + '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Matricule</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Nom</t></is></c></row>'
        f'<row r="{row}"><c r="{cell}"><v>1</v></c></row></sheetData></worksheet>'
    )
    return _write_xlsx_package(path, "Export", sheet, [])


def generate_crafted_xls(path) -> Path:
    """A legacy .xls whose DIMENSIONS record says A1:B2 while a value sits at IV65536."""
    return write_bare_xls(path, {(0, 0): 1.0, (0, 1): 2.0, (65535, 255): 3.0}, dimensions=(0, 2, 0, 2))


def generate_crafted_ods(path) -> Path:
    """An ods whose one row of one cell is repeated 1,048,576 times across 16,384 columns."""
    path = write_ods(path, [["Matricule", "Nom"]])
    with zipfile.ZipFile(path) as archive:
        content = archive.read("content.xml").decode()
    far = (
        '<table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated='
        '"16384" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
        "</table:table-row></table:table>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
        archive.writestr("content.xml", content.replace("</table:table>", far), compress_type=zipfile.ZIP_DEFLATED)
    return path


# The columns of a typical US HR system's employee export (the layout of the HRDataset sample widely
# used to teach HR analytics): identifiers, flags, scores and counts as small integers, MM/DD/YY dates,
# termination columns, and special-category data that must never be imported.
US_HEADER = [
    "Employee_Name", "EmpID", "MarriedID", "MaritalStatusID", "GenderID", "EmpStatusID", "DeptID",
    "PerfScoreID", "FromDiversityJobFairID", "Salary", "Termd", "PositionID", "Position", "State", "Zip",
    "DOB", "Sex", "MaritalDesc", "CitizenDesc", "HispanicLatino", "RaceDesc", "DateofHire",
    "DateofTermination", "TermReason", "EmploymentStatus", "Department", "ManagerName", "ManagerID",
    "RecruitmentSource", "PerformanceScore", "EngagementSurvey", "EmpSatisfaction", "SpecialProjectsCount",
    "LastPerformanceReview_Date", "DaysLateLast30", "Absences",
]
US_POSITIONS = (("Production Technician I", 19, "Production"), ("Production Technician II", 20, "Production"),
                ("Area Sales Manager", 3, "Sales"), ("Software Engineer", 24, "Software Engineering"),
                ("IT Support", 9, "IT/IS"), ("Accountant I", 1, "Admin Offices"))
US_DEPARTMENTS = {"Admin Offices": 1, "IT/IS": 3, "Production": 5, "Sales": 6, "Software Engineering": 4}


def make_us_rows(n: int, *, seed: int = 30) -> list[list]:
    """n employees of a US export: EmpID 10001.., manager ids from another numbering (1..40), MM/DD/YY
    dates (some months after the 12th day, so the order is visible), a third terminated."""
    rng = random.Random(seed)
    rows = []
    for k in range(n):
        position, position_id, department = US_POSITIONS[k % len(US_POSITIONS)]
        married = rng.randint(0, 1)
        gender = rng.randint(0, 1)
        birth = date(1960 + rng.randint(0, 25), rng.randint(1, 12), rng.randint(13, 28))
        hired = date(2008 + rng.randint(0, 10), rng.randint(1, 12), rng.randint(1, 28))
        terminated = k % 3 == 2
        left = hired + timedelta(days=rng.randint(200, 2000)) if terminated else None
        rows.append([
            f"{rng.choice(LAST_NAMES)}, {rng.choice(FIRST_NAMES)}", 10001 + k, married, married + gender,
            gender, 5 if terminated else 1, US_DEPARTMENTS[department], rng.randint(1, 4), rng.randint(0, 1),
            rng.randint(45_000, 120_000), int(terminated), position_id, position, "MA",
            f"{rng.randint(1000, 2999):05d}", f"{birth:%m/%d/%y}", "M " if gender else "F",
            "Married" if married else "Single", "US Citizen", rng.choice(("No", "Yes")),
            rng.choice(("White", "Black or African American", "Asian")), f"{hired:%m/%d/%Y}",
            f"{left:%m/%d/%Y}" if left else "", "career change" if terminated else "N/A-StillEmployed",
            "Voluntarily Terminated" if terminated else "Active", department, "Michael Albert",
            rng.randint(1, 40), rng.choice(("Indeed", "LinkedIn", "Google Search")),
            rng.choice(("Exceeds", "Fully Meets", "Needs Improvement")), round(rng.uniform(2, 5), 2),
            rng.randint(1, 5), rng.choice((0, 0, 0, 5, 6)), f"{date(2019, rng.randint(1, 2), rng.randint(1, 28)):%m/%d/%Y}",
            rng.choice((0, 0, 0, 1, 2, 4)), rng.randint(1, 20),
        ])
    return rows


def generate_us_export(path, n_employees: int = 30, *, seed: int = 30) -> Path:
    """A US HR system's employee export as a CSV (comma-separated, US dates), no title line."""
    return write_csv(path, [US_HEADER, *make_us_rows(n_employees, seed=seed)], encoding="utf-8", delimiter=",")
