"""One chunk of dossiers (`_chunk`) and the timeline of one case's dossiers (`_case_group`):
reception, supplements, payments, apologies, steps, results, endings."""

from __future__ import annotations

from types import SimpleNamespace

from tinhso.demo.province_year.common import (
    FINISHED, HOUR, NAT, NEVER, NULL, ONLINE, OPEN, PAYMENT, POST, PROCESSING, RECEIVED, REFUSED, RETURNED, ROLES,
    STOPPED, SUBMITTED, SUPPLEMENT, US, WITHDRAWN, _add_unit, _addh, _iso, _sec,
)
from tinhso.demo.province_year.distributions import (
    APOLOGY_LEAD_HOURS, MERITS_REASONS, P_APOLOGY, P_LATE, P_NEVER_COLLECTED, P_REFUSE_MERITS, P_REFUSE_ONLINE,
    P_STOP, P_STUCK, P_SUPPLEMENT, P_SUPPLEMENT_DEFAULT, P_SUPPLEMENT_REFUSED, P_WITHDRAW, REASON_LATE,
    REFUSE_REASONS, STOP_REASONS, SUPPLEMENT_REASONS, SUPPLEMENT_REFUSED_REASON, WITHDRAW_REASONS,
)
from tinhso.demo.province_year.digitisation import COMPONENT_COLUMNS, _papers, _write_papers
from tinhso.demo.province_year.events import Events, Group, _pick
from tinhso.demo.province_year.extras import _write_evaluations, _write_payments
from tinhso.demo.province_year.plan import _codes, _owners
from tinhso.demo.province_year.world import _route_index


