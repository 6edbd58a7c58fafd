"""The database half of a backup: dump, restore and per-table checksums for
PostgreSQL (pg_dump -Fc / pg_restore) and SQLite (the online backup API).

A table's checksum is its row count plus a 128-bit sum (mod 2**64 per half) of
the MD5 of each row's text. A sum does not depend on row order, so it needs
no primary key and no sort; on PostgreSQL it is one sequential scan in SQL.
The row text differs between vendors (PostgreSQL's record output, Python's
repr on SQLite), so checksums compare only within one vendor, which is all a
backup ever needs."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.utils.translation import gettext as _

from tinhso.backups.errors import BackupError

MASK64 = (1 << 64) - 1

# libpq connection keywords Django's OPTIONS may carry, and the environment
# variable pg_dump / pg_restore read for each (so nothing secret goes on the
# command line, where `ps` would show it).
LIBPQ_ENV = {
    "host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD", "dbname": "PGDATABASE",
    "service": "PGSERVICE", "passfile": "PGPASSFILE", "sslmode": "PGSSLMODE", "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY", "sslrootcert": "PGSSLROOTCERT", "sslcrl": "PGSSLCRL", "sslpassword": "PGSSLPASSWORD",
    "connect_timeout": "PGCONNECT_TIMEOUT", "options": "PGOPTIONS", "application_name": "PGAPPNAME",
    "target_session_attrs": "PGTARGETSESSIONATTRS", "gssencmode": "PGGSSENCMODE", "channel_binding":
    "PGCHANNELBINDING",
}
# Session settings that fix the text form of every value before hashing.
PG_SESSION = ("SET TIME ZONE 'UTC'", "SET DateStyle = 'ISO, YMD'", "SET IntervalStyle = 'postgres'",
              "SET extra_float_digits = 1", "SET bytea_output = 'hex'")
ROW_ALIAS = "tinhso_backup_row"  # not a column name anywhere, so `alias::text` is the whole row


@dataclass
class TableSum:
    rows: int
    checksum: str

    def as_json(self) -> dict:
        return {"rows": self.rows, "checksum": self.checksum}


@dataclass
class DumpResult:
    tables: dict[str, TableSum]
    migrations: dict[str, str] = field(default_factory=dict)
    server_version: str = ""


def _fold(first: int, second: int) -> str:
    return f"{first & MASK64:016x}{second & MASK64:016x}"


def row_digest(text: bytes) -> tuple[int, int]:
    digest = hashlib.md5(text, usedforsecurity=False).digest()
    return int.from_bytes(digest[:8], "big"), int.from_bytes(digest[8:], "big")


def last_migrations(pairs) -> dict[str, str]:
    """{app: last applied migration name} from (app, name) rows."""
    last: dict[str, str] = {}
    for app, name in pairs:
        if name > last.get(app, ""):
            last[app] = name
    return dict(sorted(last.items()))


# --------------------------------------------------------------------------- SQLite


def _uri(path: Path, *, readonly: bool = True) -> str:
    return f"file:{quote(str(path))}" + ("?mode=ro" if readonly else "")


def sqlite_path(settings_dict: dict) -> Path:
    name = str(settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or "mode=memory" in name or name.startswith("file:memorydb"):
        raise BackupError(_("CSDL SQLite nằm trong bộ nhớ, không có tệp để sao lưu hay khôi phục."))
    return Path(name)


def sqlite_checksums(path: Path, *, readonly: bool = True) -> dict[str, TableSum]:
    """Row count and checksum of every table of the SQLite file `path` (a live
    WAL database is opened read-write: read-only WAL access needs the -shm)."""
    if not path.exists():
        raise BackupError(_("Không tìm thấy tệp CSDL SQLite %(path)s.") % {"path": path})
    with closing(sqlite3.connect(_uri(path, readonly=readonly), uri=True, timeout=30)) as conn:
        conn.text_factory = bytes  # hash the stored bytes, whatever the encoding
        names = [row[0].decode() for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_stat%' ORDER BY name")]
        result = {}
        for name in names:
            count = first = second = 0
            quoted = '"' + name.replace('"', '""') + '"'
            for row in conn.execute(f"SELECT * FROM {quoted}"):  # noqa: S608 (name from sqlite_master)
                a, b = row_digest(repr(row).encode())
                first += a
                second += b
                count += 1
            result[name] = TableSum(count, _fold(first, second))
    return result


def sqlite_migrations(path: Path) -> dict[str, str]:
    with closing(sqlite3.connect(_uri(path), uri=True, timeout=30)) as conn:
        try:
            return last_migrations(conn.execute("SELECT app, name FROM django_migrations"))
        except sqlite3.DatabaseError:
            return {}


def sqlite_dump(settings_dict: dict, dest: Path) -> DumpResult:
    """A consistent copy of the live SQLite database in `dest` (one backup
    step = one read transaction, so it is safe while the app writes in WAL
    mode), switched to a self-contained rollback-journal file."""
    live = sqlite_path(settings_dict)
    if not live.exists():
        raise BackupError(_("Không tìm thấy tệp CSDL SQLite %(path)s.") % {"path": live})
    with closing(sqlite3.connect(str(live), timeout=30)) as src, closing(sqlite3.connect(str(dest))) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    return DumpResult(tables=sqlite_checksums(dest), migrations=sqlite_migrations(dest),
                      server_version=sqlite3.sqlite_version)


def sqlite_check_file(path: Path) -> None:
    """Refuse a damaged SQLite file before it overwrites anything."""
    try:
        with closing(sqlite3.connect(_uri(path), uri=True)) as conn:
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(_("Tệp CSDL trong bản sao lưu hỏng: %(error)s") % {"error": exc}) from exc
    if verdict != "ok":
        raise BackupError(_("Tệp CSDL trong bản sao lưu hỏng: %(error)s") % {"error": verdict})


def sqlite_restore(source: Path, target: Path) -> None:
    """Copy the backup `source` over the SQLite database `target` page by page
    through SQLite's own locking (the -wal/-shm files stay coherent; a file
    copy would not). The caller closes its own connections first."""
    sqlite_check_file(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(_uri(source), uri=True)) as src, \
            closing(sqlite3.connect(str(target), timeout=60)) as dst:
        try:
            src.backup(dst)
        except sqlite3.OperationalError as exc:
            raise BackupError(_("Không ghi được vào CSDL %(path)s (ứng dụng còn đang chạy?): %(error)s")
                              % {"path": target, "error": exc}) from exc


# --------------------------------------------------------------------------- PostgreSQL


def pg_params(settings_dict: dict, dbname: str | None = None) -> dict:
    """libpq keywords for the Django database `settings_dict`."""
    params = {"dbname": settings_dict.get("NAME"), "user": settings_dict.get("USER"),
              "password": settings_dict.get("PASSWORD"), "host": settings_dict.get("HOST"),
              "port": settings_dict.get("PORT")}
    for key, value in (settings_dict.get("OPTIONS") or {}).items():
        if key in LIBPQ_ENV:
            params[key] = value
    if dbname is not None:
        params["dbname"] = dbname
    return {key: str(value) for key, value in params.items() if value not in (None, "")}


def pg_env(params: dict) -> dict:
    """The environment for pg_dump / pg_restore: the credentials as PG*
    variables (PGPASSWORD, never on the command line). Other PG* variables of
    the environment stay, as they do for the app's own libpq connections."""
    env = dict(os.environ)
    for key, value in params.items():
        env[LIBPQ_ENV[key]] = value
    return env


