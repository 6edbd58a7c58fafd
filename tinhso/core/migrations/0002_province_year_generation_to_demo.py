"""ProvinceYearGeneration moved to the demo app (tinhso/demo); its table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel("ProvinceYearGeneration")]),
    ]
