"""The seeds' second figure of the community digital technology teams: "1,340 teams in 235 communes". The
teams (1,340) were seeded in 0003; this adds the communes with teams (235), counted live by the digitalteams
app under the same key. Unverified, like the others: the source is the seed article, not the province's plan."""

from django.db import migrations

KEY = "communes_with_teams"
TARGET = {
    "label": "Xã, phường có tổ công nghệ số cộng đồng",
    "target": 235,
    "unit": "xã, phường",
    "kind": "count",
    "group": "society",
    "level": "",
    "basis": ("Số liệu nêu trong bài viết nguồn về chuyển đổi số tỉnh Hải Dương (1.340 tổ công nghệ số cộng đồng ở "
              "235 xã, phường); tỉnh thay bằng chỉ tiêu trong kế hoạch chuyển đổi số của mình (chưa đối chiếu văn "
              "bản)"),
    "source_issuer": "Bài viết nguồn về chuyển đổi số tỉnh Hải Dương",
    "verified": False,
}


def seed(apps, schema_editor):
    ProgrammeTarget = apps.get_model("dashboard", "ProgrammeTarget")
    if not ProgrammeTarget.objects.filter(key=KEY).exists():
        ProgrammeTarget.objects.create(key=KEY, **TARGET)


def unseed(apps, schema_editor):
    apps.get_model("dashboard", "ProgrammeTarget").objects.filter(key=KEY, verified=False).delete()


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0005_seed_programme_2025")]
    operations = [migrations.RunPython(seed, unseed)]
