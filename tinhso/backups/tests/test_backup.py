"""Back up, restore and the restore drill (backup_check), on whichever
database the suite runs on (SQLite or PostgreSQL).

The data is committed (transactional tests) so that pg_dump and the SQLite
backup API, which read through their own connections, see it. Restores that
overwrite a database run in a subprocess against a disposable database of
their own, never the test database."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tinhso.backups import database as db
from tinhso.backups.errors import BackupError
from tinhso.backups.files import safe_relative
from tinhso.dossiers import actions
from tinhso.dossiers.actions import ComponentInput
from tinhso.dossiers.models import Dossier, DossierFile
from tinhso.dossiers.tests.conftest import APPLICANT, pdf, receive, vn, world  # noqa: F401 (fixture)

committed = pytest.mark.django_db(transaction=True)  # pg_dump / the backup API read committed data only
ROOT = Path(settings.BASE_DIR)
POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def filled(media, world):
    """Dossiers with uploaded files (one with a Vietnamese file name)."""
    receive(world)
    for n, name in enumerate(["to-khai.pdf", "giấy xác nhận.pdf"]):
        comps = [ComponentInput(required_component_id=world.case.components.get(order=1).pk, files=[pdf(name)])]
        actions.submit_online(acting_user=None, receiving_agency=world.centre, case=world.case,
                              applicant=dict(APPLICANT), components=comps, area=world.commune,
                              at=vn(2026, 3, 2, 20, n))
    stored = sorted(p for p in media.rglob("*") if p.is_file())
    assert len(stored) >= 2 and DossierFile.objects.count() >= 2
    return world


def run(*args, out=None):
    """call_command; returns (stdout text, CommandError or None)."""
    from io import StringIO

    out = StringIO()
    try:
        call_command(*args, stdout=out, stderr=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def scratch_databases() -> list[str]:
    if not POSTGRES:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", ["%restorecheck%"])
        return [row[0] for row in cursor.fetchall()]


def live_state() -> dict:
    params = db.pg_params(connection.settings_dict) if POSTGRES else None
    if POSTGRES:
        return {k: v.as_json() for k, v in db.pg_checksums_of(params)[0].items()}
    return {k: v.as_json() for k, v in db.sqlite_checksums(Path(connection.settings_dict["NAME"]),
                                                         readonly=False).items()}


@committed
def test_backup_check_restores_into_scratch_and_matches(filled, media):
    before, before_files = live_state(), {p: p.read_bytes() for p in media.rglob("*") if p.is_file()}
    text, error = run("backup_check")
    assert error is None, text
    assert "KHỚP: bản sao lưu khôi phục được" in text and "KHÔNG KHỚP" not in text
    line = next(row for row in text.splitlines() if row.startswith("dossiers_dossier "))
    assert line.split()[1:4] == ["3", "3", "khớp"]
    assert f"Tệp: {len(before_files)} tệp" in text
    # the live data was only read; the scratch database is gone
    assert live_state() == before
    assert {p: p.read_bytes() for p in media.rglob("*") if p.is_file()} == before_files
    assert scratch_databases() == []


@committed
def test_backup_writes_dump_files_and_manifest(filled, media, tmp_path, settings):
    target = tmp_path / "b"
    text, error = run("backup", "--to", str(target), "--check")
    assert error is None and "Đã sao lưu vào" in text and "KHỚP: bản sao lưu khôi phục được" in text
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["database"]["vendor"] == ("postgresql" if POSTGRES else "sqlite")
    assert manifest["tables"]["dossiers_dossier"]["rows"] == 3
    assert manifest["migrations"]["dossiers"]
    for item in manifest["files"]["items"]:
        data = (media / item["name"]).read_bytes()
        assert (target / "files" / item["name"]).read_bytes() == data
        assert item["size"] == len(data) and item["sha256"] == hashlib.sha256(data).hexdigest()
    assert any("giấy_xác_nhận" in item["name"] for item in manifest["files"]["items"])
    assert (target / manifest["database"]["file"]).stat().st_size == manifest["database"]["size"]
    assert oct(target.stat().st_mode & 0o777) == "0o700"
    _, again = run("backup", "--to", str(target))
    assert again is not None and "đã có dữ liệu" in str(again)
    # by default: a new directory named after the time, under var/backups (TINHSO_BACKUP_DIR here)
    settings.TINHSO_BACKUP_DIR = tmp_path / "root"
    text, error = run("backup", "--no-files")
    made = list((tmp_path / "root").iterdir())
    assert error is None and len(made) == 1 and made[0].name[:8].isdigit() and str(made[0]) in text
    assert json.loads((made[0] / "manifest.json").read_text())["files"] == {
        "storage": "django.core.files.storage.filesystem.FileSystemStorage", "included": False, "count": 0,
        "bytes": 0, "items": []}


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def _edit_manifest(directory: Path, change) -> None:
    path = directory / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


@committed
def test_a_corrupted_backup_is_detected_and_named(filled, tmp_path):
    good = tmp_path / "good"
    assert run("backup", "--to", str(good))[1] is None
    manifest = json.loads((good / "manifest.json").read_text(encoding="utf-8"))
    victim, intact = [item["name"] for item in manifest["files"]["items"]][:2]

    # a file of the backup changed, and the manifest disagrees with the dump about two tables
    broken = _copy(good, tmp_path / "edited")
    (broken / "files" / victim).write_bytes(b"%PDF-1.4 not the original")
    _edit_manifest(broken, lambda m: (m["tables"]["dossiers_dossierevent"].update(rows=99),
                                      m["tables"]["dossiers_dossier"].update(checksum="0" * 32)))
    text, error = run("backup_check", "--from", str(broken))
    assert error is not None and error.returncode == 1 and "KHÔNG KHỚP" in str(error)
    named = str(error).removeprefix("KHÔNG KHỚP: ").split("; ")
    assert sorted(named[:2]) == ["dossiers_dossier", "dossiers_dossierevent"]
    assert any(victim in part for part in named[2:]) and intact not in str(error)
    assert "KHÁC: tệp " + victim in text
    rows = {row.split()[0]: row for row in text.splitlines() if row.startswith("dossiers_")}
    assert "KHÁC số dòng" in rows["dossiers_dossierevent"] and "KHÁC nội dung" in rows["dossiers_dossier"]
    assert rows["dossiers_dossierfile"].rstrip().endswith("khớp")

    # the dump itself damaged
    dumped = _copy(good, tmp_path / "dump")
    dump = dumped / manifest["database"]["file"]
    if POSTGRES:
        dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
        text, error = run("backup_check", "--from", str(dumped))
        assert error is not None and "khôi phục CSDL thử thất bại" in text and "pg_restore" in text
    else:  # a row removed from the copy: the table is named
        with closing(sqlite3.connect(dump)) as conn:
            conn.execute("DELETE FROM dossiers_dossierfile WHERE id = (SELECT max(id) FROM dossiers_dossierfile)")
            conn.commit()
        text, error = run("backup_check", "--from", str(dumped))
        assert error is not None and str(error).startswith("KHÔNG KHỚP: dossiers_dossierfile;")
    assert "khác manifest (SHA-256)" in text

    # a broken backup is never restored over live data
    before = live_state()
    _, error = run("restore", "--from", str(broken), "--yes")
    assert error is not None and "Không khôi phục" in str(error) and victim in str(error)
    _, error = run("restore", "--from", str(dumped), "--yes")
    assert error is not None and "Không khôi phục" in str(error)
    assert live_state() == before
    _, error = run("backup_check", "--from", str(tmp_path / "nothing-here"))
    assert error is not None and "Không có thư mục sao lưu" in str(error)


# --------------------------------------------------------------------------- restore on a disposable database


@pytest.fixture
def disposable(tmp_path):
    """A database of its own (empty) and an empty media directory, as the
    environment of a `manage.py` subprocess."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update(DJANGO_SETTINGS_MODULE="tinhso.settings", TINHSO_MEDIA_ROOT=str(tmp_path / "target-media"),
               TINHSO_TASKS_DB=str(tmp_path / "tasks.sqlite3"), TINHSO_LOG_LEVEL="WARNING")
    if not POSTGRES:
        path = tmp_path / "target.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{path}"
        yield env, {"sqlite": path}
        return
    name = f"{connection.settings_dict['NAME']}_restore_{os.getpid()}"[:63]
    admin = db.pg_params(connection.settings_dict, dbname="postgres")
    with closing(db.pg_connect(admin)) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    sd = connection.settings_dict
    env["DATABASE_URL"] = (f"postgres://{sd['USER'] or ''}{':' + sd['PASSWORD'] if sd['PASSWORD'] else ''}"
                           f"@{sd['HOST'] or 'localhost'}:{sd['PORT'] or 5432}/{name}")
    try:
        yield env, {"postgres": db.pg_params(connection.settings_dict, dbname=name)}
    finally:
        with closing(db.pg_connect(admin)) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env, *args):
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def query(target, sql):
    if "sqlite" in target:
        with closing(sqlite3.connect(target["sqlite"])) as conn:
            rows = conn.execute(sql).fetchall()
            conn.commit()
            return rows
    with closing(db.pg_connect(target["postgres"])) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description else []


