from django.db import migrations


def fix(apps, schema_editor):
    """Consumed services seeded before: their specification links pointed at
    anchors that did not exist and they had no version. An administrator's
    own edit (any other value) is kept."""
    from tinhso.integration.registry import CONSUMED, CONSUMED_VERSIONS, OLD_SPECS

    Service = apps.get_model("integration", "Service")
    for code, (_name, _owner, spec) in CONSUMED.items():
        row = Service.objects.filter(code=code).first()
        if row is None:
            continue
        if row.spec_url in OLD_SPECS:
            row.spec_url = spec
        if not row.version:
            row.version = CONSUMED_VERSIONS.get(code, "")
        row.save(update_fields=["spec_url", "version"])


class Migration(migrations.Migration):
    dependencies = [("integration", "0003_log_head_mac_and_checkpoints")]
    operations = [migrations.RunPython(fix, migrations.RunPython.noop)]
