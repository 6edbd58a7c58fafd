"""The seeds count "105 OCOP and 904 farm products on e-commerce platforms" (Bến Tre). 0003 seeded the whole
(1,009 products); this adds the OCOP part (105), counted live by the farmproducts app under the same key (products
with OCOP stars and at least one shop link). Unverified, like the others."""

from django.db import migrations

KEY = "ocop_on_ecommerce"
TARGET = {
    "label": "Sản phẩm OCOP trên sàn thương mại điện tử",
    "target": 105,
    "unit": "sản phẩm",
    "kind": "count",
    "group": "economy",
    "level": "",
    "basis": ("Số liệu nêu trong bài viết nguồn về chuyển đổi số tỉnh Bến Tre (105 sản phẩm OCOP và 904 sản phẩm "
              "nông nghiệp trên sàn thương mại điện tử); tỉnh thay bằng chỉ tiêu trong kế hoạch của mình (chưa đối "
              "chiếu văn bản)"),
    "source_issuer": "Bài viết nguồn về chuyển đổi số tỉnh Bến Tre",
    "verified": False,
}


def seed(apps, schema_editor):
    ProgrammeTarget = apps.get_model("dashboard", "ProgrammeTarget")
    if not ProgrammeTarget.objects.filter(key=KEY).exists():
        ProgrammeTarget.objects.create(key=KEY, **TARGET)


def unseed(apps, schema_editor):
    apps.get_model("dashboard", "ProgrammeTarget").objects.filter(key=KEY, verified=False).delete()


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0006_seed_communes_with_teams")]
    operations = [migrations.RunPython(seed, unseed)]
