"""Two-factor sign-in is required for the system administrator from the start
(a dated rule the province may change at /accounts/two-factor/)."""

import datetime

from django.db import migrations


def forwards(apps, schema_editor):
    TwoFactorRule = apps.get_model("accounts", "TwoFactorRule")
    TwoFactorRule.objects.get_or_create(
        role="system_admin", effective_from=datetime.date(2025, 1, 1),
        defaults={"required": True, "note": "Mặc định: quản trị hệ thống luôn xác thực hai bước."})


def backwards(apps, schema_editor):
    apps.get_model("accounts", "TwoFactorRule").objects.filter(
        role="system_admin", effective_from=datetime.date(2025, 1, 1)).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_signin_protection")]
    operations = [migrations.RunPython(forwards, backwards)]
