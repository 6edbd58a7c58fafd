"""Planning the year: reception times and channels, owners and dossier codes (`Context`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from tinhso.demo.province_year.common import COUNTER, ONLINE, POST, US, _addh, _sec, _us
from tinhso.demo.province_year.distributions import (
    FAMILY, GIVEN, ID_PROVINCES, MIDDLE, MONTH_FACTOR, ONLINE_HOURS, PHONE_PREFIX, P_CROSS_BOUNDARY, P_ONLINE,
    P_POST, STREETS, WEEKDAY_FACTOR,
)
from tinhso.demo.province_year.loader import Loader
from tinhso.demo.province_year.world import World


def _plan_receptions(world: World, n: int, rng, start: datetime.datetime, end: datetime.datetime) -> dict:
    """Who comes when, for which case, where: one entry per dossier, sorted by
    submission time."""
    np, cal = world.np, world.cal
    cases = world.cases
    w = np.array([c.weight for c in cases])
    case = rng.choice(len(cases), n, p=w / w.sum())
    commune_level = np.array([c.commune_level for c in cases])[case]
    cw = np.array([c[4] for c in world.communes])
    area_i = rng.choice(len(world.communes), n, p=cw / cw.sum())
    committee = np.array([c[2] for c in world.communes])
    centre = np.array([c[3] for c in world.communes])
    recv_commune = area_i.copy()
    cross = rng.random(n) < P_CROSS_BOUNDARY
    recv_commune[cross] = rng.choice(len(world.communes), int(cross.sum()), p=cw / cw.sum())
    rcv = np.where(commune_level, centre[recv_commune], np.array([c.receiving or 0 for c in cases])[case])
    cmp_ = np.where(commune_level, committee[area_i], np.array([c.competent or 0 for c in cases])[case])
    p_online = np.array([0.0 if c.not_online else P_ONLINE.get(c.online_level, 0.0) for c in cases])[case]
    u = rng.random(n)
    channel = np.where(u < p_online, ONLINE, np.where(u < p_online + (1 - p_online) * P_POST, POST, COUNTER))

    # days of the period, weighted by month, weekday and a slow growth over the year
    d0, d1 = start.date(), end.date()
    all_days = [d0 + datetime.timedelta(days=i) for i in range((d1 - d0).days + 1)]
    working = np.array([cal.is_working_day(d) for d in all_days])
    base = np.array([MONTH_FACTOR[d.month - 1] * WEEKDAY_FACTOR[d.weekday()] for d in all_days])
    base *= np.linspace(0.92, 1.08, len(all_days))
    ordinals = np.array([(d - datetime.date(1970, 1, 1)).days for d in all_days], dtype=np.int64)
    start_us, end_us = _us(start), _us(end)

    def draw_counter(k):
        p = np.where(working, base, 0.0)
        day = ordinals[rng.choice(len(all_days), k, p=p / p.sum())]
        morning = rng.random(k) < 0.62
        minutes = np.where(morning, 7 * 60 + rng.beta(2.0, 2.6, k) * 270, 13 * 60 + 30 + rng.beta(2.0, 2.4, k) * 210)
        return day * 86400 * US + (minutes * 60).astype(np.int64) * US

    def draw_online(k):
        p = base * np.where(working, 1.0, 0.45)
        day = ordinals[rng.choice(len(all_days), k, p=p / p.sum())]
        hp = np.array(ONLINE_HOURS)
        hour = rng.choice(24, k, p=hp / hp.sum())
        return day * 86400 * US + (hour * 3600 + rng.integers(0, 3600, k)).astype(np.int64) * US

    sub = np.zeros(n, dtype=np.int64)
    online = channel == ONLINE
    for mask, draw in ((online, draw_online), (~online, draw_counter)):
        idx = np.nonzero(mask)[0]
        for _ in range(20):
            if not len(idx):
                break
            sub[idx] = draw(len(idx))
            idx = idx[(sub[idx] > end_us) | (sub[idx] < start_us)]
        if len(idx):
            sub[idx] = np.minimum(np.maximum(sub[idx], start_us), end_us)
    rec = sub.copy()
    if online.any():
        delay = _sec(np, np.minimum(rng.exponential(2.0, int(online.sum())) + 0.05, 16.0))
        rec[online] = _addh(world, sub[online], delay)
    order = np.argsort(sub, kind="stable")
    plan = {"case": case, "area": np.array([c[0] for c in world.communes], dtype=np.int64)[area_i],
            "area_name": area_i, "rcv": rcv, "cmp": cmp_, "channel": channel, "sub": sub, "rec": rec}
    plan = {k: v[order] for k, v in plan.items()}
    plan["day"] = (plan["sub"] // (86400 * US)).astype(np.int64)
    return plan


@dataclass
class Context:
    world: World
    np: object
    end: int
    loader: Loader
    first_id: int
    payment_id: int
    evaluation_id: int
    counters: dict = field(default_factory=dict)
    counters_written: int = 0
    status_counts: dict = field(default_factory=dict)
    channel_counts: dict = field(default_factory=dict)
    outcome_counts: dict = field(default_factory=dict)
    overdue_open: int = 0
    end_year: int = 2026
    chunk_ids: object = None
    chunk_codes: list = field(default_factory=list)
    agencies_used: set = field(default_factory=set)
    label_cache: dict = field(default_factory=dict)


def _owners(ctx, rng, plan, n):
    """Owner columns: Vietnamese names, identification numbers, phones,
    addresses, e-mails (deterministic from the seed)."""
    np = ctx.np
    from tinhso.core.text import fold

    female = rng.random(n) < 0.52
    fam = np.array([f for f, _ in FAMILY], dtype=object)
    fp = np.array([w for _, w in FAMILY], dtype=float)
    fi = rng.choice(len(fam), n, p=fp / fp.sum())
    mid = np.where(female, np.array(MIDDLE[1], dtype=object)[rng.integers(0, len(MIDDLE[1]), n)],
                   np.array(MIDDLE[0], dtype=object)[rng.integers(0, len(MIDDLE[0]), n)])
    given = np.where(female, np.array(GIVEN[1], dtype=object)[rng.integers(0, len(GIVEN[1]), n)],
                     np.array(GIVEN[0], dtype=object)[rng.integers(0, len(GIVEN[0]), n)])
    names = [f"{a} {b} {c}" for a, b, c in zip(fam[fi].tolist(), mid.tolist(), given.tolist())]
    birth_year = ctx.end_year - np.clip(rng.normal(42, 14, n), 18, 85).astype(np.int64)
    birth = ((birth_year - 1970) * 365.2425).astype(np.int64) + rng.integers(0, 365, n)
    pv = np.array([p for p, _ in ID_PROVINCES])
    pp = np.array([w for _, w in ID_PROVINCES], dtype=float)
    prov = pv[rng.choice(len(pv), n, p=pp / pp.sum())]
    century = np.where(birth_year >= 2000, 2, 0) + female.astype(np.int64)
    idnum = prov * 10**9 + century * 10**8 + (birth_year % 100) * 10**6 + rng.integers(0, 10**6, n)
    ids = [f"{x:012d}" for x in idnum.tolist()]
    pref = np.array(PHONE_PREFIX, dtype=object)[rng.integers(0, len(PHONE_PREFIX), n)]
    phones = [f"{a}{b:07d}" for a, b in zip(pref.tolist(), rng.integers(0, 10**7, n).tolist())]
    commune_names = [c[1] for c in ctx.world.communes]
    street = rng.integers(0, len(STREETS), n).tolist()
    num = rng.integers(1, 320, n).tolist()
    quarter = rng.integers(1, 12, n).tolist()
    addresses = []
    for ci, s, k, q in zip(plan["area_name"].tolist(), street, num, quarter):
        cname = commune_names[ci]
        place = cname[0].lower() + cname[1:]
        if cname.startswith("Phường"):
            addresses.append(f"Số {k}, đường {STREETS[s]}, khu vực {q}, {place}, thành phố Cần Thơ")
        else:
            addresses.append(f"Ấp {q}, {place}, thành phố Cần Thơ")
    has_mail = (plan["channel"] == ONLINE) & (rng.random(n) < 0.45) | (rng.random(n) < 0.05)
    tails = rng.integers(10, 99, n).tolist()
    emails = [f"{fold(nm).replace(' ', '')}{t}@gmail.com" if m else ""
              for nm, t, m in zip(names, tails, has_mail.tolist())]
    return names, birth, ids, phones, addresses, emails, has_mail


def _codes(ctx, plan, n) -> list:
    """Dossier codes `{receiving agency}-{yyMMdd}-{NNNN}`, numbering after
    what each (agency, day) counter already holds."""
    np = ctx.np
    from django.conf import settings

    from tinhso.dossiers.codes import DEFAULT_FORMAT

    key = plan["rcv"] * 1_000_000 + plan["day"]
    order = np.argsort(key, kind="stable")  # plan is time-sorted, so numbers follow time
    sk = key[order]
    starts = np.r_[0, np.nonzero(np.diff(sk))[0] + 1]
    group_start = np.repeat(starts, np.diff(np.r_[starts, len(sk)]))
    rank = np.arange(len(sk)) - group_start
    base = np.empty(len(sk), dtype=np.int64)
    for s, e in zip(starts.tolist(), np.r_[starts[1:], len(sk)].tolist()):
        k = (int(sk[s] // 1_000_000), int(sk[s] % 1_000_000))
        last = ctx.counters.get(k, 0)
        base[s:e] = last
        ctx.counters[k] = last + (e - s)
    number = np.empty(n, dtype=np.int64)
    number[order] = base + rank + 1
    fmt = getattr(settings, "TINHSO_DOSSIER_CODE_FORMAT", DEFAULT_FORMAT)
    codes_agency = ctx.world.agency_code
    days = plan["day"].astype("datetime64[D]")
    if fmt == DEFAULT_FORMAT:
        ds = [s[2:4] + s[5:7] + s[8:10] for s in np.datetime_as_string(days).tolist()]
        return [f"{codes_agency[a]}-{d}-{k:04d}" for a, d, k in zip(plan["rcv"].tolist(), ds, number.tolist())]
    return [fmt.format(agency=codes_agency[a], date=d, number=k)
            for a, d, k in zip(plan["rcv"].tolist(), days.astype(object).tolist(), number.tolist())]
