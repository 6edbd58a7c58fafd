"""Payments (requests and lines) and satisfaction evaluations of the generated dossiers."""

from __future__ import annotations

from tinhso.demo.province_year.common import COUNTER, HOUR, NAT, NULL, ONLINE, POST, RETURNED, US
from tinhso.demo.province_year.distributions import EVALUATION_COMMENTS, P_EVALUATE


def _write_payments(ctx, pay) -> None:
    np = ctx.np
    if not pay["id"]:
        return
    ids = np.concatenate(pay["id"])
    k = len(ids)

    def flat(name):
        return [x for p in pay[name] for x in p]

    def cat(name):
        return np.concatenate(pay[name])

    cases = flat("case")
    ctx.loader.write("payments_paymentrequest", [
        ("id", "i", ids), ("dossier_id", "i", cat("dossier_id")), ("agency_id", "i", cat("agency_id")),
        ("reference", "s", [f"SL{p:012d}" for p in ids.tolist()]), ("moment", "s", flat("moment")),
        ("method", "s", flat("method")), ("status", "s", flat("status")), ("amount", "i", cat("amount")),
        ("description", "s", flat("description")), ("note", "s", ""), ("payer_name", "s", flat("payer_name")),
        ("partner_code", "s", ""), ("channel", "s", flat("channel")),
        ("gateway_transaction_id", "s", flat("gateway_transaction_id")),
        ("gateway_status", "s", flat("gateway_status")), ("gateway_status_at", "t", cat("paid_at")),
        ("started_at", "t", cat("started_at")), ("paid_at", "t", cat("paid_at")),
        ("counter_receipt_no", "s", flat("counter_receipt_no")), ("collected_by_id", "i", cat("collected_by_id")),
        ("cancel_reason", "s", ""), ("refund_reason", "s", ""), ("refund_transaction_id", "s", ""),
        ("created_by_id", "i", cat("created_by_id")), ("created_at", "t", cat("created_at")),
        ("updated_at", "t", np.where(cat("paid_at") != NAT, cat("paid_at"), cat("created_at"))),
    ], k)
    # lines: one per fee of the case
    line_pay, line_pos, line_kind, line_name, line_amount, line_fee = [], [], [], [], [], []
    for pid, case in zip(ids.tolist(), cases):
        for pos, (fee_id, kind, name, amount) in enumerate(case.fees, 1):
            line_pay.append(pid)
            line_pos.append(pos)
            line_kind.append(kind)
            line_name.append(name[:500])
            line_amount.append(amount)
            line_fee.append(fee_id)
    ctx.loader.write("payments_paymentline", [
        ("payment_id", "i", np.array(line_pay, dtype=np.int64)), ("position", "i", np.array(line_pos)),
        ("kind", "s", line_kind), ("name", "s", line_name), ("amount", "i", np.array(line_amount, dtype=np.int64)),
        ("fee_id", "i", np.array(line_fee, dtype=np.int64))], len(line_pay))


def _write_evaluations(ctx, rng, D, plan) -> None:
    np = ctx.np
    w = ctx.world
    n = len(D["status"])
    returned = D["status"] == RETURNED
    p = np.select([plan["channel"] == ONLINE, plan["channel"] == COUNTER], [P_EVALUATE[ONLINE], P_EVALUATE[COUNTER]],
                  P_EVALUATE[POST])
    at = D["returned_at"] + (rng.uniform(0.05, 72, n) * HOUR).astype(np.int64)
    at -= at % US
    m = np.nonzero(returned & (rng.random(n) < p) & (at <= ctx.end))[0]
    if not len(m) or not w.criteria:
        return
    k = len(m)
    late = D["outcome"][m] == "late"
    r = rng.random(k)
    levels = np.array(["very_satisfied", "satisfied", "not_satisfied"], dtype=object)
    overall = np.where(late, np.select([r < 0.2, r < 0.65], [0, 1], 2), np.select([r < 0.64, r < 0.97], [0, 1], 2))
    eids = ctx.evaluation_id + np.arange(k, dtype=np.int64)
    ctx.evaluation_id += k
    has_comment = rng.random(k) < 0.12
    comments = [rng.choice(EVALUATION_COMMENTS[levels[o]]) if c else ""
                for o, c in zip(overall.tolist(), has_comment.tolist())]
    ctx.loader.write("evaluations_evaluation", [
        ("id", "i", eids), ("dossier_id", "i", ctx.chunk_ids[m]), ("citizen_id", "i", NULL),
        ("overall", "s", levels[overall].tolist()), ("comment", "s", [str(c) for c in comments]),
        ("created_at", "t", at[m])], k)
    c = len(w.criteria)
    crit_ids = np.array([cid for cid, _ in w.criteria], dtype=np.int64)
    is_overall = np.array([code == "overall" for _, code in w.criteria])
    rating = np.repeat(overall, c)
    drift = rng.random(k * c)
    rating = np.where(drift < 0.10, np.minimum(rating + 1, 2), np.where(drift < 0.18, np.maximum(rating - 1, 0),
                                                                         rating))
    rating = np.where(np.tile(is_overall, k), np.repeat(overall, c), rating)
    ctx.loader.write("evaluations_criterionrating", [
        ("evaluation_id", "i", np.repeat(eids, c)), ("criterion_id", "i", np.tile(crit_ids, k)),
        ("rating", "s", levels[rating].tolist())], k * c)
