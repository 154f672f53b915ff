"""Helpers shared by the apps: errors, background-task queueing, COPY, side connections, staging, paging."""
