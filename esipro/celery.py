"""The Celery app. Tasks run in the schema of the organisation that sent them, in the sender's language."""

import os

from celery.signals import task_postrun, task_prerun
from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esipro.settings")

app = CeleryApp("esipro")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def activate_sender_language(task=None, **_kwargs) -> None:
    """The language of the request that queued the task (``core.tasks.enqueue``), else the default."""
    from django.conf import settings
    from django.utils import translation

    from core.tasks import header_of

    language = header_of(task, "_language")
    known = {code for code, _name in settings.LANGUAGES}
    translation.activate(language if language in known else settings.LANGUAGE_CODE)


@task_postrun.connect
def deactivate_sender_language(**_kwargs) -> None:
    from django.utils import translation

    translation.deactivate()
