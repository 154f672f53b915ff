"""Evidence files in an S3-compatible bucket, one folder per organisation (like the file-system storage)."""

from django.db import connection
from storages.backends.s3 import S3Storage


class TenantS3Storage(S3Storage):
    """Private objects under ``<schema>/``: the organisation's folder is picked from the connection,
    as ``TenantFileSystemStorage`` does for the media root."""

    @property
    def location(self):
        return connection.schema_name

    @location.setter
    def location(self, value):
        # S3Storage sets ``location`` from its settings; the organisation's folder always wins.
        pass
