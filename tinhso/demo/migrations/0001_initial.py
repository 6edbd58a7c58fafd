"""ProvinceYearGeneration, moved here from core: the table core_provinceyeargeneration
already exists (core.0001), so only the migration state changes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = [("core", "0002_province_year_generation_to_demo")]
    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name="ProvinceYearGeneration",
                fields=[
                    ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                    ("dossiers", models.PositiveIntegerField(verbose_name="số hồ sơ")),
                    ("seed", models.IntegerField(verbose_name="hạt giống ngẫu nhiên")),
                    ("year", models.PositiveSmallIntegerField(blank=True, help_text="Để trống: 12 tháng tính đến thời điểm sinh dữ liệu.", null=True, verbose_name="năm")),
                    ("generator_version", models.PositiveSmallIntegerField(verbose_name="phiên bản bộ sinh")),
                    ("period_start", models.DateTimeField(verbose_name="từ thời điểm")),
                    ("period_end", models.DateTimeField(verbose_name="đến thời điểm")),
                    ("dossier_id_from", models.BigIntegerField(verbose_name="mã hồ sơ (id) đầu")),
                    ("dossier_id_to", models.BigIntegerField(verbose_name="mã hồ sơ (id) cuối")),
                    ("stats", models.JSONField(blank=True, default=dict, verbose_name="số liệu")),
                    ("seconds", models.FloatField(default=0, verbose_name="thời gian sinh (giây)")),
                    ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="thời điểm sinh")),
                ],
                options={"verbose_name": "bộ dữ liệu năm mô phỏng", "verbose_name_plural": "bộ dữ liệu năm mô phỏng",
                         "ordering": ["-id"], "db_table": "core_provinceyeargeneration"},
            ),
        ]),
    ]
