"""Staff-import engine: file -> raw rows -> header and columns -> validated rows.

Pure Python (python-calamine, csv); no Django. The imports app (part B) calls:

    raw = read_table(path, sheet=None, max_rows=200_000, max_bytes=50 * 1024**2,
                     max_uncompressed_bytes=600 * 1024**2)        # -> RawTable
    header = detect_header(raw, mapping={"Code agent": "staff_number",
                                         "Excel": "skill:Tableur", "Sexe": "ignore"})
    result = validate(raw, header, scale_max=4, today=date.today(),
                      existing_staff_numbers=frozenset({...}),
                      level_scale="auto", date_order="auto")       # -> ValidationResult

Errors
- read_table raises ImportFileError(message) for a file that cannot be read at all:
  content not matching the extension (magic bytes; a .xls renamed .xlsx or the reverse is
  simply read), password-protected workbook, zip bomb (central directory sizes and ratio,
  checked before inflating), a value typed far below the table in an .xlsx, .ods or .xls
  (would make calamine allocate a dense range down to it; checked before calamine reads
  the file), too many rows / bytes, unknown sheet (the message lists the sheets),
  unreadable CSV encoding. Messages are French and say how to fix the file.
- detect_header raises ImportFileError when no header row is found among the first 40
  rows; a missing staff-number column is reported in HeaderGuess.missing_fields (so a
  UI can offer a mapping) and validate() raises ImportFileError for it.
- validate never raises for bad rows: every problem is a RowError(row, column, value,
  message) in result.errors, row being the number the user sees in Excel.

Decisions (per column or per file, never per cell)
- Dates: real date cells, Excel serials, DD/MM/YYYY, YYYY-MM-DD, YYYYMMDD, MM/DD/YY.
  A text column is month-first only when some second part exceeds 12 and no first part
  does; otherwise day-first. validate(date_order="DMY" or "MDY") forces the order of
  every such text date instead (a date impossible in that order is a RowError).
  Two-digit years are read 20YY and moved to 19YY when that puts a birth date in the
  future or a hire before 15 (hire dates: when 20YY is more than a year ahead; exit
  dates: more than 20 years ahead; assessments: in the future).
- Levels (0..scale_max): numbers; 1..scale_max+1 when scale_max+1 appears and 0 never, in
  all the level columns of the file (then shifted down by one), or as told by
  validate(level_scale="0-4" or "1-5"); words (non acquis 0, débutant / en cours
  d'acquisition 1, intermédiaire 2, acquis / confirmé 3, expert 4, English
  none..expert) and letters (A 4 .. E 0) are rescaled to scale_max; "-", "n/a",
  "non évalué" mean not assessed (no cell, no error). result.level_scales and
  result.date_formats say what was used.
- FTE: a fraction in (0, 1]: "80 %", "80", 80, "0,8", 0.8 give 0.8; 1 and 100 give 1.
- Wide layout: skill columns are unrecognised columns whose filled cells read as levels
  (60 % of a 5,000-row sample) and whose header reads like a skill or names a known skill
  (detect_header(known_skills=...)); identifiers, codes, counts, dates, scores and flags
  (EmpID, Zip, DaysLateLast30, EmpSatisfaction, Termd) are not (columns.py). Special-category
  personal data (origin, religion, citizenship, marital status, health, disability, gender,
  age) is never read, in any usual language. HeaderGuess.decisions and
  ValidationResult.decisions say how each column is read and why. Long layout (a skill column): employee fields come from the first row of each
  staff number; the other rows of a rejected employee are rejected with a message.
- A manager unknown as a staff number but matching exactly one employee's name in the
  file ("Léa Durand", "DURAND, Léa") is replaced by that employee's staff number. An
  employee whose manager's own row is invalid is rejected (RowError on the manager
  column), and so are their reports down the chain, unless the manager is already in
  existing_staff_numbers: a valid StaffRow's manager is always valid or existing.
- Text is kept as typed (trimmed, inner spaces collapsed): "=SUM(A1)" stays that text.
  safe_cell_text(value) prefixes ' to text starting with = + - @ for spreadsheet export.
- normalize_header(text) is the key used to match headers (and saved mappings).
  HeaderGuess.headers are the column names the preview shows and a mapping uses: a
  header text repeated in the row is numbered from its second occurrence ("Code |
  Libellé | Code | Libellé" -> "Code (2)", "Libellé (2)"), so such columns are mapped
  apart; a numbered column is still recognised by its text.
- A second column for a field already read ("Nom" and "Last name"), or for a skill
  already read, is not imported: HeaderGuess.duplicate_columns and
  ValidationResult.duplicate_columns list it with the reason (DuplicateColumn).

Speed: 50,000 employees x 20 skill columns go through read + detect + validate in
about 4.5 s of CPU (3x a bare python-calamine read): bench/import_engine.py.
"""

from imports.engine.columns import REASONS, ColumnDecision, non_skill_reason, sensitive_category
from imports.engine.headers import detect_header, normalize_header
from imports.engine.parsing import safe_cell_text
from imports.engine.reader import check_row_limit, read_table
from imports.engine.types import (
    FIELD_LABELS,
    FIELDS,
    IGNORE,
    SKILL_FIELDS,
    SKILL_PREFIX,
    STAFF_FIELDS,
    DuplicateColumn,
    HeaderGuess,
    ImportFileError,
    RawTable,
    RowError,
    SkillCell,
    StaffRow,
    ValidationResult,
)
from imports.engine.validation import validate

__all__ = [
    "REASONS",
    "ColumnDecision",
    "non_skill_reason",
    "sensitive_category",
    "FIELDS",
    "FIELD_LABELS",
    "IGNORE",
    "SKILL_FIELDS",
    "SKILL_PREFIX",
    "STAFF_FIELDS",
    "DuplicateColumn",
    "HeaderGuess",
    "ImportFileError",
    "RawTable",
    "RowError",
    "SkillCell",
    "StaffRow",
    "ValidationResult",
    "check_row_limit",
    "detect_header",
    "normalize_header",
    "read_table",
    "safe_cell_text",
    "validate",
]