def _chunk(ctx, plan, rng, offset):
    np, w = ctx.np, ctx.world
    n = len(plan["case"])
    ctx.chunk_ids = ctx.first_id + offset + np.arange(n, dtype=np.int64)
    names, birth, id_numbers, phones, addresses, emails, has_mail = _owners(ctx, rng, plan, n)
    codes = ctx.chunk_codes = _codes(ctx, plan, n)
    events = Events(np)
    D = {  # dossier columns filled group by group
        "status": np.zeros(n, np.int64), "current_step_id": np.full(n, NULL, np.int64),
        "current_agency": np.zeros(n, np.int64), "current_role": np.zeros(n, np.int64),
        "current_handler": np.full(n, NULL, np.int64), "step_due_at": np.full(n, NAT, np.int64),
        "received_at": np.full(n, NAT, np.int64), "received_by": np.full(n, NULL, np.int64),
        "counting_from": np.full(n, NAT, np.int64), "due_at": np.full(n, NAT, np.int64),
        "original_due_at": np.full(n, NAT, np.int64), "finished_at": np.full(n, NAT, np.int64),
        "returned_at": np.full(n, NAT, np.int64), "closed_at": np.full(n, NAT, np.int64),
        "outcome": np.full(n, "", dtype=object), "result_summary": np.full(n, "", dtype=object),
        "result_number": np.full(n, "", dtype=object), "result_signer": np.full(n, "", dtype=object),
        "result_signed_at": np.full(n, NAT, np.int64), "return_method": np.full(n, "", dtype=object),
        "returned_to": np.full(n, "", dtype=object), "reason": np.full(n, "", dtype=object),
        "supplement_requests": np.zeros(n, np.int64), "version": np.ones(n, np.int64),
        "extensions": np.zeros(n, np.int64), "handled_at": np.full(n, NAT, np.int64),
        "result_kind": np.full(n, "", dtype=object),
        "updated_at": plan["sub"].copy(), "subject": np.full(n, "", dtype=object),
        "procedure_id": np.zeros(n, np.int64), "case_id": np.zeros(n, np.int64),
        "filer": np.zeros(n, bool),
        "result_form": np.full(n, "", dtype=object), "result_digitised_at": np.full(n, NAT, np.int64),
        # the index flags (tinhso/dossiers/flags.py), from the same draws as the rows they summarise
        "portal_synced": np.zeros(n, bool), "fee_settled": np.zeros(n, bool), "paid_online": np.zeros(n, bool),
        "components_digitised": np.zeros(n, bool), "data_reused": np.zeros(n, bool),
        "population_paper": np.zeros(n, bool),
    }
    pay = {k: [] for k in ("id", "dossier_id", "agency_id", "moment", "method", "status", "amount", "description",
                           "payer_name", "channel", "gateway_transaction_id", "gateway_status", "started_at",
                           "paid_at", "counter_receipt_no", "collected_by_id", "created_by_id", "created_at",
                           "case")}
    pauses = {k: [] for k in ("dossier_id", "reason", "started_at", "ended_at", "note")}
    papers = {k: [] for k in COMPONENT_COLUMNS}
    for ci, case in enumerate(w.cases):
        rows = np.nonzero(plan["case"] == ci)[0]
        if len(rows):
            _case_group(ctx, rng, case, rows, plan, names, events, D, pay, pauses, papers)

    # ---- dossiers
    status = D["status"]
    for k, v in zip(*np.unique(status, return_counts=True)):
        ctx.status_counts[int(k)] = ctx.status_counts.get(int(k), 0) + int(v)
    for k, v in zip(*np.unique(plan["channel"], return_counts=True)):
        ctx.channel_counts[int(k)] = ctx.channel_counts.get(int(k), 0) + int(v)
    for k, v in zip(*np.unique(D["outcome"].astype(str), return_counts=True)):
        if k:
            ctx.outcome_counts[k] = ctx.outcome_counts.get(k, 0) + int(v)
    open_ = np.isin(status, list(OPEN))
    ctx.overdue_open += int((open_ & (D["due_at"] != NAT) & (D["due_at"] < ctx.end)).sum())
    ctx.agencies_used.update(np.unique(np.r_[plan["rcv"], plan["cmp"]]).tolist())
    past_due = (D["due_at"] != NAT) & (D["due_at"] < ctx.end)
    filer = D["filer"]
    filer_names = [nm if f else "" for nm, f in zip(np.roll(np.array(names, dtype=object), 7).tolist(),
                                                     filer.tolist())]
    ai = w.agency_ids
    cols = [
        ("id", "i", ctx.chunk_ids), ("code", "s", codes), ("procedure_id", "i", D["procedure_id"]),
        ("case_id", "i", D["case_id"]), ("receiving_agency_id", "i", ai[plan["rcv"]]),
        ("competent_agency_id", "i", ai[plan["cmp"]]), ("current_agency_id", "i", ai[D["current_agency"]]),
        ("current_step_id", "i", D["current_step_id"]),
        ("current_role", "s", np.array(ROLES, dtype=object)[D["current_role"]]),
        ("current_handler_id", "i", w.staff_ids[D["current_handler"]]), ("step_due_at", "t", D["step_due_at"]),
        ("channel", "i", plan["channel"]), ("status", "i", status), ("area_id", "i", plan["area"]),
        ("subject", "s", D["subject"]), ("form_data", "s", "{}"), ("owner_name", "s", names),
        ("owner_id_type", "s", "cccd"), ("owner_id_number", "s", id_numbers), ("owner_birth_date", "d", birth),
        ("owner_address", "s", addresses), ("owner_phone", "s", phones), ("owner_email", "s", emails),
        ("owner_verified", "b", plan["channel"] == ONLINE), ("filer_name", "s", filer_names),
        ("filer_id_number", "s", [x if f else "" for x, f in zip(id_numbers[3:] + id_numbers[:3], filer.tolist())]),
        ("filer_phone", "s", [x if f else "" for x, f in zip(phones[5:] + phones[:5], filer.tolist())]),
        ("citizen_id", "i", NULL), ("notify_sms", "b", True), ("notify_email", "b", has_mail),
        ("submitted_at", "t", plan["sub"]), ("received_at", "t", D["received_at"]),
        ("received_by_id", "i", w.staff_ids[D["received_by"]]), ("counting_from", "t", D["counting_from"]),
        ("due_at", "t", D["due_at"]), ("original_due_at", "t", D["original_due_at"]),
        ("finished_at", "t", D["finished_at"]), ("returned_at", "t", D["returned_at"]),
        ("closed_at", "t", D["closed_at"]), ("outcome", "s", D["outcome"]),
        ("handled_at", "t", D["handled_at"]), ("result_kind", "s", D["result_kind"]),
        ("due_soon_notified", "b", past_due), ("overdue_notified", "b", past_due),
        ("result_summary", "s", D["result_summary"]), ("result_number", "s", D["result_number"]),
        ("result_signer", "s", D["result_signer"]), ("result_signed_at", "d", D["result_signed_at"]),
        ("return_method", "s", D["return_method"]), ("returned_to", "s", D["returned_to"]),
        ("reason", "s", D["reason"]), ("supplement_requests", "i", D["supplement_requests"]),
        ("extensions", "i", D["extensions"]), ("version", "i", D["version"]), ("created_at", "t", plan["sub"]),
        ("updated_at", "t", D["updated_at"]), ("result_form", "s", D["result_form"]),
        ("result_digitised_at", "t", D["result_digitised_at"]),
    ] + [(flag, "b", D[flag]) for flag in ("portal_synced", "fee_settled", "paid_online", "components_digitised",
                                             "data_reused", "population_paper")]
    ctx.loader.write("dossiers_dossier", cols, n)
    ctx.loader.write("dossiers_dossierevent", events.columns(), events.n)
    _write_papers(ctx, papers)
    if pauses["dossier_id"]:
        ctx.loader.write("dossiers_dossierpause", [
            ("dossier_id", "i", np.concatenate(pauses["dossier_id"])),
            ("reason", "s", [x for p in pauses["reason"] for x in p]),
            ("started_at", "t", np.concatenate(pauses["started_at"])),
            ("ended_at", "t", np.concatenate(pauses["ended_at"])),
            ("note", "s", [x for p in pauses["note"] for x in p])], sum(len(p) for p in pauses["dossier_id"]))
    _write_payments(ctx, pay)
    _write_evaluations(ctx, rng, D, plan)


