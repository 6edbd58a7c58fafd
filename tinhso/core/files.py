"""Files in the storage (local folder or S3 through django-storages), through
the storage API only: listing every file, and sweeping the orphans.

An action stores its uploads before its transaction commits; when the
transaction then fails the rows roll back but the files stay. `sweep_orphans`
removes files under the platform's upload prefixes that no FileField of any
model references and that are older than a grace period (so an upload whose
transaction is still running is never taken). It reads the models from
Django's app registry, so core names no app of ours."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

log = logging.getLogger("tinhso.files")


def storage_names(storage, prefix: str = "") -> list[str]:
    """Every file name in `storage` under `prefix`, sorted (a missing folder is empty)."""
    try:
        dirs, files = storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return []
    names = [f"{prefix}/{name}" if prefix else name for name in files]
    for directory in dirs:
        names += storage_names(storage, f"{prefix}/{directory}" if prefix else directory)
    return sorted(names)


def referenced_names() -> set[str]:
    """Every file name a FileField of any installed model holds."""
    names: set[str] = set()
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.FileField):
                names.update(n for n in model._default_manager.exclude(**{f.name: ""})
                             .values_list(f.name, flat=True).iterator() if n)
    return names


@dataclass
class SweepReport:
    removed: list[str] = field(default_factory=list)
    kept_young: int = 0
    referenced: int = 0
    dry_run: bool = False


def sweep_orphans(*, storage=None, grace: datetime.timedelta | None = None, dry_run: bool = False,
                  now: datetime.datetime | None = None) -> SweepReport:
    storage = storage if storage is not None else default_storage
    grace = grace if grace is not None else datetime.timedelta(hours=settings.TINHSO_ORPHAN_GRACE_HOURS)
    limit = (now or timezone.now()) - grace
    report = SweepReport(dry_run=dry_run)
    # Names are listed before the references are read: a file saved in between is referenced or young.
    candidates = [name for prefix in settings.TINHSO_UPLOAD_PREFIXES
                  for name in storage_names(storage, prefix.strip("/"))]
    wanted = referenced_names()
    for name in candidates:
        if name in wanted:
            report.referenced += 1
            continue
        try:
            modified = storage.get_modified_time(name)
        except (FileNotFoundError, NotImplementedError):
            continue
        if timezone.is_naive(modified):
            modified = timezone.make_aware(modified)
        if modified > limit:
            report.kept_young += 1
            continue
        report.removed.append(name)
        if not dry_run:
            storage.delete(name)
            log.info("removed orphaned file %s (modified %s)", name, modified.isoformat())
    if report.removed:
        log.warning("orphaned files %s: %d (%s)", "found" if dry_run else "removed", len(report.removed),
                    ", ".join(report.removed[:20]))
    return report
