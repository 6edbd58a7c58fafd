"""The papers (DossierComponent) of one case's generated dossiers with their digitisation, the form of their
results, and the dossiers' index flags that summarise them (tinhso/dossiers/flags.py), as reception and
`digitise_result` would leave them (docs/data-generator.md, "Digitisation")."""

from __future__ import annotations

from tinhso.demo.province_year.common import HOUR, NAT, US
from tinhso.demo.province_year.distributions import (
    P_DATA_STORE, P_ELECTRONIC_RESULT, P_NATIONAL, P_RESULT_DIGITISED, P_SCAN_PAPER, P_SCANNED_DOSSIER,
)

COMPONENT_COLUMNS = ("dossier_id", "required_component_id", "name", "originals", "copies", "reused_from_data_store",
                     "digitisation", "national_source", "national_checked_at", "order")


def _papers(t, comp, D) -> None:
    """One component per required paper of the case for every dossier of the group (received: a counter dossier
    is received with its papers, an online one filed with them), then the result form of the finished ones."""
    np, rng, n = t.np, t.rng, t.n
    channel_p = {k: np.select([t.ch == c for c in v], list(v.values()), 0.0)
                 for k, v in (("national", P_NATIONAL), ("result", P_ELECTRONIC_RESULT))}
    filed_at = np.where(t.online, t.sub, t.rec)
    scanned_dossier = ~t.online & (rng.random(n) < P_SCANNED_DOSSIER)
    any_digitised = np.zeros(n, dtype=bool)
    paper_only = np.zeros(n, dtype=bool)
    reused = np.zeros(n, dtype=bool)
    population = np.zeros(n, dtype=bool)
    for order, (rid, name, originals, copies, store_ok, source) in enumerate(t.case.components):
        national = (rng.random(n) < channel_p["national"]) if source else np.zeros(n, dtype=bool)
        store = ~national & t.online & (rng.random(n) < P_DATA_STORE) if store_ok else np.zeros(n, dtype=bool)
        taken = national | store
        scanned = scanned_dossier & (rng.random(n) < P_SCAN_PAPER)
        digitisation = np.where(taken, "", np.where(t.online, "born_digital", np.where(scanned, "scanned", "paper")))
        any_digitised |= taken | (digitisation != "paper")
        paper_only |= digitisation == "paper"
        reused |= taken
        if source == "population":
            population |= national
        comp["dossier_id"].append(t.g.ids)
        comp["required_component_id"].append(np.full(n, rid, dtype=np.int64))
        comp["name"].append([name[:1000]] * n)
        comp["originals"].append(np.full(n, originals, dtype=np.int64))
        comp["copies"].append(np.full(n, copies, dtype=np.int64))
        comp["reused_from_data_store"].append(store)
        comp["digitisation"].append(digitisation.astype(object).tolist())
        comp["national_source"].append(np.where(national, source, "").astype(object).tolist())
        comp["national_checked_at"].append(np.where(national, filed_at, NAT))
        comp["order"].append(np.full(n, order, dtype=np.int64))
    D["components_digitised"][t.rows] = any_digitised & ~paper_only
    D["data_reused"][t.rows] = reused
    D["population_paper"][t.rows] = population
    # results: electronic (signed) or paper; part of the paper ones scanned within three days (not after the end)
    electronic = t.fin_ok & (rng.random(n) < channel_p["result"])
    paper = t.fin_ok & ~electronic
    digitised_at = t.t_fin + (rng.uniform(1, 72, n) * HOUR).astype(np.int64)
    digitised_at -= digitised_at % US
    digitised = paper & (rng.random(n) < P_RESULT_DIGITISED) & (digitised_at <= t.ctx.end)
    D["result_form"][t.rows] = np.where(electronic, "electronic", np.where(paper, "paper", "")).astype(object)
    D["result_digitised_at"][t.rows] = np.where(digitised, digitised_at, NAT)


def _write_papers(ctx, comp) -> None:
    np = ctx.np
    if not comp["dossier_id"]:
        return
    k = sum(len(x) for x in comp["dossier_id"])

    def cat(name):
        return np.concatenate(comp[name])

    def flat(name):
        return [x for part in comp[name] for x in part]

    ctx.loader.write("dossiers_dossiercomponent", [
        ("dossier_id", "i", cat("dossier_id")), ("required_component_id", "i", cat("required_component_id")),
        ("name", "s", flat("name")), ("originals", "i", cat("originals")), ("copies", "i", cat("copies")),
        ("received", "b", True), ("reused_from_data_store", "b", cat("reused_from_data_store")),
        ("digitisation", "s", flat("digitisation")), ("national_source", "s", flat("national_source")),
        ("national_reference", "s", ""), ("national_checked_at", "t", cat("national_checked_at")),
        ("note", "s", ""), ("order", "i", cat("order"))], k)


__all__ = ["COMPONENT_COLUMNS"]
