"""The Celery app. Tasks run in the schema of the organisation that sent them."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esipro.settings")

app = CeleryApp("esipro")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
