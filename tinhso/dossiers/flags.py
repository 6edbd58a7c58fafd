"""Cờ chỉ số của hồ sơ: per-dossier flags that the service index of
Decision 766 counts (docs/service-index.md, "Per-dossier flags"), kept on the
dossier row by the actions that change what they summarise, in the same
transaction, so that the index is one pass over the dossiers instead of
sub-selects of the events, components and payments tables.

| flag | true when | kept by |
| --- | --- | --- |
| `portal_synced` | every history event is `synced` with the national portal | `write_event` (false), the sender's acknowledgement |
| `fee_settled` | a payment is paid or refunded | `payments` settlement and refund |
| `paid_online` | a payment paid (or refunded) online | idem |
| `components_digitised` | a digitised component and no received paper-only one | reception |
| `data_reused` | a component taken from the data store or a national database | reception |
| `population_paper` | a component taken from the population database | reception |

The conditions on the raw rows live here only (the index's drill-down and
`refresh` read them); `refresh` recomputes flags from raw rows — the actions
call it for one dossier, the backfill migration and maintenance for many. The
tests of the index recount every indicator from the raw rows, which proves the
flags right."""

from __future__ import annotations

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When

from tinhso.dossiers.models.choices import Digitisation

SETTLED_PAYMENTS = ("paid", "refunded")  # payments.PaymentStatus.PAID, REFUNDED (no import: migrations use it)
POPULATION = "population"

GROUPS = {
    "sync": ("portal_synced",),
    "payments": ("fee_settled", "paid_online"),
    "components": ("components_digitised", "data_reused", "population_paper"),
}
ALL = tuple(f for names in GROUPS.values() for f in names)


def undigitised_component() -> Q:
    """A received paper kept on paper only (or received before digitisation was recorded) and not reused."""
    return (Q(received=True) & Q(digitisation__in=(Digitisation.PAPER, "")) & Q(reused_from_data_store=False)
            & Q(national_source=""))


def digitised_component() -> Q:
    return (Q(digitisation__in=(Digitisation.SCANNED, Digitisation.BORN_DIGITAL)) | Q(reused_from_data_store=True)
            | ~Q(national_source=""))


def reused_component() -> Q:
    return Q(reused_from_data_store=True) | ~Q(national_source="")


def component_flags(components) -> dict:
    """The `components` flags of components held in memory (reception writes them with the new dossier row, no
    extra query): the same conditions as above, on instances (`DossierComponent.is_digitised` mirrors
    `digitised_component`; the index's tests recount from raw rows)."""
    components = list(components)
    paper_only = any(c.received and not c.is_digitised for c in components)
    return {"components_digitised": any(c.is_digitised for c in components) and not paper_only,
            "data_reused": any(c.reused_from_data_store or c.national_source for c in components),
            "population_paper": any(c.national_source == POPULATION for c in components)}


def _models(models):
    if models is not None:
        return models
    from tinhso.dossiers.models import DossierComponent, DossierEvent
    from tinhso.payments.models import PaymentRequest

    return {"component": DossierComponent, "event": DossierEvent, "payment": PaymentRequest}


def _bool(condition) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def expressions(names=ALL, models=None) -> dict:
    """Flag name -> the expression recomputing it from raw rows (correlated with the dossier row). `models`: the
    component, event and payment models (historical ones in a migration)."""
    m = _models(models)

    def comp(condition: Q):
        return Exists(m["component"].objects.filter(condition, dossier_id=OuterRef("pk")))

    def pay(**conditions):
        return Exists(m["payment"].objects.filter(dossier_id=OuterRef("pk"), status__in=SETTLED_PAYMENTS,
                                                  **conditions))

    every = {
        "portal_synced": _bool(~Exists(m["event"].objects.filter(dossier_id=OuterRef("pk"))
                                       .exclude(sync_status="synced"))),
        "fee_settled": _bool(pay()),
        "paid_online": _bool(pay(method="online")),
        "components_digitised": _bool(Q(comp(digitised_component())) & ~Q(comp(undigitised_component()))),
        "data_reused": _bool(comp(reused_component())),
        "population_paper": _bool(comp(Q(national_source=POPULATION))),
    }
    return {name: every[name] for name in names}


def refresh(dossier, group: str | None = None) -> None:
    """Recompute the flags of one dossier (an instance or an id) from its raw rows, under its row lock (so that
    two transactions changing its payments or events one after the other each see the other's rows). `group`:
    only the flags of `sync`, `payments` or `components`. A given instance gets the new values too, so that a
    later save of it does not write stale flags back."""
    from tinhso.dossiers.models import Dossier

    pk = getattr(dossier, "pk", dossier)
    names = GROUPS[group] if group else ALL
    qs = Dossier.objects.filter(pk=pk)
    list(qs.select_for_update().values_list("pk"))
    qs.update(**expressions(names))
    if isinstance(dossier, Dossier):
        values = qs.values(*names).first() or {}
        for name, value in values.items():
            setattr(dossier, name, value)
            if getattr(dossier, "_as_read", None) is not None:
                dossier._as_read[name] = value


def refresh_many(queryset, models=None, group: str | None = None, batch: int = 50_000) -> int:
    """Recompute the flags (`group`: only those of one group) of the dossiers of `queryset` (the backfill,
    maintenance, bulk acknowledgements), by id batches."""
    names = GROUPS[group] if group else ALL
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for lo in range(0, len(ids), batch):
        chunk = ids[lo:lo + batch]
        queryset.model.objects.filter(pk__in=chunk).update(**expressions(names, models))
    return len(ids)


__all__ = ["ALL", "GROUPS", "component_flags", "digitised_component", "expressions", "refresh", "refresh_many", "reused_component",
           "undigitised_component"]
