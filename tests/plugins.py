"""Fixtures contributed by each domain's tests, loaded for the whole suite."""

pytest_plugins = [
    "tests.browser",
    "tests.factories",
    "tests.referentials.fixtures",
]
