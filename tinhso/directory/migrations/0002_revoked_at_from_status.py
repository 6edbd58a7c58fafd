from django.db import migrations


def copy_revocation_times(apps, schema_editor):
    """Certificates revoked before `SigningCredential.revoked_at` existed: the
    time of their `revoked` status row (revocation is final, so the row was
    not changed since)."""
    CertificateStatus = apps.get_model("directory", "CertificateStatus")
    SigningCredential = apps.get_model("signatures", "SigningCredential")
    for status in CertificateStatus.objects.filter(state="revoked"):
        SigningCredential.objects.filter(pk=status.credential_id, revoked_at__isnull=True).update(
            revoked_at=status.changed_at)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial"), ("signatures", "0002_credential_revoked_at")]
    operations = [migrations.RunPython(copy_revocation_times, migrations.RunPython.noop)]