def _case_group(ctx, rng, case, rows, plan, owner_names, events, D, pay, pauses, papers):
    """The dossiers of one case in a chunk: their timeline, then their columns, papers, pauses and payments."""
    t = _timeline(ctx, rng, case, rows, plan, owner_names, events)
    _columns(t, D)
    _papers(t, papers, D)
    _pauses(t, pauses)
    _payments(t, pay, D)


def _timeline(ctx, rng, case, rows, plan, owner_names, events) -> SimpleNamespace:
    """Reception, the steps, supplements, payments, apologies, results and endings of one case's dossiers, as
    events in time order; every array the later phases read, by name."""
    np, w = ctx.np, ctx.world
    g = Group(ctx, case, rows, plan, owner_names, events)
    n = g.n
    ch = plan["channel"][rows]
    sub, rec = plan["sub"][rows], plan["rec"][rows]
    rcv, cmp_ = plan["rcv"][rows], plan["cmp"][rows]
    steps, P, R = case.steps, case.finish, case.ret
    online = ch == ONLINE

    # agencies and handlers of each step
    st_agency = []
    for s in steps:
        if s.agency_id and s.agency_id in w.index:
            st_agency.append(np.full(n, w.index[s.agency_id], dtype=np.int64))
            continue
        pairs = rcv * 100_000 + cmp_
        uniq, inverse = np.unique(pairs, return_inverse=True)
        routed = np.array([_route_index(w.agencies, w.index, s, pr // 100_000, pr % 100_000, w.route_cache)
                           for pr in uniq.tolist()], dtype=np.int64)
        st_agency.append(routed[inverse.reshape(-1)])
    h = [_pick(ctx, rng, st_agency[j], steps[j].role) for j in range(len(steps))]
    clerk_ret = _pick(ctx, rng, rcv, "clerk")
    leader_cmp = _pick(ctx, rng, cmp_, "leader")

    # deadlines and the working-time plan (positions = working hours after the counting start)
    counting = _addh(w, rec, np.zeros(n))
    if case.no_appointment:
        due0 = np.full(n, NAT, dtype=np.int64)
        budget = np.full(n, sum(s.hours for s in steps[:P + 1]))
    else:
        amount = np.where(online & (case.online_time is not None), case.online_time or 0.0, case.time)
        due0 = _add_unit(w, rec, amount, case.unit)
        # same_day: about three working hours of work before the day's close (or the next day's)
        budget = amount * {"working_days": 8.0, "working_hours": 1.0, "days": 8.0 * 5 / 7,
                           "same_day": 3.0}.get(case.unit, 8.0)
    u = rng.random(n)
    f = 0.08 + rng.beta(2.0, 3.2, n) * 0.88
    late = u < P_LATE
    stuck = (u >= P_LATE) & (u < P_LATE + P_STUCK)
    f[late] = rng.uniform(1.03, 1.8, int(late.sum()))
    f[stuck] = rng.uniform(3.0, 60.0, int(stuck.sum()))
    work = f * budget
    allow = np.array([s.hours for s in steps[:P + 1]])
    share = allow[None, :] * rng.uniform(0.4, 1.6, (n, P + 1))
    share /= share.sum(axis=1, keepdims=True)
    dur = _sec(np, np.maximum(share * work[:, None], 0.03))
    ends = np.cumsum(dur, axis=1)
    starts = ends - dur

    v = rng.random(n)
    refused_online = online & (v < P_REFUSE_ONLINE)
    withdraw = (v >= P_REFUSE_ONLINE) & (v < P_REFUSE_ONLINE + P_WITHDRAW)
    stop = (v >= P_REFUSE_ONLINE + P_WITHDRAW) & (v < P_REFUSE_ONLINE + P_WITHDRAW + P_STOP)
    ks = 1 if P >= 1 else 0
    has_sup = (rng.random(n) < P_SUPPLEMENT.get(case.field_code, P_SUPPLEMENT_DEFAULT)) & ~stuck & ~refused_online
    sup_refused = has_sup & (rng.random(n) < P_SUPPLEMENT_REFUSED) & ~withdraw & ~stop
    sup_ok = has_sup & ~sup_refused
    ps_raw = _sec(np, starts[:, ks] + 0.5 * dur[:, ks])
    p_sup = _sec(np, rng.uniform(4, 40, n))
    kp = P - 1 if P >= 1 else 0
    if case.moment == "during_processing" and case.fee_total > 0:
        has_pay = ~refused_online.copy()
    elif case.field_code == "DD":
        has_pay = (rng.random(n) < 0.5) & ~refused_online
    else:
        has_pay = np.zeros(n, dtype=bool)
    has_pay &= ~sup_refused
    pp_raw = _sec(np, starts[:, kp] + 0.6 * dur[:, kp])
    p_pay = _sec(np, rng.uniform(2, 24, n))
    obligation = np.where(case.moment == "during_processing" and case.fee_total > 0, case.fee_total,
                          (rng.lognormal(14.2, 0.9, n) // 1000 * 1000).astype(np.int64))

    def shifted(raw):
        return (raw + np.where(sup_ok & (ps_raw < raw), p_sup, 0.0)
                + np.where(has_pay & (pp_raw < raw), p_pay, 0.0))

    def at(pos):
        return _addh(w, counting, pos)

    t_fwd = [None] + [at(shifted(ends[:, j - 1])) for j in range(1, P + 1)]
    t_fin = at(shifted(ends[:, P]))
    fin_pos = shifted(ends[:, P])
    t_ps = at(ps_raw)
    t_pe = at(ps_raw + p_sup)
    pp = pp_raw + np.where(sup_ok & (ps_raw < pp_raw), p_sup, 0.0)
    t_pp, t_ppe = at(pp), at(pp + p_pay)
    t_sup_refused = at(ps_raw + _sec(np, rng.uniform(60, 150, n)))
    withdraw &= ~refused_online
    stop &= ~refused_online
    # apology letters: part of the late dossiers, without waits, at least a working day before the appointment
    lead = rng.uniform(*APOLOGY_LEAD_HOURS, n)
    apol = (late & ~refused_online & ~has_sup & ~has_pay & ~withdraw & ~stop & (rng.random(n) < P_APOLOGY)
            & (budget - lead > ends[:, 0] + 0.1)) if not case.no_appointment else np.zeros(n, dtype=bool)
    t_apol = np.where(apol, at(np.maximum(budget - lead, 0.05)), NAT)
    j_apol = np.zeros(n, dtype=np.int64)
    for j in range(1, P + 1):
        j_apol += (apol & (t_fwd[j] <= t_apol)).astype(np.int64)
    merits = rng.random(n) < P_REFUSE_MERITS
    t_alt = np.where(withdraw | stop, at(_sec(np, rng.uniform(0.1, 0.95, n) * fin_pos)), NAT)
    # every ordinary transition happens strictly before `cut`
    cut = np.where(withdraw | stop, t_alt, NEVER)
    cut = np.where(refused_online, rec, cut)
    cut = np.where(sup_refused, t_ps + US, cut)
    # return: online results online/by post, counter ones mostly collected at the desk
    full_online = case.online_level == "full"
    r = rng.random(n)
    method = np.where(online, np.where(full_online & (r < 0.6), "online", np.where(r < 0.8, "post", "counter")),
                      np.where(ch == POST, "post", np.where(r < 0.9, "counter", "post"))).astype(object)
    ret_hours = np.where(method == "online", rng.uniform(0.05, 2, n),
                         np.where(method == "post", rng.uniform(4, 24, n), rng.lognormal(1.6, 1.0, n)))
    never = (method == "counter") & (rng.random(n) < P_NEVER_COLLECTED)
    t_ret = np.where(never, NAT, _addh(w, t_fin, np.minimum(ret_hours, 400)))

    # step deadlines
    enter = [rec] + t_fwd[1:]
    st_due = [_add_unit(w, enter[j], np.full(n, steps[j].amount), steps[j].unit) for j in range(P + 1)]
    due_ret = _add_unit(w, t_fin, np.full(n, steps[R].amount), steps[R].unit) if R is not None else None

    # ---- the transitions, in time order
    owner_n = g.owner
    clerk0 = h[0]
    if online.any():
        g.emit(online, sub, "submit", SUBMITTED, sender=NULL, sender_name=owner_n, to_step=NULL, agency=rcv,
               role="clerk", receiver=NULL, due=NAT, comment="Nộp hồ sơ trực tuyến", creation=True)
    refuse_reason = np.array(REFUSE_REASONS, dtype=object)[rng.integers(0, len(REFUSE_REASONS), n)]
    g.emit(refused_online, rec, "refuse", REFUSED, sender=clerk0, receiver=NULL, comment=refuse_reason)
    accepted = g.emit(online & (rec < cut), rec, "accept", RECEIVED, sender=clerk0, to_step=0,
                      agency=st_agency[0], role=steps[0].role, receiver=clerk0, due=st_due[0],
                      comment="Tiếp nhận hồ sơ trực tuyến")
    accepted |= g.emit(~online, rec, "receive", RECEIVED, sender=clerk0, to_step=0, agency=st_agency[0],
                       role=steps[0].role, receiver=clerk0, due=st_due[0], comment="Tiếp nhận hồ sơ", creation=True)
    sup_reason = np.array(SUPPLEMENT_REASONS, dtype=object)[rng.integers(0, len(SUPPLEMENT_REASONS), n)]
    sup_req = np.zeros(n, dtype=bool)
    sup_end = np.full(n, NAT, dtype=np.int64)
    pay_req = np.zeros(n, dtype=bool)
    pay_end = np.full(n, NAT, dtype=np.int64)
    due_now = due0.copy()
    apologised = np.full(n, NAT, dtype=np.int64)

    def pause_shift(start_t, hours, done):
        """Due times move by the paused working time (only if the pause began before them)."""
        nonlocal due_now
        m = done & (due_now != NAT) & (start_t < due_now)
        if m.any():
            due_now[m] = _addh(w, due_now[m], hours[m])

    for j in range(P + 1):
        if j >= 1:
            g.emit(t_fwd[j] < cut, t_fwd[j], "forward", PROCESSING, sender=h[j - 1], to_step=j,
                   agency=st_agency[j], role=steps[j].role, receiver=h[j], due=st_due[j], prev_due=st_due[j - 1],
                   from_step=True)
        if j == ks:
            sup_req = g.emit(has_sup & (t_ps < cut), t_ps, "request_supplement", SUPPLEMENT, sender=h[j],
                             comment=sup_reason)
            if online.any():
                t_sub2 = np.maximum(t_pe - (rng.uniform(0.2, 3, n) * HOUR).astype(np.int64), t_ps + 60 * US)
                t_sub2 -= t_sub2 % US
                g.emit(sup_req & sup_ok & online & (t_sub2 < cut), t_sub2, "submit_supplement", SUPPLEMENT,
                       sender=NULL, sender_name=owner_n, comment="Nộp hồ sơ bổ sung")
            step_due_shift = st_due[j].copy()
            m = st_due[j] > t_ps
            step_due_shift[m] = _addh(w, st_due[j][m], p_sup[m])
            done = g.emit(sup_req & sup_ok & (t_pe < cut), t_pe, "accept_supplement", PROCESSING, sender=h[j],
                          due=np.where(sup_ok, step_due_shift, st_due[j]), comment="Tiếp nhận hồ sơ bổ sung")
            sup_end = np.where(done, t_pe, sup_end)
            pause_shift(t_ps, p_sup, done)
            st_due[j] = np.where(done, step_due_shift, st_due[j])
            g.emit(sup_req & sup_refused, t_sup_refused, "refuse_after_supplement", REFUSED,
                   sender=clerk0, comment=SUPPLEMENT_REFUSED_REASON)
        if j == kp and has_pay.any():
            amount_txt = [f" ({x:,} đồng)".replace(",", ".") for x in obligation.tolist()]
            pay_req = g.emit(has_pay & (t_pp < cut), t_pp, "request_payment", PAYMENT, sender=h[j],
                             comment=np.array(["Yêu cầu thực hiện nghĩa vụ tài chính" + a for a in amount_txt],
                                              dtype=object))
            step_due_shift = st_due[j].copy()
            m = st_due[j] > t_pp
            step_due_shift[m] = _addh(w, st_due[j][m], p_pay[m])
            done = g.emit(pay_req & (t_ppe < cut), t_ppe, "confirm_payment", PROCESSING,
                          sender=np.where(online, NULL, h[j]), due=step_due_shift,
                          comment="Đã thực hiện nghĩa vụ tài chính")
            pay_end = np.where(done, t_ppe, pay_end)
            pause_shift(t_pp, p_pay, done)
            st_due[j] = np.where(done, step_due_shift, st_due[j])
        if j >= 1 and apol.any():
            here = apol & (j_apol == j)
            new_due = np.maximum(_addh(w, t_fin, rng.uniform(0.5, 16, n)), due_now + HOUR)
            new_due -= new_due % US
            apol_txt = np.array([f"{REASON_LATE}\nHẹn cũ: {_iso(a)} → hẹn mới: {_iso(b)}" if ok else ""
                                 for a, b, ok in zip(due_now.tolist(), new_due.tolist(), here.tolist())], dtype=object)
            done = g.emit(here & (t_apol < cut), t_apol, "apologise", PROCESSING, sender=leader_cmp, comment=apol_txt)
            apologised = np.where(done, new_due, apologised)
    summary = case.result_name or case.name
    if R is not None:
        fin_kw = dict(to_step=R, agency=st_agency[R], role="clerk", receiver=NULL, due=due_ret)
    else:
        fin_kw = dict(to_step=NULL, agency=rcv, role="clerk", receiver=NULL, due=NAT)
    merits_reason = np.array(MERITS_REASONS, dtype=object)[rng.integers(0, len(MERITS_REASONS), n)]
    refused_merits = g.emit(merits & (t_fin < cut), t_fin, "refuse_on_merits", FINISHED, sender=h[P],
                            prev_due=st_due[P], from_step=True, comment=merits_reason, **fin_kw)
    finished = g.emit(~merits & (t_fin < cut), t_fin, "finish", FINISHED, sender=h[P], prev_due=st_due[P],
                      from_step=True, comment=f"Có kết quả: {summary}"[:1000], **fin_kw) | refused_merits
    returned_to = owner_n
    returned = g.emit(finished & (t_ret < cut), t_ret, "return_result", RETURNED, sender=clerk_ret, receiver=NULL,
                      prev_due=due_ret if due_ret is not None else None, from_step=True,
                      comment=np.array([f"Trả kết quả cho {x}" for x in returned_to.tolist()], dtype=object))
    wd_reason = np.array(WITHDRAW_REASONS, dtype=object)[rng.integers(0, len(WITHDRAW_REASONS), n)]
    stop_reason = np.array(STOP_REASONS, dtype=object)[rng.integers(0, len(STOP_REASONS), n)]
    open_now = np.isin(g.status, list(OPEN))
    wd = g.emit(withdraw & open_now, t_alt, "withdraw", WITHDRAWN, sender=clerk_ret, receiver=NULL,
                comment=wd_reason)
    st = g.emit(stop & open_now & (g.status != SUBMITTED), t_alt, "stop", STOPPED, sender=leader_cmp,
                receiver=NULL, comment=stop_reason)
    return SimpleNamespace(**{k: v for k, v in locals().items() if k != "pause_shift"})


def _columns(t, D) -> None:
    """The dossier columns from the timeline (status, times, outcome judged against the original appointment)."""
    np, w = t.np, t.w
    # ---- dossier columns
    due_final = t.due_now  # the original appointment moved by the waits: outcomes are judged against it
    fin_ok = t.finished
    judged = fin_ok | t.st  # stopped dossiers count as handled (the default "dossiers.counted_closures" rule)
    t_judged = np.where(fin_ok, t.t_fin, np.where(t.st, t.t_alt, NAT))
    outcome = np.full(t.n, "", dtype=object)
    if judged.any():
        nodue = due_final == NAT
        same_day = (t_judged // (86400 * US)) == (due_final // (86400 * US))
        outcome = np.where(~judged, "", np.where(nodue, "on_time", np.where(
            t_judged > due_final, "late", np.where(same_day, "on_time", "early")))).astype(object)
    received = t.accepted
    refused = t.g.status == REFUSED
    closed_at = np.full(t.n, NAT, dtype=np.int64)
    closed_at = np.where(t.returned, t.t_ret, closed_at)
    closed_at = np.where(t.wd | t.st, t.t_alt, closed_at)
    closed_at = np.where(refused, t.g.last, closed_at)
    reason = np.full(t.n, "", dtype=object)
    reason = np.where(t.sup_req, t.sup_reason, reason)
    reason = np.where(refused & t.refused_online, t.refuse_reason, reason)
    reason = np.where(refused & ~t.refused_online, SUPPLEMENT_REFUSED_REASON, reason)
    reason = np.where(t.wd, t.wd_reason, reason)
    reason = np.where(t.st, t.stop_reason, reason)
    reason = np.where(t.refused_merits, t.merits_reason, reason)
    signer = w.staff_names[t.h[t.P]]
    days = np.where(fin_ok, t.t_fin, 0) // (86400 * US)
    yy = days.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
    result_number = np.array([f"{i % 9000 + 1}/{y}/KQ-{t.case.field_code}" if ok else ""
                              for i, y, ok in zip(t.g.ids.tolist(), yy.tolist(), fin_ok.tolist())], dtype=object)
    D["status"][t.rows] = t.g.status
    D["current_step_id"][t.rows] = np.array([s.id for s in t.steps] + [NULL], dtype=np.int64)[t.g.step]
    D["current_agency"][t.rows] = t.g.agency
    D["current_role"][t.rows] = t.g.role
    D["current_handler"][t.rows] = np.where(np.isin(t.g.status, list(OPEN)), t.g.handler, NULL)
    D["step_due_at"][t.rows] = t.g.due
    D["received_at"][t.rows] = np.where(received, t.rec, NAT)
    D["received_by"][t.rows] = np.where(received, t.clerk0, NULL)
    D["counting_from"][t.rows] = np.where(received, t.counting, NAT)
    D["due_at"][t.rows] = np.where(received, np.where(t.apologised != NAT, t.apologised, due_final), NAT)
    D["original_due_at"][t.rows] = np.where(received, due_final, NAT)
    D["extensions"][t.rows] = (t.apologised != NAT).astype(np.int64)
    D["finished_at"][t.rows] = np.where(fin_ok, t.t_fin, NAT)
    D["handled_at"][t.rows] = np.where(judged, t_judged, NAT)
    D["result_kind"][t.rows] = np.where(t.refused_merits, "refused", np.where(fin_ok, "granted", "")).astype(object)
    D["returned_at"][t.rows] = np.where(t.returned, t.t_ret, NAT)
    D["closed_at"][t.rows] = closed_at
    D["outcome"][t.rows] = outcome
    D["result_summary"][t.rows] = np.where(t.refused_merits, "Từ chối giải quyết: " + t.merits_reason.astype(str),
                                         np.where(fin_ok, t.summary[:1000], ""))
    D["result_number"][t.rows] = result_number
    D["result_signer"][t.rows] = np.where(fin_ok, signer, "")
    D["result_signed_at"][t.rows] = np.where(fin_ok, t.t_fin // (86400 * US), NAT)
    D["return_method"][t.rows] = np.where(t.returned, t.method, "")
    D["returned_to"][t.rows] = np.where(t.returned, t.returned_to, "")
    D["reason"][t.rows] = reason
    D["supplement_requests"][t.rows] = t.sup_req.astype(np.int64)
    D["version"][t.rows] = 1 + t.g.count
    D["updated_at"][t.rows] = np.where(t.g.last == NAT, t.sub, t.g.last)
    D["subject"][t.rows] = t.case.name[:500]
    D["procedure_id"][t.rows] = t.case.procedure_id
    D["case_id"][t.rows] = t.case.id
    D["filer"][t.rows] = t.case.authorised_filing & (t.rng.random(t.n) < 0.06)
    D["portal_synced"][t.rows] = ~t.g.unsynced
    t.__dict__.update({k: v for k, v in locals().items() if k not in ("t", "D")})


def _pauses(t, pauses) -> None:
    """The clock's pauses (supplement, payment) of the case's dossiers."""
    np = t.np
    # ---- pauses
    ids = t.g.ids
    for req, t_start, t_end, reason_code, note in (
            (t.sup_req, t.t_ps, t.sup_end, "supplement", [f"resume:{PROCESSING}"] * t.n),
            (t.pay_req, t.t_pp, t.pay_end, "payment", [f"amount:{x}" for x in t.obligation.tolist()])):
        if not req.any():
            continue
        closed = (t.closed_at != NAT) & (t.closed_at >= t_start)
        ended = np.where(t_end != NAT, t_end, np.where(closed, t.closed_at, NAT))
        m = np.nonzero(req)[0]
        pauses["dossier_id"].append(ids[m])
        pauses["reason"].append([reason_code] * len(m))
        pauses["started_at"].append(t_start[m])
        pauses["ended_at"].append(ended[m])
        pauses["note"].append([note[i] for i in m.tolist()])


def _payments(t, pay, D) -> None:
    """Payment requests for the catalogue's fees, at the case's moment (at most one per dossier), and the
    dossiers' payment flags."""
    np, w = t.np, t.w
    # ---- payments (fees of the catalogue)
    if t.case.fee_total <= 0:
        return
    if t.case.moment == "at_return":
        has = t.fin_ok
        created = t.t_fin
        paid = np.where(t.returned, t.t_ret, NAT)
        pmethod = np.where(t.returned & (t.method != "counter"), "online", "counter")
        creator = np.where(t.returned, t.clerk_ret, NULL)
    elif t.case.moment == "during_processing":
        has = t.pay_req
        created = t.t_pp
        paid = t.pay_end
        pmethod = np.where(t.online, "online", "counter")
        creator = t.h[t.kp]
    else:  # before reception: online with the submission, at the desk on reception
        has = (t.online & ~t.refused_online) | (~t.online & t.received)
        pay_online = t.online | t.case.online_payment_required & (t.ch == POST)
        created = np.where(t.online, t.sub, t.rec)
        paid = np.where(pay_online, created + (t.rng.uniform(1, 25, t.n) * 60).astype(np.int64) * US, t.rec)
        paid = np.where(paid <= t.ctx.end, paid, NAT)
        pmethod = np.where(pay_online, "online", "counter")
        creator = np.where(t.online, NULL, t.clerk0)
    m = np.nonzero(has)[0]
    if not len(m):
        return
    k = len(m)
    pids = t.ctx.payment_id + np.arange(k, dtype=np.int64)
    t.ctx.payment_id += k
    pm = pmethod[m]
    paid_m = paid[m]
    is_paid = paid_m != NAT
    online_paid = is_paid & (pm == "online")
    counter_paid = is_paid & (pm == "counter")
    D["fee_settled"][t.rows[m]] = is_paid
    D["paid_online"][t.rows[m]] = online_paid
    collector = np.where(pm == "counter", np.where(creator[m] == NULL, t.clerk_ret[m], creator[m]), NULL)
    pay["id"].append(pids)
    pay["dossier_id"].append(t.g.ids[m])
    pay["agency_id"].append(w.agency_ids[t.rcv[m]])
    pay["moment"].append([t.case.moment] * k)
    pay["method"].append(pm.tolist())
    pay["status"].append(np.where(is_paid, "paid", "pending").tolist())
    pay["amount"].append(np.full(k, t.case.fee_total, dtype=np.int64))
    pay["description"].append([f"Nộp phí, lệ phí hồ sơ {t.ctx.chunk_codes[i]}"[:300] for i in t.rows[m].tolist()])
    pay["payer_name"].append([x[:200] for x in t.owner_n[m].tolist()])
    pay["channel"].append(np.where(online_paid, np.array(["QR", "ATM", "VI_DIEN_TU", "THE_QUOC_TE"], dtype=object)[
        t.rng.integers(0, 4, k)], np.where(counter_paid, "TIEN_MAT", "")).tolist())
    pay["gateway_transaction_id"].append([f"SLGD{p:012d}" if o else None for p, o in zip(pids.tolist(),
                                                                                         online_paid.tolist())])
    pay["gateway_status"].append(np.where(online_paid, "00", "").tolist())
    pay["started_at"].append(np.where(pm == "online", created[m], NAT))
    pay["paid_at"].append(paid_m)
    pay["counter_receipt_no"].append([f"{p % 100000:05d}/BL-{t.case.field_code}" if c else ""
                                      for p, c in zip(pids.tolist(), counter_paid.tolist())])
    pay["collected_by_id"].append(w.staff_ids[np.where(counter_paid, collector, NULL)])
    pay["created_by_id"].append(w.staff_ids[creator[m]])
    pay["created_at"].append(created[m])
    pay["case"].append([t.case] * k)
