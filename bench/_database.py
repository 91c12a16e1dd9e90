"""The database a bench area measures in (not an area itself: its name starts with "_")."""

import contextlib
from collections.abc import Iterator


@contextlib.contextmanager
def measuring(*, database: bool = True) -> Iterator[None]:
    """DEBUG off (with DEBUG on every query's SQL is also kept) and, unless ``database`` is
    False (a test's database already set up), a fresh test database, dropped afterwards.

    ``make bench`` runs every area in one process, each in its own database. Django ignores
    closing SQLite's in-memory test database, so that it would outlive ``destroy_test_db``
    and the next area would find the last one's county; it is closed here for real."""
    from django.conf import settings
    from django.db import connection
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.backends.sqlite3.creation import DatabaseCreation

    debug, settings.DEBUG = settings.DEBUG, False
    try:
        if not database:
            yield
            return
        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        try:
            yield
        finally:
            in_memory = connection.vendor == "sqlite" and DatabaseCreation.is_in_memory_db(
                connection.settings_dict["NAME"]
            )
            connection.creation.destroy_test_db(old_name, verbosity=0)
            if in_memory:
                BaseDatabaseWrapper.close(connection)
    finally:
        settings.DEBUG = debug
