from django.db import migrations


def forwards(apps, schema_editor):
    from tinhso.serviceindex.seed import install

    install(apps.get_model("serviceindex", "Methodology"), apps.get_model("serviceindex", "IndicatorGroup"),
            apps.get_model("serviceindex", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("serviceindex", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
