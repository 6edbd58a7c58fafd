"""The uploaded-files half of a backup, through the Django storage API only
(listdir / open / save / delete), so it works the same for the local
FileSystemStorage and an object store (django-storages S3)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.utils.translation import gettext as _

from tinhso.backups.errors import BackupError
from tinhso.core.files import storage_names  # noqa: F401  (used here and by engine.py as fs.storage_names)

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class FileEntry:
    name: str
    size: int
    sha256: str

    def as_json(self) -> dict:
        return {"name": self.name, "size": self.size, "sha256": self.sha256}


def safe_relative(name: str) -> PurePosixPath:
    """`name` as a relative path with no `..`: a manifest cannot write outside its tree."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or any(part in ("", ".", "..") for part in name.split("/")):
        raise BackupError(_("Tên tệp không hợp lệ trong bản sao lưu: %(name)s") % {"name": name})
    return path


def _copy(source, target) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if target is not None:
            target.write(chunk)
    return size, digest.hexdigest()


def hash_storage_file(storage, name: str) -> FileEntry:
    with storage.open(name, "rb") as handle:
        size, sha = _copy(handle, None)
    return FileEntry(name, size, sha)


def hash_path(path: Path, name: str) -> FileEntry:
    with open(path, "rb") as handle:
        size, sha = _copy(handle, None)
    return FileEntry(name, size, sha)


def backup_files(storage, dest: Path) -> list[FileEntry]:
    """Copy every file of `storage` under `dest`, hashing while copying (the
    hash is of the bytes written to the backup)."""
    entries = []
    for name in storage_names(storage):
        target = dest / safe_relative(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with storage.open(name, "rb") as source, open(target, "wb") as out:
                size, sha = _copy(source, out)
        except FileNotFoundError:
            target.unlink(missing_ok=True)
            continue  # deleted while we walked: it is not part of this backup
        entries.append(FileEntry(name, size, sha))
    return entries


def verify_backup_files(source_dir: Path, entries: list[dict]) -> list[str]:
    """Problems of the backup's own copies against the manifest (empty = intact)."""
    problems = []
    for entry in entries:
        path = source_dir / safe_relative(entry["name"])
        if not path.is_file():
            problems.append(_("tệp %(name)s: không có trong bản sao lưu") % {"name": entry["name"]})
        elif hash_path(path, entry["name"]).sha256 != entry["sha256"]:
            problems.append(_("tệp %(name)s: nội dung khác manifest (SHA-256)") % {"name": entry["name"]})
    return problems


def restore_files(source_dir: Path, entries: list[dict], storage) -> dict:
    """Put every file of the manifest back into `storage`. A file already
    there with the same SHA-256 is left alone; files in the storage that the
    backup does not know are kept and reported (they may be uploads made after
    the backup; an operator decides). A file missing from the backup is
    reported in "missing" (restore refuses such a backup beforehand)."""
    written = skipped = 0
    wanted = set()
    missing = []
    for entry in entries:
        name = entry["name"]
        path = source_dir / safe_relative(name)
        wanted.add(name)
        if not path.is_file():
            missing.append(name)
            continue
        if storage.exists(name):
            if hash_storage_file(storage, name).sha256 == entry["sha256"]:
                skipped += 1
                continue
            storage.delete(name)
        with open(path, "rb") as handle:
            saved = storage.save(name, File(handle, name=PurePosixPath(name).name))
        if saved != name:
            raise BackupError(_("Kho tệp lưu %(name)s dưới tên khác (%(saved)s).") % {"name": name, "saved": saved})
        written += 1
    extra = [name for name in storage_names(storage) if name not in wanted]
    return {"written": written, "unchanged": skipped, "extra": extra, "missing": missing}
