"""A generated province-year (năm dữ liệu mô phỏng) for the demo province.

`generate(N)` fills the database with what a province's one-stop-shop system
holds after a year of use: a one-stop-shop agency (Trung tâm Phục vụ hành
chính công xã) and a People's Committee for every commune of the province,
generated staff with roles in them and in the provincial departments, and N
dossiers over the year across the catalogue's procedure cases, with their
history (DossierEvent per transition), supplement and payment pauses,
payments (PaymentRequest + PaymentLine) and satisfaction evaluations.
See docs/data-generator.md for the distributions.

`ensure(N)` does nothing when the database already holds exactly that
generation (same N, seed, year and generator version); otherwise it removes
the previous generation and generates. Only one generation exists at a time;
its `ProvinceYearGeneration` row holds the block of dossier ids it owns, so
removal touches generated rows only — never the demo dossiers or real data.
Agencies and generated staff (usernames starting with `gen.`, unusable
passwords) are structure: they are kept and reused.

The generator is a bulk loader, not user activity: it writes ONE audit row
(`core.province_year.generate`, and `core.province_year.remove` when it
removes a generation) instead of one per dossier, and sends no notifications.
Dossier codes follow the real format (tinhso.dossiers.codes) and numbering
continues any DossierCounter already there; the counters are left at the
highest number used, so later real receptions never collide.

Speed: columns are drawn with numpy (deadlines with the batch
`WorkCalendar.add_many`) and loaded with COPY FROM STDIN on PostgreSQL,
chunk by chunk, in one transaction (the dossier, payment, evaluation and
counter tables are locked meanwhile: run it on a database that is not in
use), then ANALYZE. On SQLite (tests, small N) rows go in with executemany.
numpy is needed (a test/benchmark dependency).

Modules: `common` (codes, time helpers), `distributions` (the model's numbers
and texts), `world` (agencies, staff, cases), `plan` (receptions, owners,
codes), `events` (history rows, per-case state), `cases` (the timeline of a
case's dossiers), `extras` (payments, evaluations), `loader` (COPY and
indexes); this module: current, ensure, remove, generate."""

from __future__ import annotations

import datetime
import time

from django.db import connection, transaction
from django.utils import timezone

from tinhso.demo.province_year.cases import _chunk
from tinhso.demo.province_year.common import CHUNK, GENERATOR_VERSION, STAFF_PREFIX, _np, _us
from tinhso.demo.province_year.loader import Loader, _next_ids, _reset_sequences, _suspend_indexes
from tinhso.demo.province_year.plan import Context, _plan_receptions
from tinhso.demo.province_year.world import _build_world


# ---- the generation ----------------------------------------------------------------------------

def current():
    from tinhso.demo.models import ProvinceYearGeneration

    return ProvinceYearGeneration.objects.order_by("-id").first()


