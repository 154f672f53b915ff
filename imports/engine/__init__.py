"""Staff-import engine: file -> raw rows -> header and columns -> validated rows.

Pure Python (python-calamine, csv, numpy); no Django. Part B (imports app) calls:

    raw = read_table(path, sheet=None, max_rows=200_000, max_bytes=50 * 1024**2,
                     max_uncompressed_bytes=600 * 1024**2)        # -> RawTable
    header = detect_header(raw, mapping={"Code agent": "staff_number",
                                         "Excel": "skill:Tableur", "Sexe": "ignore"})
    result = validate(raw, header, scale_max=4, today=date.today(),
                      existing_staff_numbers=frozenset({...}))     # -> ValidationResult

- read_table raises ImportFileError(message) for a file that cannot be read at all
  (wrong content for its extension, password, zip bomb, too big, unknown sheet,
  unreadable encoding). The message is French and says how to fix the file.
- detect_header raises ImportFileError when no header row can be found; a missing
  staff-number column is reported in HeaderGuess.missing_fields (so a UI can offer a
  mapping) and validate() raises ImportFileError for it.
- validate never raises for bad rows: every problem is a RowError in result.errors.
- safe_cell_text(value) neutralises text starting with = + - @ for spreadsheet export.
- normalize_header(text) is the key used to match headers (and saved mappings).
"""

from imports.engine.headers import detect_header, normalize_header
from imports.engine.parsing import safe_cell_text
from imports.engine.reader import read_table
from imports.engine.types import (
    FIELD_LABELS,
    FIELDS,
    IGNORE,
    SKILL_FIELDS,
    SKILL_PREFIX,
    STAFF_FIELDS,
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
    "FIELDS",
    "FIELD_LABELS",
    "IGNORE",
    "SKILL_FIELDS",
    "SKILL_PREFIX",
    "STAFF_FIELDS",
    "HeaderGuess",
    "ImportFileError",
    "RawTable",
    "RowError",
    "SkillCell",
    "StaffRow",
    "ValidationResult",
    "detect_header",
    "normalize_header",
    "read_table",
    "safe_cell_text",
    "validate",
]
