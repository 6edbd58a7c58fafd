"""Sequential numbers that are unique under concurrency: one row per key
(an agency and a day, a register and a year ...) holding the last number,
raised and read in one statement (PostgreSQL and SQLite 3.35+). Call it inside
the transaction that uses the number: the row stays locked until it commits,
so two writers never share a number, and a rolled-back one gives it back."""

from __future__ import annotations

from django.db import connection


def next_value(model, keys: dict, counter_field: str = "last") -> int:
    """Insert `keys` at 1 or add one to the existing row; return the number.
    `model` has a unique constraint over exactly the columns of `keys`."""
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = [model._meta.get_field(name).column for name in keys]
    values = [model._meta.get_field(name).get_db_prep_value(value, connection) for name, value in keys.items()]
    last = qn(model._meta.get_field(counter_field).column)
    cols = ", ".join(qn(c) for c in columns)
    sql = (f"INSERT INTO {table} ({cols}, {last}) VALUES ({', '.join(['%s'] * len(columns))}, 1) "
           f"ON CONFLICT ({cols}) DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}")
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchone()[0]
