"""Shared start-up for benchmark scripts: Django on the development database."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esipro.settings")

import django  # noqa: E402

django.setup()
