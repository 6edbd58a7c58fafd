"""Files written by an action whose transaction then failed are swept by the
daily job; referenced files and young files are kept."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from tinhso.core.files import storage_names, sweep_orphans
from tinhso.core.tasks import sweep_orphan_files_task
from tinhso.dossiers.actions._base import store_files
from tinhso.dossiers.models import DossierFile
from tinhso.dossiers.tests.conftest import pdf, receive


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return tmp_path / "media"


def test_a_failed_actions_file_is_swept_after_the_grace_period(world, media):
    d = receive(world)
    kept = store_files(d, [pdf("giu-lai.pdf")], kind="attachment", actor=world.clerk)[0]
    with pytest.raises(RuntimeError), transaction.atomic():
        store_files(d, [pdf("mo-coi.pdf")], kind="attachment", actor=world.clerk)
        raise RuntimeError("the action failed after storing its file")
    names = storage_names(default_storage, "dossiers")
    orphan = next(n for n in names if "mo-coi" in n)
    assert not DossierFile.objects.filter(file=orphan).exists()

    young = sweep_orphans()  # within the grace period: an upload may still be committing
    assert young.removed == [] and young.kept_young >= 1

    later = timezone.now() + datetime.timedelta(hours=25)
    trial = sweep_orphans(now=later, dry_run=True)
    assert trial.removed == [orphan] and default_storage.exists(orphan)
    report = sweep_orphans(now=later)
    assert report.removed == [orphan] and not default_storage.exists(orphan)
    assert default_storage.exists(kept.file.name) and report.referenced >= 1


def test_the_command_and_the_periodic_job_sweep(world, media, settings, capsys):
    settings.TINHSO_ORPHAN_GRACE_HOURS = 1
    name = default_storage.save("datastore/0/lac.pdf", ContentFile(b"%PDF-1.4"))
    old = (timezone.now() - datetime.timedelta(hours=2)).timestamp()
    import os

    os.utime(default_storage.path(name), (old, old))
    call_command("sweep_orphan_files", "--dry-run")
    assert "sẽ xóa datastore/0/lac.pdf" in capsys.readouterr().out and default_storage.exists(name)
    assert "removed 1" in sweep_orphan_files_task.call_local()
    assert not default_storage.exists(name)


def test_files_outside_the_upload_prefixes_are_never_touched(db, media):
    name = default_storage.save("backups/khong-dung.txt", ContentFile(b"x"))
    report = sweep_orphans(now=timezone.now() + datetime.timedelta(days=30))
    assert report.removed == [] and default_storage.exists(name)
