from django.db import migrations

from tinhso.officialdocs.doctypes import ensure


def seed(apps, schema_editor):
    ensure(apps.get_model("officialdocs", "DocumentType"))


class Migration(migrations.Migration):
    dependencies = [("officialdocs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
