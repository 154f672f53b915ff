"""The GEPP pack of a large organisation, built by the worker with its progress (like the mobility plans):
``pack_export_create`` records the request and queues it; ``pack_export_run`` builds it and keeps the file."""

from __future__ import annotations

import datetime
import logging

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tasks import enqueue

from .models import PackExport, Scenario

logger = logging.getLogger(__name__)


KEEP_FOR = datetime.timedelta(days=1)


def pack_export_create(*, scenario: Scenario, fmt: str, user=None, with_names: bool = False) -> PackExport:
    """Record the request and queue it; packs built more than a day ago are dropped (a file is kept for its
    download, not as an archive)."""
    PackExport.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
    export = PackExport.objects.create(scenario=scenario, format=fmt, with_names=with_names,
                                       created_by=user if getattr(user, "pk", None) else None)
    from .tasks import pack_build_task

    enqueue(pack_build_task, export.pk, on_error=lambda: _fail(export.pk, _(
        "La préparation du pack n'a pas pu être lancée : réessayez dans un instant.")))
    return export


def _fail(export_id: int, message: str) -> None:
    PackExport.objects.filter(pk=export_id).update(status=PackExport.Status.FAILED, error=message,
                                                   finished_at=timezone.now())


def _progress(export_id: int, value: int) -> None:
    PackExport.objects.filter(pk=export_id).update(progress=value, status=PackExport.Status.RUNNING)


def _organisation_name() -> str:
    tenant = getattr(connection, "tenant", None)
    return getattr(tenant, "name", "") or ""


def pack_export_run(*, export_id: int) -> str:
    """Build the pack (in the worker); the file is kept in the row for download."""
    from .pack import pack_bytes, pack_data

    export = PackExport.objects.select_related("scenario").filter(pk=export_id).first()
    if export is None:
        return "missing"
    try:
        _progress(export.pk, 5)
        data = pack_data(scenario=export.scenario, organisation=_organisation_name(), with_names=export.with_names)
        _progress(export.pk, 50)
        content = pack_bytes(data, export.format,
                             on_progress=lambda v: _progress(export.pk, 50 + v // 2))
    except Exception:
        logger.exception("GEPP pack %s failed", export.pk)
        _fail(export.pk, _("La préparation du pack a échoué ; réessayez, et signalez-le si cela se reproduit."))
        return PackExport.Status.FAILED
    PackExport.objects.filter(pk=export.pk).update(status=PackExport.Status.DONE, progress=100, content=content,
                                                   finished_at=timezone.now())
    return PackExport.Status.DONE
