"""Database helpers: for services that write many rows at once, and expressions the
databases spell differently."""

from collections.abc import Sequence

from django.db import connections
from django.db.models import Field, Func, IntegerField, Model


def concrete_field(model: type[Model], name: str) -> Field:
    field = model._meta.get_field(name)
    assert isinstance(field, Field) and field.column, name
    return field


def bulk_save(objs: Sequence[Model], fields: Sequence[str]) -> None:
    """Save ``fields`` of ``objs`` (all of one model): one prepared UPDATE run for every row
    (``executemany``). Values go through each field's ``get_db_prep_save``, as ``save()``
    would.

    Django's ``bulk_update`` builds a CASE expression per field and row and took seconds for
    5,000 exam applications; this takes milliseconds. It skips ``save()`` and the optimistic
    check of django-fsm's ``ConcurrentTransitionMixin``: callers hold a lock on the parent
    record (the campaign) instead.
    """
    if not objs or not fields:
        return
    model = type(objs[0])
    connection = connections[model._default_manager.db]
    columns = [concrete_field(model, name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in columns)
    pk = model._meta.pk
    assert pk is not None
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(pk.column)} = %s"
    rows = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns] + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


class DaysBetween(Func):
    """The whole days from the date ``start`` to the date ``end`` (both expressions), worked
    out by the database: PostgreSQL subtracts dates, SQLite its Julian day numbers."""

    output_field = IntegerField()
    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def __init__(self, start, end, **extra):
        super().__init__(end, start, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )
