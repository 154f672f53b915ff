"""An uploaded file is read (parsed into cells) at most once per stage: the upload's checks, the preview,
the import itself and the rejected-rows download each parse it once, whatever its format."""

import pytest
from django.core.files import File

import imports.engine.reader as reader
from imports.exports import rejected_rows_workbook
from imports.selectors import import_preview
from imports.services import clean_options, import_job_create, import_run
from tests.imports.filegen import STAFF_HEADER, make_employees, write_csv, write_xls, write_xlsx


@pytest.fixture
def reads(monkeypatch):
    """How many times the file was parsed since the last look (every parse goes through the bounded reader)."""
    parsed = []
    bounded = reader.run_bounded

    def counting(function, *args, **kwargs):
        if function is reader._read_table:
            parsed.append(args[0].name)
        return bounded(function, *args, **kwargs)

    monkeypatch.setattr(reader, "run_bounded", counting)

    def since_last_look() -> int:
        count = len(parsed)
        parsed.clear()
        return count

    return since_last_look


def rows_with_one_error() -> list[list]:
    rows = [STAFF_HEADER, *make_employees(12)]
    rows[3][5] = "31/02/2020"  # an impossible hire date: that row is rejected
    return rows


@pytest.mark.parametrize(("writer", "upload_reads"), [(write_xlsx, 0), (write_csv, 0), (write_xls, 1)])
def test_it_reads_the_upload_once_per_stage(in_alpha, tmp_path, make_user, reads, writer, upload_reads):
    path = writer(tmp_path / f"export.{writer.__name__.split('_')[1]}", rows_with_one_error())
    user = make_user(in_alpha, "hr")

    with path.open("rb") as handle:
        draft = import_job_create(user=user, file=File(handle), file_name=path.name,
                                  options=clean_options(partial=True), draft=True)
    assert draft.status == "draft"
    assert reads() == upload_reads  # an xlsx or a CSV is checked without parsing its cells

    preview = import_preview(job=draft)
    assert (preview.total_rows, preview.invalid_rows) == (12, 1)
    assert reads() == 1

    with path.open("rb") as handle:
        job = import_job_create(user=user, file=File(handle), file_name=path.name,
                                options=clean_options(partial=True), background=False)
    reads()
    job = import_run(job=job)
    assert (job.status, job.created, job.invalid) == ("ok", 11, 1)
    assert reads() == 1

    assert rejected_rows_workbook(job)
    assert reads() == 1
