"""Helpers of the workforce tests."""

from tests.skills_matrix.conftest import api_client

__all__ = ["api_client"]