def pg_connect(params: dict, *, autocommit: bool = True):
    import psycopg

    try:
        conn = psycopg.connect(**params, autocommit=autocommit)
    except psycopg.Error as exc:
        raise BackupError(_("Không kết nối được PostgreSQL (CSDL %(db)s): %(error)s")
                          % {"db": params.get("dbname", "?"), "error": str(exc).strip()}) from exc
    return conn


def version_tuple(number: int) -> tuple[int, ...]:
    """server_version_num -> (15,) for 15.x, (9, 6) for 9.6.x."""
    return (number // 10000,) if number >= 100000 else (number // 10000, number // 100 % 100)


def _text_version(version: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in version)


def client_version(binary: str) -> tuple[int, ...] | None:
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\)\s*(\d+)(?:\.(\d+))?", out)
    if not match:
        return None
    major = int(match.group(1))
    return (major,) if major >= 10 else (major, int(match.group(2) or 0))


def find_pg_tool(tool: str, server: tuple[int, ...]) -> str:
    """The `tool` (pg_dump, pg_restore) whose major version is at least the
    server's: TINHSO_PG_BIN_DIR first, then Debian's /usr/lib/postgresql/*/bin
    (newest first), then PATH."""
    candidates = []
    if os.environ.get("TINHSO_PG_BIN_DIR"):
        candidates.append(str(Path(os.environ["TINHSO_PG_BIN_DIR"]) / tool))
    versioned = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{tool}"),
                       key=lambda p: [int(x) for x in re.findall(r"\d+", p.parent.parent.name)] or [0],
                       reverse=True)
    candidates += [str(p) for p in versioned]
    if shutil.which(tool):
        candidates.append(shutil.which(tool))
    found = []
    for path in dict.fromkeys(candidates):
        if not os.access(path, os.X_OK):
            continue
        version = client_version(path)
        if version is None:
            continue
        if version >= server:
            return path
        found.append((path, version))
    if not found:
        raise BackupError(_("Không tìm thấy %(tool)s. Cài gói postgresql-client (Debian: apt-get install "
                            "postgresql-client) hoặc đặt TINHSO_PG_BIN_DIR.") % {"tool": tool})
    path, version = found[0]
    raise BackupError(_("%(tool)s (%(path)s) là phiên bản %(client)s, cũ hơn máy chủ PostgreSQL %(server)s: "
                        "bản sao lưu sẽ không dùng được. Cài postgresql-client-%(server)s (kho apt.postgresql.org) "
                        "hoặc đặt TINHSO_PG_BIN_DIR tới thư mục bin của phiên bản đó.")
                      % {"tool": tool, "path": path, "client": _text_version(version),
                         "server": _text_version(server)})