def _period(year: int | None, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    from tinhso.core.errors import InvalidInput

    local_now = timezone.localtime(now).replace(microsecond=0, tzinfo=None)
    if year is None:
        return local_now - datetime.timedelta(days=365), local_now
    if not 2000 <= year <= local_now.year:
        raise InvalidInput(f"Năm {year} không hợp lệ: chọn một năm từ 2000 đến {local_now.year}.", code="invalid_year")
    start = datetime.datetime(year, 1, 1)
    end = min(local_now, datetime.datetime(year, 12, 31, 23, 59, 59))
    if end - start < datetime.timedelta(days=7):
        raise InvalidInput(f"Năm {year} mới bắt đầu; chưa đủ thời gian để sinh dữ liệu.", code="invalid_year")
    return start, end


def ensure(dossiers: int, *, seed: int = 1, year: int | None = None, stdout=None) -> dict:
    """The stats of the generation (N, seed, year) — generated only if the
    database does not already hold exactly it."""
    from tinhso.dossiers.models import Dossier

    gen = current()
    if (gen is not None and gen.dossiers == dossiers and gen.seed == seed and gen.year == year
            and gen.generator_version == GENERATOR_VERSION
            and Dossier.objects.filter(pk__gte=gen.dossier_id_from, pk__lte=gen.dossier_id_to).count() == dossiers):
        return {**gen.stats, "reused": True}
    return generate(dossiers, seed=seed, year=year, stdout=stdout)


def remove(*, audit: bool = True) -> int:
    """Remove the current generation's dossiers and everything hanging from
    them; returns how many dossiers went. Generated agencies and staff stay."""
    gen = current()
    if gen is None:
        return 0
    with transaction.atomic():
        count = _remove(gen)
        if audit:
            from tinhso.audit.actions import record

            record(actor=None, action="core.province_year.remove", obj=gen,
                   changes={"dossiers": count, "seed": gen.seed, "year": gen.year}, note="Xóa dữ liệu sinh tự động")
        gen.delete()
    return count


def _remove(gen) -> int:
    from tinhso.dossiers.models import Dossier, DossierComponent, DossierEvent, DossierPause
    from tinhso.evaluations.models import CriterionRating, Evaluation
    from tinhso.payments.models import PaymentLine, PaymentRequest

    lo, hi = gen.dossier_id_from, gen.dossier_id_to
    rng = {"dossier_id__gte": lo, "dossier_id__lte": hi}
    own = {DossierEvent, DossierPause, PaymentRequest, Evaluation, DossierComponent}
    # Dossiers that real use touched since (files, receipts, data-store items...): the ORM deletes them
    # with everything that hangs from them; the rest goes with plain DELETEs.
    touched = set()
    for rel in Dossier._meta.related_objects:
        if rel.related_model in own or not rel.field.concrete:
            continue
        col = rel.field.attname
        touched.update(rel.related_model._base_manager.filter(**{f"{col}__gte": lo, f"{col}__lte": hi})
                       .values_list(col, flat=True).distinct())
    for model, path in ((DossierEvent, "dossier_id"), (PaymentRequest, "dossier_id"), (Evaluation, "dossier_id"),
                        (DossierPause, "dossier_id"), (DossierComponent, "dossier_id"),
                        (PaymentLine, "payment__dossier_id"),
                        (CriterionRating, "evaluation__dossier_id")):
        for rel in model._meta.related_objects:
            if rel.related_model in own or rel.related_model in (PaymentLine, CriterionRating):
                continue
            prefix = path
            touched.update(rel.related_model._base_manager.filter(
                **{f"{rel.field.name}__{prefix}__gte": lo, f"{rel.field.name}__{prefix}__lte": hi})
                .values_list(f"{rel.field.name}__{prefix}", flat=True).distinct())
    through = DossierEvent.attachments.through
    touched.update(through.objects.filter(dossierevent__dossier_id__gte=lo, dossierevent__dossier_id__lte=hi)
                   .values_list("dossierevent__dossier_id", flat=True).distinct())
    touched.discard(None)
    if touched:
        PaymentRequest.objects.filter(dossier_id__in=touched).delete()
        Dossier.objects.filter(pk__in=touched).delete()
    for qs in (CriterionRating.objects.filter(evaluation__dossier_id__gte=lo, evaluation__dossier_id__lte=hi),
               Evaluation.objects.filter(**rng),
               PaymentLine.objects.filter(payment__dossier_id__gte=lo, payment__dossier_id__lte=hi),
               PaymentRequest.objects.filter(**rng), DossierPause.objects.filter(**rng),
               DossierComponent.objects.filter(**rng),
               DossierEvent.objects.filter(**rng)):
        qs._raw_delete(qs.db)
    qs = Dossier.objects.filter(pk__gte=lo, pk__lte=hi)
    return qs._raw_delete(qs.db) + len(touched)


def generate(dossiers: int, *, seed: int = 1, year: int | None = None, stdout=None) -> dict:
    """Generate a province-year of `dossiers` dossiers (replacing any previous
    generation). Returns the stats, also stored on the generation record."""
    from tinhso.core.errors import InvalidInput

    if not isinstance(dossiers, int) or dossiers < 1 or dossiers > 20_000_000:
        raise InvalidInput("Số hồ sơ phải từ 1 đến 20.000.000.", code="invalid_count")
    t0 = time.perf_counter()

    def say(msg):
        if stdout is not None:
            stdout.write(f"[{time.perf_counter() - t0:6.1f} s] {msg}")

    now = timezone.now()
    start, end = _period(year, now)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # no other writer meanwhile (explicit ids, counters); foreign keys checked per COPY
                cursor.execute("LOCK TABLE dossiers_dossier, dossiers_dossiercounter, payments_paymentrequest, "
                               "evaluations_evaluation IN SHARE ROW EXCLUSIVE MODE")
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        previous = current()
        timings = {}
        t1 = time.perf_counter()
        restore = _suspend_indexes(max(dossiers, previous.dossiers if previous else 0),
                                   previous.dossiers if previous else 0)
        if restore:
            say(f"Tạm bỏ {len(restore)} chỉ mục và khóa ngoại của các bảng nạp (tạo lại trước khi kết thúc giao dịch).")
        removed = 0
        if previous is not None:
            say(f"Xóa bộ dữ liệu cũ ({previous.dossiers:,} hồ sơ)...")
            removed = _remove(previous)
            previous.delete()
        timings["remove"] = round(time.perf_counter() - t1, 1)
        stats = _generate(dossiers, seed, year, start, end, say)
        t1 = time.perf_counter()
        if restore:
            say("Tạo lại chỉ mục, kiểm tra khóa ngoại...")
            with connection.cursor() as cursor:
                for sql in restore:
                    cursor.execute(sql)
        timings["indexes"] = round(time.perf_counter() - t1, 1)
        stats["timings"] = {**timings, **stats["timings"]}
        stats["removed_previous"] = removed
        stats["seconds"] = round(time.perf_counter() - t0, 1)
        gen = stats.pop("_record")
        gen.stats, gen.seconds = stats, stats["seconds"]
        gen.save(update_fields=["stats", "seconds"])
        from tinhso.audit.actions import record

        record(actor=None, action="core.province_year.generate", obj=gen,
               changes={k: stats[k] for k in ("dossiers", "seed", "year", "events", "payments", "evaluations",
                                              "agencies_created", "staff_created", "removed_previous")},
               note="Sinh dữ liệu mô phỏng một năm (nạp hàng loạt, không ghi nhật ký từng hồ sơ)")
    t1 = time.perf_counter()
    if connection.vendor == "postgresql":
        say("ANALYZE...")
        with connection.cursor() as cursor:
            for table in ("dossiers_dossier", "dossiers_dossierevent", "dossiers_dossierpause", "dossiers_dossiercomponent",
                          "dossiers_dossiercounter", "payments_paymentrequest", "payments_paymentline",
                          "evaluations_evaluation", "evaluations_criterionrating"):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    stats["timings"]["analyze"] = round(time.perf_counter() - t1, 1)
    stats["seconds"] = round(time.perf_counter() - t0, 1)
    say(f"Xong: {dossiers:,} hồ sơ.")
    return stats


def _generate(n_total, seed, year, start, end, say) -> dict:
    from tinhso.demo.models import ProvinceYearGeneration
    from tinhso.dossiers.models import Dossier, DossierCounter
    from tinhso.evaluations.models import Evaluation
    from tinhso.payments.models import PaymentRequest

    np = _np()
    world = _build_world(seed, end.date())
    say(f"Cơ cấu: {len(world.communes)} xã/phường, {len(world.cases)} trường hợp thủ tục, "
        f"{len(world.staff_ids) - 1} cán bộ xử lý (tạo mới {world.staff_created}), "
        f"tạo mới {world.agencies_created} cơ quan.")
    rng = np.random.default_rng([seed, 20260])
    plan = _plan_receptions(world, n_total, rng, start, end)
    first_id = _next_ids(Dossier, np)
    gen = ProvinceYearGeneration.objects.create(
        dossiers=n_total, seed=seed, year=year, generator_version=GENERATOR_VERSION,
        period_start=timezone.make_aware(start), period_end=timezone.make_aware(end), dossier_id_from=first_id,
        dossier_id_to=first_id + n_total - 1)
    ctx = Context(world=world, np=np, end=_us(end), loader=Loader(np), first_id=first_id,
                  payment_id=_next_ids(PaymentRequest, np), evaluation_id=_next_ids(Evaluation, np),
                  end_year=end.year)
    days = plan["day"]
    lo_day, hi_day = int(days.min()), int(days.max())
    epoch = datetime.date(1970, 1, 1)
    for agency_id, day, last in DossierCounter.objects.filter(
            day__gte=epoch + datetime.timedelta(days=lo_day), day__lte=epoch + datetime.timedelta(days=hi_day)
    ).values_list("agency_id", "day", "last"):
        if agency_id in world.index:
            ctx.counters[(world.index[agency_id], (day - epoch).days)] = last
    existing_counters = dict(ctx.counters)
    t_load = time.perf_counter()
    for lo in range(0, n_total, CHUNK):
        hi = min(lo + CHUNK, n_total)
        _chunk(ctx, {k: v[lo:hi] for k, v in plan.items()}, np.random.default_rng([seed, 1 + lo // CHUNK]), lo)
        say(f"{hi:,}/{n_total:,} hồ sơ")
    _save_counters(ctx, existing_counters)
    _reset_sequences([Dossier, PaymentRequest, Evaluation])
    rows = ctx.loader.rows
    stats = {
        "dossiers": n_total, "seed": seed, "year": year, "generator_version": GENERATOR_VERSION,
        "period": [start.isoformat(sep=" "), end.isoformat(sep=" ")],
        "dossier_ids": [first_id, first_id + n_total - 1],
        "status": {str(k): int(v) for k, v in sorted(ctx.status_counts.items())},
        "channel": {str(k): int(v) for k, v in sorted(ctx.channel_counts.items())},
        "outcome": {str(k): int(v) for k, v in sorted(ctx.outcome_counts.items())},
        "overdue_open": int(ctx.overdue_open),
        "events": rows.get("dossiers_dossierevent", 0), "pauses": rows.get("dossiers_dossierpause", 0),
        "components": rows.get("dossiers_dossiercomponent", 0),
        "payments": rows.get("payments_paymentrequest", 0), "payment_lines": rows.get("payments_paymentline", 0),
        "evaluations": rows.get("evaluations_evaluation", 0),
        "criterion_ratings": rows.get("evaluations_criterionrating", 0),
        "counters": ctx.counters_written, "communes": len(world.communes),
        "agencies": int(len(ctx.agencies_used)), "agencies_created": world.agencies_created,
        "staff": len(world.staff_ids) - 1, "staff_created": world.staff_created, "cases": len(world.cases),
        "timings": {"load": round(time.perf_counter() - t_load, 1),
                    "copy": {k: round(v, 1) for k, v in ctx.loader.seconds.items()}},
        "_record": gen,
    }
    return stats


def _save_counters(ctx, existing: dict) -> None:
    """Leave every (agency, day) counter at the highest number used: new rows
    for new days, existing rows raised (one upsert, never lowered)."""
    np = ctx.np
    changed = [(a, d, last) for (a, d), last in ctx.counters.items() if last > existing.get((a, d), -1)]
    ctx.counters_written = len(changed)
    if not changed:
        return
    agency = ctx.world.agency_ids[np.array([c[0] for c in changed], dtype=np.int64)]
    day = np.array([c[1] for c in changed], dtype=np.int64)
    last = np.array([c[2] for c in changed], dtype=np.int64)
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    upsert = (f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {greatest}(dossiers_dossiercounter.last, "
              "excluded.last)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS pg_temp.tinhso_gen_counter")
            cursor.execute("CREATE TEMPORARY TABLE tinhso_gen_counter (agency_id bigint, day date, last integer) "
                           "ON COMMIT DROP")
        ctx.loader.write("tinhso_gen_counter", [("agency_id", "i", agency), ("day", "d", day), ("last", "i", last)],
                         len(changed), count=False)
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO dossiers_dossiercounter (agency_id, day, last) SELECT agency_id, day, last "
                           f"FROM tinhso_gen_counter {upsert}")
    else:
        rows = list(zip(agency.tolist(), Loader(np)._py("d", day, len(changed)), last.tolist()))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO dossiers_dossiercounter (agency_id, day, last) VALUES (%s, %s, %s) "
                               f"{upsert}", rows)


__all__ = ["STAFF_PREFIX", "current", "ensure", "generate", "remove"]