@committed
def test_restore_refuses_without_yes_then_brings_back_rows_and_files(filled, tmp_path, disposable):
    env, target = disposable
    backup = tmp_path / "b"
    assert run("backup", "--to", str(backup))[1] is None
    dossiers = sorted(Dossier.objects.values_list("code", "owner_name"))
    files = {f.file.name: f.file.read() for f in DossierFile.objects.all()}
    media = Path(env["TINHSO_MEDIA_ROOT"])

    # without --yes nothing happens; a backup of the other vendor is refused
    before = live_state()
    _, refused = run("restore", "--from", str(backup))
    assert refused is not None and "--yes" in str(refused)
    other = _copy(backup, tmp_path / "other")
    _edit_manifest(other, lambda m: m["database"].update(vendor="sqlite" if POSTGRES else "postgresql"))
    _, refused = run("restore", "--from", str(other), "--yes")
    assert refused is not None and "docs/operations.md" in str(refused)
    if POSTGRES:  # another session on the database (the app still running): refused, nothing changed
        # (a session-scoped live server of an earlier browser test may hold idle connections of its own)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            own = cursor.fetchone()[0]
        already = len([s for s in db.pg_other_sessions(db.pg_params(connection.settings_dict))
                       if not s.startswith(f"pid {own} ")])
        with closing(db.pg_connect(db.pg_params(connection.settings_dict))) as other_session:
            other_session.execute("SELECT 1")
            _, refused = run("restore", "--from", str(backup), "--yes")
        assert refused is not None and f"{already + 1} kết nối khác" in str(refused)
    assert live_state() == before

    first = manage(env, "restore", "--from", str(backup), "--yes")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "KHỚP" in first.stdout
    assert sorted(query(target, "SELECT code, owner_name FROM dossiers_dossier")) == dossiers
    assert {name: (media / name).read_bytes() for name in files} == files

    # damage the restored system: rows deleted and changed, a file deleted, another overwritten
    query(target, "DELETE FROM nationalportal_syncitem")  # refers to the events (a foreign key on PostgreSQL)
    query(target, "DELETE FROM dossiers_dossierevent")
    query(target, "UPDATE dossiers_dossier SET owner_name = 'Người khác'")
    names = sorted(files)
    (media / names[0]).unlink()
    (media / names[1]).write_bytes(b"hong")
    assert query(target, "SELECT count(*) FROM dossiers_dossierevent") == [(0,)]
    expected = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))["tables"]
    sums = (db.pg_checksums_of(target["postgres"])[0] if POSTGRES
            else db.sqlite_checksums(target["sqlite"], readonly=False))
    assert sums["dossiers_dossier"].rows == expected["dossiers_dossier"]["rows"]  # same rows, other content:
    assert sums["dossiers_dossier"].checksum != expected["dossiers_dossier"]["checksum"]
    assert sums["dossiers_dossierfile"].as_json() == expected["dossiers_dossierfile"]

    second = manage(env, "restore", "--from", str(backup), "--yes")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "KHỚP" in second.stdout and "2 tệp được ghi lại" in second.stdout
    assert sorted(query(target, "SELECT code, owner_name FROM dossiers_dossier")) == dossiers
    events = query(target, "SELECT count(*) FROM dossiers_dossierevent")[0][0]
    assert events == expected["dossiers_dossierevent"]["rows"] > 0
    assert {name: (media / name).read_bytes() for name in files} == files