def pg_server_version(conn) -> tuple[int, ...]:
    return version_tuple(int(conn.execute("SELECT current_setting('server_version_num')").fetchone()[0]))


def _pg_tables(conn) -> list[tuple[str, str]]:
    return conn.execute(
        "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%' "
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e') "
        "ORDER BY 1, 2").fetchall()


def pg_checksums(conn) -> dict[str, TableSum]:
    """Row count and checksum of every user table, computed in SQL on `conn`
    (inside the caller's transaction, if any)."""
    from psycopg import sql

    for statement in PG_SESSION:
        conn.execute(statement)
    result = {}
    for schema, table in _pg_tables(conn):
        query = sql.SQL(
            "SELECT count(*), "
            "coalesce(sum(('x' || substr(md5({row}::text), 1, 16))::bit(64)::bigint), 0), "
            "coalesce(sum(('x' || substr(md5({row}::text), 17, 16))::bit(64)::bigint), 0) "
            "FROM {schema}.{table} AS {row}").format(
            row=sql.Identifier(ROW_ALIAS), schema=sql.Identifier(schema), table=sql.Identifier(table))
        count, first, second = conn.execute(query).fetchone()
        name = table if schema == "public" else f"{schema}.{table}"
        result[name] = TableSum(int(count), _fold(int(first), int(second)))
    return result


def _pg_migrations(conn) -> dict[str, str]:
    if conn.execute("SELECT to_regclass('django_migrations')").fetchone()[0] is None:
        return {}
    return last_migrations(conn.execute("SELECT app, name FROM django_migrations").fetchall())


def _run(command: list[str], env: dict, what: str) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True)
    except OSError as exc:
        raise BackupError(_("Không chạy được %(what)s: %(error)s") % {"what": what, "error": exc}) from exc
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-8:])
        raise BackupError(_("%(what)s thất bại (mã %(code)s):\n%(error)s")
                          % {"what": what, "code": done.returncode, "error": tail})


