from datetime import datetime

from ninja import Schema


class ImportErrorOut(Schema):
    row: int
    column: str
    value: str
    message: str


class ImportCountsOut(Schema):
    rows: int
    created: int
    updated: int
    unchanged: int
    invalid: int
    departed: int
    skills: int


class ImportJobOut(Schema):
    id: int
    status: str
    status_label: str
    progress: int
    phase: str
    file_name: str
    created_at: datetime
    finished_at: datetime | None
    created_by: str | None
    dry_run: bool
    partial: bool
    full_export: bool
    header_row: int | None
    counts: ImportCountsOut
    error_count: int
    errors: list[ImportErrorOut]
    unknown_columns: list[str]
    message: str


class ImportJobListOut(Schema):
    items: list[ImportJobOut]
    count: int


class ImportCreatedOut(Schema):
    id: int
