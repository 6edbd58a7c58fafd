"""Bulk loading: COPY FROM STDIN on PostgreSQL, executemany on SQLite; ids, sequences and
the indexes suspended during a big load."""

from __future__ import annotations

import time

from django.db import connection

from tinhso.demo.province_year.common import NAT, NULL, VN_OFFSET


# ---- writing rows ------------------------------------------------------------------------------

class Loader:
    """Writes column blocks: COPY FROM STDIN on PostgreSQL, executemany elsewhere.

    A column is (name, kind, value) with kind i (int64, NULL = -1), t (int64
    microseconds of Vietnam wall-clock time, NULL = NAT), d (int64 days since
    1970-01-01, NULL = NAT), b (bool), s (str, None = NULL) or j (JSON text);
    a scalar value is repeated."""

    def __init__(self, np):
        self.np = np
        self.pg = connection.vendor == "postgresql"
        self.rows = {}
        self.seconds = {}

    def write(self, table: str, columns: list, n: int, count: bool = True) -> None:
        if n == 0:
            return
        if count:
            self.rows[table] = self.rows.get(table, 0) + n
        t0 = time.perf_counter()
        self._write(table, columns, n)
        self.seconds[table] = self.seconds.get(table, 0.0) + time.perf_counter() - t0

    def _write(self, table: str, columns: list, n: int) -> None:
        qn = connection.ops.quote_name
        names = ", ".join(qn(c[0]) for c in columns)
        if self.pg:
            cols = [self._pg(kind, value, n) for _, kind, value in columns]
            data = "\n".join(map("\t".join, zip(*cols))) + "\n"
            with connection.cursor() as cursor:
                with cursor.cursor.copy(f"COPY {qn(table)} ({names}) FROM STDIN") as copy:
                    copy.write(data.encode())
        else:
            cols = [self._py(kind, value, n) for _, kind, value in columns]
            marks = ", ".join(["%s"] * len(columns))
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})", list(zip(*cols)))

    def _pg(self, kind, value, n):
        np = self.np
        if not isinstance(value, (np.ndarray, list)):
            return self._pg(kind, [value], 1) * n
        if kind == "i":
            a = np.asarray(value, dtype=np.int64)
            s = a.astype(str)
            return np.where(a == NULL, "\\N", s).tolist() if (a == NULL).any() else s.tolist()
        if kind in "td":
            a = np.asarray(value, dtype=np.int64)
            null = a == NAT
            if kind == "t":
                dt = (np.where(null, 0, a) - VN_OFFSET).astype("datetime64[us]").astype("datetime64[s]")
                s = np.datetime_as_string(dt, timezone="UTC")
            else:
                s = np.datetime_as_string(np.where(null, 0, a).astype("datetime64[D]"))
            return np.where(null, "\\N", s).tolist() if null.any() else s.tolist()
        if kind == "b":
            return np.where(np.asarray(value, dtype=bool), "t", "f").tolist()
        return ["\\N" if v is None else _copy_text(str(v))
                for v in (value.tolist() if isinstance(value, np.ndarray) else value)]

    def _py(self, kind, value, n):
        np = self.np
        if not isinstance(value, (np.ndarray, list)):
            return self._py(kind, [value], 1) * n
        if kind == "i":
            return [None if v == NULL else v for v in np.asarray(value, dtype=np.int64).tolist()]
        if kind in "td":
            a = np.asarray(value, dtype=np.int64)
            null = a == NAT
            if kind == "t":
                dt = (np.where(null, 0, a) - VN_OFFSET).astype("datetime64[us]").astype("datetime64[s]")
                s = [x.replace("T", " ") for x in np.datetime_as_string(dt).tolist()]
            else:
                s = np.datetime_as_string(np.where(null, 0, a).astype("datetime64[D]")).tolist()
            return [None if z else x for x, z in zip(s, null.tolist())]
        if kind == "b":
            return [bool(v) for v in np.asarray(value, dtype=bool).tolist()]
        return [None if v is None else str(v) for v in (value.tolist() if isinstance(value, np.ndarray) else value)]


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: str) -> str:
    """A text value in COPY's text format: backslash, tab and line breaks escaped (an apology's comment has
    two lines; a name could hold anything)."""
    return value.translate(_COPY_ESCAPES)


def _next_ids(model, np) -> int:
    """First free id of `model` (ids are then given explicitly; the sequence
    is moved past them at the end)."""
    from django.db.models import Max

    top = model.objects.aggregate(m=Max("pk"))["m"] or 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [model._meta.db_table])
            top = max(top, cursor.fetchone()[0])
    elif connection.vendor == "sqlite":  # never reuse the ids of a removed generation
        with connection.cursor() as cursor:
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [model._meta.db_table])
            row = cursor.fetchone()
            top = max(top, row[0] if row else 0)
    return top + 1


def _reset_sequences(models) -> None:
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


# rows a generation adds to each table, per dossier (rough)
LOAD_FACTOR = {"dossiers_dossier": 1, "dossiers_dossierevent": 6, "dossiers_dossierpause": 0.08,
               "dossiers_dossiercomponent": 2,
               "payments_paymentrequest": 0.7, "payments_paymentline": 1.0, "evaluations_evaluation": 0.15,
               "evaluations_criterionrating": 1.8}


def _suspend_indexes(n: int, removing: int = 0) -> list:
    """PostgreSQL bulk load: for each table that the load at least doubles
    (and by 200,000 rows or more), drop its plain indexes and foreign keys
    now and return the statements that re-create them, identical (from
    pg_get_indexdef / pg_get_constraintdef), to run before the transaction
    commits: building an index once and validating a foreign key with one
    join is far cheaper than maintaining them row by row. Before removing a
    large generation, the foreign keys of other tables that point at the
    generated tables go too (else every deleted row is checked one by one);
    re-adding them validates every row, so a reference to a removed row
    makes the whole generation fail and roll back. All of it is in the
    generation's transaction, so a failure restores everything; primary
    keys and unique constraints stay and check every row."""
    if connection.vendor != "postgresql":
        return []
    qn = connection.ops.quote_name
    restore_indexes, restore_fks, dropped = [], [], set()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        if removing * 6 >= 200_000:
            cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE contype = 'f' AND confrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
                           [list(LOAD_FACTOR)])
            for table, name, definition in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
                restore_fks.append(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}")
                dropped.add((table, name))
        for table, factor in LOAD_FACTOR.items():
            cursor.execute("SELECT GREATEST(reltuples, 0) FROM pg_class WHERE oid = %s::regclass", [table])
            existing = cursor.fetchone()[0]
            if n * factor < max(200_000, existing):
                continue
            cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname", [table])
            for name, definition in cursor.fetchall():
                if (table, name) in dropped:
                    continue
                cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
                restore_fks.append(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}")
            cursor.execute(
                "SELECT c.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
                "JOIN pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = %s::regclass AND NOT x.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint k "
                "WHERE k.conrelid = x.indrelid AND k.conindid = x.indexrelid) ORDER BY c.relname", [table])
            for name, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {qn(name)}")
                restore_indexes.append(definition)
    return restore_indexes + restore_fks
