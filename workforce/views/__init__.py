"""Pages of the workforce: the dashboard and employees (``employees``), jobs (``jobs``)."""

from .employees import dashboard

__all__ = ["dashboard"]
