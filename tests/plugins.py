"""Fixtures contributed by each domain's tests, loaded for the whole suite."""

import importlib.util

pytest_plugins = [
    name for name in [
        "tests.factories",
        "tests.referentials.fixtures",
    ]
    if importlib.util.find_spec(name) is not None
]