def pg_dump(settings_dict: dict, dest: Path) -> DumpResult:
    """pg_dump -Fc of the configured database into `dest`, and the checksums
    of the very same snapshot: a REPEATABLE READ transaction exports its
    snapshot, pg_dump reads through it (--snapshot), then the checksums are
    computed in that transaction."""
    params = pg_params(settings_dict)
    with closing(pg_connect(params)) as conn:
        server = pg_server_version(conn)
        tool = find_pg_tool("pg_dump", server)
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        _run([tool, "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={dest}"],
             pg_env(params), "pg_dump")
        tables = pg_checksums(conn)
        migrations = _pg_migrations(conn)
        version = conn.execute("SHOW server_version").fetchone()[0]
        conn.execute("COMMIT")
    return DumpResult(tables=tables, migrations=migrations, server_version=version)


def pg_restore(params: dict, source: Path) -> None:
    """pg_restore --clean --if-exists --no-owner of `source` into the database
    of `params`, in one transaction: it applies completely or not at all."""
    with closing(pg_connect(params)) as conn:
        server = pg_server_version(conn)
    tool = find_pg_tool("pg_restore", server)
    _run([tool, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
          "--no-password", f"--dbname={params['dbname']}", str(source)], pg_env(params), "pg_restore")


def pg_other_sessions(params: dict) -> list[str]:
    """Other client sessions on the database of `params` (the app, workers,
    a psql): pg_restore would wait behind their locks (the archive turns
    lock_timeout off), so a restore refuses while they are there."""
    with closing(pg_connect(params)) as conn:
        rows = conn.execute(
            "SELECT pid, coalesce(nullif(application_name, ''), '?'), coalesce(host(client_addr), 'local'), "
            "coalesce(state, '?') FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend' ORDER BY pid").fetchall()
    return [f"pid {pid} {app} ({addr}, {state})" for pid, app, addr, state in rows]


def pg_checksums_of(params: dict) -> tuple[dict[str, TableSum], dict[str, str]]:
    with closing(pg_connect(params, autocommit=False)) as conn:
        tables = pg_checksums(conn)
        migrations = _pg_migrations(conn)
        conn.rollback()
    return tables, migrations


def pg_check_archive(source: Path) -> None:
    """Refuse an archive pg_restore cannot read before anything is dropped."""
    tool = find_pg_tool("pg_restore", (0,))
    _run([tool, "--list", str(source)], dict(os.environ), "pg_restore --list")


@contextmanager
def pg_scratch_database(settings_dict: dict):
    """A new empty database `<name>_restorecheck_<pid>` on the same server,
    dropped on exit. Yields its libpq parameters."""
    import psycopg
    from psycopg import sql

    live = settings_dict.get("NAME") or "tinhso"
    suffix = f"_restorecheck_{os.getpid()}"
    name = live[:63 - len(suffix)] + suffix
    if name == live:  # cannot happen; never risk the live database
        raise BackupError(_("Tên CSDL thử trùng CSDL đang chạy."))
    admin = _admin_params(settings_dict)
    _drop_database(admin, name)  # left over by a killed check with the same pid
    with closing(pg_connect(admin)) as conn:
        try:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except psycopg.Error as exc:
            raise BackupError(_("Không tạo được CSDL thử %(name)s (tài khoản cần quyền CREATEDB): %(error)s")
                              % {"name": name, "error": str(exc).strip()}) from exc
    try:
        yield pg_params(settings_dict, dbname=name)
    finally:
        _drop_database(admin, name)


def _admin_params(settings_dict: dict) -> dict:
    """Where to run CREATE/DROP DATABASE: the `postgres` database, else `template1`."""
    for name in ("postgres", "template1"):
        params = pg_params(settings_dict, dbname=name)
        try:
            pg_connect(params).close()
            return params
        except BackupError:
            continue
    raise BackupError(_("Không kết nối được CSDL quản trị (postgres, template1) để tạo CSDL thử."))


def _drop_database(admin: dict, name: str) -> None:
    import psycopg
    from psycopg import sql

    with closing(pg_connect(admin)) as conn:
        try:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        except psycopg.errors.SyntaxError:  # before PostgreSQL 13
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