# --------------------------------------------------------------------------- pieces


def test_pg_tools_versions_and_credentials():
    assert db.version_tuple(150020) == (15,) and db.version_tuple(90624) == (9, 6)
    env = db.pg_env({"host": "db", "user": "tinhso", "password": "bí-mật", "dbname": "tinhso", "sslmode": "require"})
    assert env["PGPASSWORD"] == "bí-mật" and env["PGSSLMODE"] == "require" and env["PGDATABASE"] == "tinhso"
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump not installed")
    assert db.find_pg_tool("pg_dump", (9, 6))
    with pytest.raises(BackupError) as info:
        db.find_pg_tool("pg_dump", (99,))
    assert "cũ hơn máy chủ PostgreSQL 99" in str(info.value)


@pytest.mark.parametrize("name", ["../etc/passwd", "/etc/passwd", "a/../../b", "", "a//b"])
def test_manifest_names_cannot_escape_the_backup(name):
    with pytest.raises(BackupError):
        safe_relative(name)
    assert safe_relative("dossiers/5/component/giấy.pdf").parts[0] == "dossiers"


def test_files_go_through_the_storage_api_not_the_disk(tmp_path):
    """An object store (S3 through django-storages) is walked with listdir/open/save:
    InMemoryStorage stands in for it."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import InMemoryStorage

    from tinhso.backups.engine import Report, compare_files
    from tinhso.backups.files import backup_files, restore_files, verify_backup_files

    source = InMemoryStorage()
    for name, data in [("a.pdf", b"A" * 10), ("dossiers/7/result/kết-quả.pdf", b"KQ"), ("x/y/z.bin", b"\0\1")]:
        source.save(name, ContentFile(data))
    entries = [e.as_json() for e in backup_files(source, tmp_path / "files")]
    assert [e["name"] for e in entries] == ["a.pdf", "dossiers/7/result/kết-quả.pdf", "x/y/z.bin"]
    assert verify_backup_files(tmp_path / "files", entries) == []

    target = InMemoryStorage()
    target.save("a.pdf", ContentFile(b"old"))
    target.save("later.pdf", ContentFile(b"uploaded after the backup"))
    done = restore_files(tmp_path / "files", entries, target)
    assert (done["written"], done["unchanged"], done["extra"], done["missing"]) == (3, 0, ["later.pdf"], [])
    report = Report()
    compare_files(entries, target, report)
    assert report.ok and report.files_checked == 3
    target.delete("x/y/z.bin")
    target.delete("a.pdf")
    target.save("a.pdf", ContentFile(b"B" * 10))  # same size, other bytes
    report = Report()
    compare_files(entries, target, report)
    assert [p.split(":")[0] for p in report.file_problems] == ["tệp a.pdf", "tệp x/y/z.bin"]
    assert "thiếu" in report.file_problems[1] and not report.ok
