import datetime
from zoneinfo import ZoneInfo

from django.db import migrations

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def seed(apps, schema_editor):
    """The forms of Circular 03/2025/TT-VPCP from 15 September 2025 (the date the domain notes give for the
    circular; an administrator corrects it at /policies/ if the effective date differs)."""
    Policy = apps.get_model("policies", "Policy")
    Policy.objects.get_or_create(key="dossiers.form_edition", effective_from=datetime.datetime(2025, 9, 15, tzinfo=VN),
                                 defaults={"value": "03/2025", "note": "Thông tư 03/2025/TT-VPCP (ngày chưa đối chiếu)"})


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0006_book_and_form_01"), ("policies", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
