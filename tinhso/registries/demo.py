"""Demo: which papers of the demo catalogue the national databases supply."""

from __future__ import annotations

from django.db import transaction

from tinhso.audit.actions import record
from tinhso.catalogue.models import RequiredComponent
from tinhso.registries.models import Source

# (procedure code or None for every procedure, start of the paper's name, source)
DEMO_SOURCES = [
    (None, "Giấy tờ tùy thân của người nộp hồ sơ", Source.POPULATION),
    ("1.004884", "Bản sao Giấy khai sinh", Source.BIRTH),  # đăng ký lại khai sinh
]


@transaction.atomic
def mark_national_sources() -> int:
    """Set `national_source` on the demo's papers (idempotent; saved one by one so that the reference
    cache's token is bumped)."""
    marked = 0
    for procedure, name, source in DEMO_SOURCES:
        rows = RequiredComponent.objects.filter(name__startswith=name).exclude(national_source=source)
        if procedure:
            rows = rows.filter(case__procedure__code=procedure)
        for row in rows:
            row.national_source = source
            row.save(update_fields=["national_source"])
            marked += 1
    if marked:
        record(actor=None, action="registries.demo_sources", changes={"marked": marked}, note="demo")
    return marked
