"""Seed province-wide default targets for the dashboard's two indicators.

The values are DEFAULTS, not the province's decision, and are marked
unverified: 50% online dossiers is where indicator 3.3 of Decision
766/QĐ-TTg gives full marks; 95% finished on time is a placeholder an
administrator replaces with the figure of the province's own plan. Targets
are data (effective-dated, per agency subtree): change them in the back
office (Bảng điều hành → Quản lý chỉ tiêu), not here. See docs/dashboard.md."""

from django.db import migrations

DEFAULTS = [
    ("online_share", "50.00",
     "Mặc định: mức đạt điểm tối đa của chỉ số 3.3 theo Quyết định 766/QĐ-TTg; cần thay bằng chỉ tiêu của tỉnh."),
    ("on_time_rate", "95.00",
     "Mặc định do hệ thống đặt, chưa có căn cứ; cần thay bằng chỉ tiêu trong kế hoạch của tỉnh."),
]


def seed(apps, schema_editor):
    KpiTarget = apps.get_model("dashboard", "KpiTarget")
    for indicator, target, basis in DEFAULTS:
        if not KpiTarget.objects.filter(indicator=indicator, agency__isnull=True).exists():
            KpiTarget.objects.create(indicator=indicator, target=target, basis=basis, verified=False)


def unseed(apps, schema_editor):
    KpiTarget = apps.get_model("dashboard", "KpiTarget")
    for indicator, target, basis in DEFAULTS:
        KpiTarget.objects.filter(indicator=indicator, agency__isnull=True, basis=basis).delete()


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
