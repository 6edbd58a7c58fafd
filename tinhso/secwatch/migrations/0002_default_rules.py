from django.db import migrations

from tinhso.secwatch.defaults import DEFAULT_RULES


def add_rules(apps, schema_editor):
    AlertRule = apps.get_model("secwatch", "AlertRule")
    for name, kind, threshold, window, group, severity in DEFAULT_RULES:
        AlertRule.objects.get_or_create(name=name, defaults={
            "kind": kind, "threshold": threshold, "window_minutes": window, "group_by": group, "severity": severity})


class Migration(migrations.Migration):
    dependencies = [("secwatch", "0001_initial")]
    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
