"""Back up, restore and check: one backup is a directory

    database.dump | database.sqlite3   the database (pg_dump -Fc / SQLite copy)
    files/<storage name>               every file of the default storage
    manifest.json                      written last: what is inside, with checksums

`make_backup` writes one, `restore_backup` puts one back over the configured
database and storage and verifies the result, `check_backup` restores one
into scratch targets (a temporary database, a temporary directory) and
compares, never touching the live data."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
import tomllib
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.backups import database as db
from tinhso.backups import files as fs
from tinhso.backups.errors import BackupError

FORMAT = "tinhso-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHECKSUM_METHOD = "count + sum128(md5(row text))"


# --------------------------------------------------------------------------- helpers


def vendor_of(settings_dict: dict) -> str:
    engine = settings_dict.get("ENGINE", "")
    if engine.endswith("postgresql") or "postgis" in engine:
        return "postgresql"
    if engine.endswith("sqlite3") or "spatialite" in engine:
        return "sqlite"
    raise BackupError(_("Sao lưu chỉ hỗ trợ PostgreSQL và SQLite, không hỗ trợ %(engine)s.") % {"engine": engine})


def default_root() -> Path:
    return Path(getattr(settings, "TINHSO_BACKUP_DIR", None) or Path(settings.BASE_DIR) / "var" / "backups")


def new_backup_dir(root: Path | None = None) -> Path:
    root = root or default_root()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path, n = root / stamp, 1
    while path.exists():
        n += 1
        path = root / f"{stamp}-{n}"
    return path


def app_version() -> dict:
    base = Path(settings.BASE_DIR)
    version = "?"
    try:
        version = tomllib.loads((base / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        pass
    commit = ""
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=base, capture_output=True, text=True, timeout=5)
        commit = done.stdout.strip() if done.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        pass
    return {"name": "tinhso", "version": version, "commit": commit}


def sha256_path(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(fs.CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            text = f"{value:.0f}" if unit == "B" else f"{value:.1f}"
            return f"{text.replace('.', ',')} {unit}"
        value /= 1024
    return str(size)  # pragma: no cover


def storage_label(storage) -> str:
    wrapped = getattr(storage, "_wrapped", storage)
    return f"{type(wrapped).__module__}.{type(wrapped).__name__}"


def load_manifest(directory: Path) -> dict:
    path = Path(directory) / MANIFEST
    if not Path(directory).is_dir():
        raise BackupError(_("Không có thư mục sao lưu %(dir)s.") % {"dir": directory})
    if not path.is_file():
        raise BackupError(_("%(dir)s không có manifest.json: bản sao lưu chưa hoàn tất hoặc không phải bản sao lưu "
                            "Tỉnh Số.") % {"dir": directory})
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(_("manifest.json đọc không được: %(error)s") % {"error": exc}) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("manifest.json không phải của bản sao lưu Tỉnh Số."))
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(_("Bản sao lưu định dạng phiên bản %(v)s, phiên bản này chỉ đọc được %(want)s.")
                          % {"v": manifest.get("version"), "want": FORMAT_VERSION})
    try:
        manifest["database"]["vendor"], manifest["database"]["file"], manifest["tables"], manifest["files"]["items"]
    except (KeyError, TypeError) as exc:
        raise BackupError(_("manifest.json thiếu mục %(key)s.") % {"key": exc}) from exc
    return manifest


def _write_manifest(directory: Path, manifest: dict) -> None:
    temporary = directory / (MANIFEST + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, directory / MANIFEST)


# --------------------------------------------------------------------------- backup


def make_backup(dest: Path | None = None, *, using: str = "default", storage=None,
                include_files: bool = True) -> tuple[Path, dict]:
    """Back up the database `using` and the files of `storage` (the default
    storage) into `dest` (a new directory under var/backups by default).
    The database first, then the files: a file uploaded meanwhile is at worst
    an extra file, never a row pointing at a missing one (deletions aside).
    include_files=False leaves the files out (they are protected another way,
    e.g. a versioned, replicated bucket; see docs/backup.md)."""
    settings_dict = connections[using].settings_dict
    vendor = vendor_of(settings_dict)
    storage = storage if storage is not None else default_storage
    dest = Path(dest) if dest is not None else new_backup_dir()
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(_("Thư mục %(dir)s đã có dữ liệu; chọn một thư mục mới.") % {"dir": dest})
    created = not dest.exists()
    dest.mkdir(parents=True, exist_ok=True)
    os.chmod(dest, 0o700)  # personal data: only the service account reads it
    started, t0 = timezone.now(), time.monotonic()
    try:
        db_file = dest / DB_FILES[vendor]
        dump = db.pg_dump(settings_dict, db_file) if vendor == "postgresql" else db.sqlite_dump(settings_dict, db_file)
        (dest / "files").mkdir()
        entries = fs.backup_files(storage, dest / "files") if include_files else []
        manifest = {
            "format": FORMAT, "version": FORMAT_VERSION,
            "created_at": timezone.localtime(started).isoformat(), "duration_seconds": round(time.monotonic() - t0, 3),
            "app": app_version(),
            "database": {"vendor": vendor, "name": Path(str(settings_dict.get("NAME") or "")).name,
                         "server_version": dump.server_version, "file": db_file.name,
                         "size": db_file.stat().st_size, "sha256": sha256_path(db_file),
                         "checksum_method": CHECKSUM_METHOD},
            "migrations": dump.migrations,
            "tables": {name: value.as_json() for name, value in sorted(dump.tables.items())},
            "files": {"storage": storage_label(storage), "included": include_files, "count": len(entries),
                      "bytes": sum(entry.size for entry in entries),
                      "items": [entry.as_json() for entry in entries]},
        }
        _write_manifest(dest, manifest)
    except BaseException:
        if created:
            shutil.rmtree(dest, ignore_errors=True)
        else:
            for child in dest.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise
    return dest, manifest


# --------------------------------------------------------------------------- comparison


@dataclass
class TableCheck:
    name: str
    expected: dict | None
    actual: db.TableSum | None

    @property
    def ok(self) -> bool:
        return (self.expected is not None and self.actual is not None
                and self.expected["rows"] == self.actual.rows and self.expected["checksum"] == self.actual.checksum)

    @property
    def verdict(self) -> str:
        if self.expected is None:
            return _("bảng thừa (không có trong bản sao lưu)")
        if self.actual is None:
            return _("thiếu bảng")
        if self.expected["rows"] != self.actual.rows:
            return _("KHÁC số dòng")
        if self.expected["checksum"] != self.actual.checksum:
            return _("KHÁC nội dung (checksum)")
        return _("khớp")


@dataclass
class Report:
    """The outcome of a check or a restore: table by table, file by file."""

    tables: list[TableCheck] = field(default_factory=list)
    file_problems: list[str] = field(default_factory=list)
    files_checked: int = 0
    files_bytes: int = 0
    problems: list[str] = field(default_factory=list)  # about the backup itself (dump hash, restore failure)
    notes: list[str] = field(default_factory=list)  # worth reading, not a mismatch
    tolerate_extra_tables: bool = False

    @property
    def table_failures(self) -> list[TableCheck]:
        return [t for t in self.tables if not t.ok and not (t.expected is None and self.tolerate_extra_tables)]

    @property
    def ok(self) -> bool:
        return not (self.table_failures or self.file_problems or self.problems)

    def lines(self, *, all_tables: bool = True) -> list[str]:
        rows = [(t.name, "" if t.expected is None else str(t.expected["rows"]),
                 "" if t.actual is None else str(t.actual.rows), t.verdict)
                for t in self.tables if all_tables or not t.ok]
        head = (_("Bảng"), _("Dòng (sao lưu)"), _("Dòng (khôi phục)"), _("Kết quả"))
        out = []
        if rows:
            widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
            fmt = "  ".join(f"{{:{'<' if i in (0, 3) else '>'}{w}}}" for i, w in enumerate(widths))
            out += [fmt.format(*head).rstrip(), "  ".join("-" * w for w in widths)]
            out += [fmt.format(*r).rstrip() for r in rows]
        ok_tables = sum(1 for t in self.tables if t.ok)
        out.append(_("Bảng: %(ok)s/%(total)s khớp.") % {"ok": ok_tables, "total": len(self.tables)})
        out.append(_("Tệp: %(n)s tệp, %(size)s đã so SHA-256; %(bad)s khác.")
                   % {"n": self.files_checked, "size": human_size(self.files_bytes), "bad": len(self.file_problems)})
        out += [_("KHÁC: %(problem)s") % {"problem": p} for p in self.file_problems]
        out += [_("LỖI: %(problem)s") % {"problem": p} for p in self.problems]
        out += [_("Lưu ý: %(note)s") % {"note": n} for n in self.notes]
        return out


def compare_tables(expected: dict, actual: dict[str, db.TableSum]) -> list[TableCheck]:
    names = sorted(set(expected) | set(actual))
    return [TableCheck(name, expected.get(name), actual.get(name)) for name in names]


def compare_files(entries: list[dict], storage, report: Report) -> None:
    """Hash every manifest file in `storage` and record differences."""
    present = set(fs.storage_names(storage))
    for entry in entries:
        name = entry["name"]
        report.files_checked += 1
        report.files_bytes += entry["size"]
        if name not in present:
            report.file_problems.append(_("tệp %(name)s: thiếu sau khi khôi phục") % {"name": name})
            continue
        got = fs.hash_storage_file(storage, name)
        if got.size != entry["size"] or got.sha256 != entry["sha256"]:
            report.file_problems.append(_("tệp %(name)s: nội dung khác (SHA-256 %(got)s…, manifest %(want)s…)")
                                        % {"name": name, "got": got.sha256[:12], "want": entry["sha256"][:12]})


def _check_vendor(manifest: dict, settings_dict: dict) -> str:
    vendor = vendor_of(settings_dict)
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(_("Bản sao lưu là CSDL %(theirs)s, nhưng hệ thống đang cấu hình %(ours)s. Chuyển đổi giữa "
                            "hai loại CSDL: xem docs/operations.md (dumpdata/loaddata).")
                          % {"theirs": manifest["database"]["vendor"], "ours": vendor})
    return vendor


def _dump_problem(directory: Path, manifest: dict) -> str | None:
    path = directory / manifest["database"]["file"]
    if not path.is_file():
        return _("bản sao lưu thiếu tệp CSDL %(file)s") % {"file": path.name}
    if sha256_path(path) != manifest["database"].get("sha256"):
        return _("tệp CSDL %(file)s khác manifest (SHA-256): bản sao lưu đã bị sửa hoặc hỏng") % {"file": path.name}
    return None


def _files_note(manifest: dict, report: Report) -> None:
    if manifest["files"].get("included") is False:
        report.notes.append(_("bản sao lưu này không gồm tệp đã tải lên (tạo với --no-files)"))


# --------------------------------------------------------------------------- check


def check_backup(directory: Path | None = None, *, keep: Path | None = None, using: str = "default",
                 storage=None) -> tuple[Path | None, Report]:
    """Restore a backup into scratch targets and compare it with its manifest.

    With `directory`, check that existing backup; otherwise make a fresh
    backup of the live data first (into `keep`, or a temporary directory
    removed afterwards). The database goes into a new temporary database
    (PostgreSQL) or a temporary file (SQLite), the files into a temporary
    directory; the live database and storage are only read."""
    settings_dict = connections[using].settings_dict
    report = Report()
    with ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tinhso-backup-check-")))
        if directory is None:
            directory, _manifest = make_backup(keep or scratch / "backup", using=using, storage=storage)
            kept = keep
        else:
            directory, kept = Path(directory), Path(directory)
        manifest = load_manifest(directory)
        vendor = _check_vendor(manifest, settings_dict)
        problem = _dump_problem(directory, manifest)
        if problem:
            report.problems.append(problem)
        dump = directory / manifest["database"]["file"]
        actual: dict[str, db.TableSum] = {}
        if dump.is_file():
            try:
                if vendor == "postgresql":
                    params = stack.enter_context(db.pg_scratch_database(settings_dict))
                    db.pg_restore(params, dump)
                    actual, _migrations = db.pg_checksums_of(params)
                else:
                    target = scratch / "restore.sqlite3"
                    db.sqlite_restore(dump, target)
                    actual = db.sqlite_checksums(target)
            except BackupError as exc:
                report.problems.append(_("khôi phục CSDL thử thất bại: %(error)s") % {"error": exc})
        report.tables = compare_tables(manifest["tables"], actual)
        _files_note(manifest, report)
        scratch_storage = FileSystemStorage(location=str(scratch / "media"))
        restored = fs.restore_files(directory / "files", manifest["files"]["items"], scratch_storage)
        compare_files(manifest["files"]["items"], scratch_storage, report)
        for name in restored["extra"]:  # cannot happen in an empty directory, but say so if it does
            report.file_problems.append(_("tệp %(name)s: thừa sau khi khôi phục") % {"name": name})
    return kept, report


# --------------------------------------------------------------------------- restore


def _migration_notes(using: str) -> list[str]:
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connections[using])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        applied = set(executor.loader.applied_migrations)
    except Exception:  # noqa: BLE001 (a note, never a failure)
        return []
    notes = []
    if plan:
        notes.append(_("CSDL khôi phục thiếu %(n)s migration của mã nguồn hiện tại: chạy `manage.py migrate`.")
                     % {"n": len(plan)})
    unknown = applied - set(executor.loader.graph.nodes)
    if unknown:
        notes.append(_("CSDL khôi phục có %(n)s migration mà mã nguồn này không có: bản sao lưu từ phiên bản mới "
                       "hơn, hãy triển khai đúng phiên bản đó.") % {"n": len(unknown)})
    return notes


def restore_backup(directory: Path, *, using: str = "default", storage=None) -> Report:
    """Put the backup in `directory` back over the configured database and
    storage, then verify against the manifest. Refuses a backup whose own
    files do not match its manifest before anything is overwritten. Stop the
    app servers and workers first."""
    directory = Path(directory)
    settings_dict = connections[using].settings_dict
    storage = storage if storage is not None else default_storage
    manifest = load_manifest(directory)
    vendor = _check_vendor(manifest, settings_dict)
    problem = _dump_problem(directory, manifest)
    if problem:
        raise BackupError(_("Không khôi phục: %(problem)s.") % {"problem": problem})
    items = manifest["files"]["items"]
    broken = fs.verify_backup_files(directory / "files", items)
    if broken:
        raise BackupError(_("Không khôi phục: bản sao lưu hỏng:\n%(list)s") % {"list": "\n".join(broken)})
    dump = directory / manifest["database"]["file"]
    connections.close_all()
    if vendor == "postgresql":
        db.pg_check_archive(dump)
        params = db.pg_params(settings_dict)
        others = db.pg_other_sessions(params)
        if others:
            raise BackupError(_("Không khôi phục: còn %(n)s kết nối khác tới CSDL %(db)s. Dừng ứng dụng và tiến trình "
                                "nền rồi chạy lại. Không có gì bị thay đổi.\n%(list)s")
                              % {"n": len(others), "db": params.get("dbname"), "list": "\n".join(others)})
        db.pg_restore(params, dump)
        actual, _migrations = db.pg_checksums_of(params)
    else:
        live = db.sqlite_path(settings_dict)
        db.sqlite_restore(dump, live)
        actual = db.sqlite_checksums(live, readonly=False)
    report = Report(tolerate_extra_tables=True)
    report.tables = compare_tables(manifest["tables"], actual)
    for check in report.tables:
        if check.expected is None:
            report.notes.append(_("bảng %(name)s không có trong bản sao lưu, được giữ nguyên") % {"name": check.name})
    _files_note(manifest, report)
    restored = fs.restore_files(directory / "files", items, storage)
    compare_files(items, storage, report)
    if restored["extra"]:
        report.notes.append(_("%(n)s tệp trong kho không có trong bản sao lưu, được giữ nguyên (ví dụ %(name)s)")
                            % {"n": len(restored["extra"]), "name": restored["extra"][0]})
    report.notes.append(_("%(w)s tệp được ghi lại, %(u)s tệp đã đúng sẵn.")
                        % {"w": restored["written"], "u": restored["unchanged"]})
    report.notes += _migration_notes(using)
    return report
