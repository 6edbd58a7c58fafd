"""Benchmark the dossier lifecycle through the actions layer (GitHub issue 6).

One lifecycle, on the demo province's construction permit at the provincial
service centre (procedure 1.009793, five process steps):

    submit_online      a citizen files online, one small PDF per required paper,
                       with an idempotency key (as the portal sends one)
    accept_online      the centre's clerk receives it (the clock starts)
    forward x 3        clerk -> specialist (named) -> head of division -> leader
    finish             the leader approves with a tiny result PDF; PDF signing is
                       left out (bench_signing measures it): the upload is checked
                       and stored but not signed
    return_result      the clerk hands the result over (it goes to the citizen's
                       data store)

Each step is the real action function with the real demo users holding the
roles; the role cache on the user is dropped before each call, as a new
request would. Settings are production-like (DEBUG off) and, when the `redis`
module and server are there, the queue is Redis (TINHSO_REDIS_URL, so Huey is
RedisHuey and the cache is Redis): the after-commit staff and citizen
notifications run as in production and enqueue their e-mail/SMS tasks; no
worker consumes them (the queue is flushed at the end).

Baseline, in the same run: the same rows written by hand-written SQL on a raw
psycopg 3 connection, one transaction per transition as the actions do (plus
the after-commit notification writes in their own transactions), the same
files written with open(): per lifecycle 1 dossier (code from the counter
row), 4 components, 5 files, 1 idempotency record, 7 history events, 1 event
attachment, 8 audit rows, 1 signed-document registration, 6 citizen messages,
5 staff notifications, 1 data-store item, and one row lock per transition.
Reference data (ids, step list, templates, role holders) is read once before
timing; reads the actions make to find it are what the ratio charges to them.

Checked after the run (ok=false otherwise): both sides added the same number
of rows to every table, and the last dossier of each side has the same
columns and history (ids, codes and times aside).

Timing: --repeat runs of --n lifecycles per side, in alternating blocks of
--block lifecycles so that both sides see the same load on a shared machine.
Figures: lifecycles/s via actions and via SQL over all timed lifecycles, the
ratio (target >= 0.5; also the median of the block-by-block ratios and the
best run of each side), the client CPU per lifecycle of each side, and the
queries (statements) per lifecycle of each side.

    .venv/bin/python bench/bench_lifecycle.py [--n 300] [--repeat 3] [--block 5] [--database tinhso_bench]
                                              [--dossiers 0] [--json PATH] [--profile PATH]
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import bootstrap, figure, log, write_json

TARGET_RATIO = 0.5
CASE_CODE = "1.009793"          # construction permit, provincial: clerk -> specialist -> head -> leader -> clerk
DESK = "000.00.02.H13"          # Trung tâm Phục vụ hành chính công thành phố
CLERK, SPECIALIST, HEAD, LEADER = "motcua.tinh", "chuyenvien.sxd", "truongphong.sxd", "lanhdao.sxd"
CITIZEN = "bench.lifecycle.citizen"
# Rows a lifecycle writes, found through the dossiers of one side (so the
# count does not depend on what else the database holds).
ROWS = {
    "dossiers_dossier": "SELECT count(*) FROM dossiers_dossier WHERE id = ANY(%(ids)s)",
    "dossiers_dossiercomponent": "SELECT count(*) FROM dossiers_dossiercomponent WHERE dossier_id = ANY(%(ids)s)",
    "dossiers_dossierfile": "SELECT count(*) FROM dossiers_dossierfile WHERE dossier_id = ANY(%(ids)s)",
    "dossiers_idempotencyrecord": "SELECT count(*) FROM dossiers_idempotencyrecord WHERE dossier_id = ANY(%(ids)s)",
    "dossiers_dossierevent": "SELECT count(*) FROM dossiers_dossierevent WHERE dossier_id = ANY(%(ids)s)",
    "dossiers_dossierevent_attachments": "SELECT count(*) FROM dossiers_dossierevent_attachments a JOIN "
                                         "dossiers_dossierevent e ON e.id = a.dossierevent_id "
                                         "WHERE e.dossier_id = ANY(%(ids)s)",
    "dossiers_dossierpause": "SELECT count(*) FROM dossiers_dossierpause WHERE dossier_id = ANY(%(ids)s)",
    "audit_auditevent (dossier)": "SELECT count(*) FROM audit_auditevent WHERE content_type_id = %(ct)s "
                                  "AND object_id = ANY(%(sids)s)",
    "signatures_signeddocument": "SELECT count(*) FROM signatures_signeddocument WHERE code = ANY(%(docs)s)",
    "audit_auditevent (signed document)": "SELECT count(*) FROM audit_auditevent a JOIN signatures_signeddocument d "
                                          "ON a.object_id = d.id::text AND a.content_type_id = %(ct_doc)s "
                                          "WHERE d.code = ANY(%(docs)s)",
    "notifications_outgoingmessage": "SELECT count(*) FROM notifications_outgoingmessage "
                                     "WHERE dossier_id = ANY(%(ids)s)",
    "notifications_notification": "SELECT count(*) FROM notifications_notification WHERE url = ANY(%(urls)s)",
    "datastore_datastoreitem": "SELECT count(*) FROM datastore_datastoreitem WHERE source_dossier_id = ANY(%(ids)s)",
}
APPLICANT = {"owner_name": "Nguyễn Văn Bình", "owner_id_number": "092095001234", "owner_phone": "0912345678",
             "owner_email": "binh@example.vn", "owner_address": "Số 1 Hòa Bình, phường Ninh Kiều",
             "subject": "Xây dựng nhà xưởng", "notify_email": True, "notify_sms": True}
RESULT_SUMMARY, RETURNED_TO = "Giấy phép xây dựng", "Nguyễn Văn Bình"


def tiny_pdf(tag: str) -> bytes:
    """A small well-formed PDF whose bytes (and so its hash and file name) are unique per `tag`."""
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"% " + tag.encode() + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def queue_env() -> tuple[dict, str]:
    """TINHSO_REDIS_URL when the redis module and server are there (production
    configuration); else the one-machine configuration (SQLite queue)."""
    url = os.environ.get("TINHSO_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return {"TINHSO_REDIS_URL": url}, "redis"
    except Exception as exc:  # noqa: BLE001 - fall back, and say so in the result
        log(f"[lifecycle] Redis queue unavailable ({exc.__class__.__name__}: {exc}); using the SQLite queue")
        return {"TINHSO_TASKS_DB": str(Path(tempfile.gettempdir()) / f"tinhso-bench-lifecycle-{os.getpid()}.sqlite3")}, \
            "sqlite"


# --- the actions side ---------------------------------------------------------

class ActionsSide:
    def __init__(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tinhso.accounts.models import User
        from tinhso.agencies.models import Agency
        from tinhso.catalogue.models import ProcedureCase

        self.Upload = SimpleUploadedFile
        self.case = ProcedureCase.objects.select_related("procedure").get(procedure__code=CASE_CODE, code="1")
        self.desk = Agency.objects.get(code=DESK)
        self.components = list(self.case.components.all())
        self.citizen = User.objects.get(username=CITIZEN)
        self.staff = {u.username: u for u in User.objects.filter(username__in=[CLERK, SPECIALIST, HEAD, LEADER])}
        self.count = 0

    def user(self, name):
        from tinhso.accounts.permissions import forget_roles

        user = self.staff[name] if name != CITIZEN else self.citizen
        forget_roles(user)  # a new request: the roles are read again
        return user

    def lifecycle(self):
        from tinhso.dossiers import actions
        from tinhso.dossiers.actions import ComponentInput

        self.count += 1
        tag = f"a{os.getpid()}-{self.count}-{time.time_ns()}"
        files = [ComponentInput(required_component_id=c.pk, originals=c.originals, copies=c.copies,
                                files=[self.Upload(f"thanh-phan-{i}.pdf", tiny_pdf(f"{tag}-{i}"),
                                                   content_type="application/pdf")])
                 for i, c in enumerate(self.components, 1)]
        d = actions.submit_online(acting_user=self.user(CITIZEN), receiving_agency=self.desk, case=self.case,
                                  applicant=dict(APPLICANT), components=files, idempotency_key=uuid.uuid4().hex)
        d = actions.accept_online(acting_user=self.user(CLERK), dossier=d, version=d.version)
        d = actions.forward(acting_user=self.user(CLERK), dossier=d, receiver=self.staff[SPECIALIST],
                            comment="Chuyển thẩm định", version=d.version)
        d = actions.forward(acting_user=self.user(SPECIALIST), dossier=d, comment="Đủ điều kiện cấp phép",
                            version=d.version)
        d = actions.forward(acting_user=self.user(HEAD), dossier=d, comment="Trình ký", version=d.version)
        d = actions.finish(acting_user=self.user(LEADER), dossier=d, result_summary=RESULT_SUMMARY,
                           result_number=f"{self.count}/GPXD", version=d.version,
                           result_files=[self.Upload("giay-phep.pdf", tiny_pdf(f"{tag}-kq"),
                                                     content_type="application/pdf")])
        d = actions.return_result(acting_user=self.user(CLERK), dossier=d, method="counter", returned_to=RETURNED_TO,
                                  version=d.version)
        return d.pk


def without_pdf_signing():
    """finish() minus the PDF signature: each result upload is checked as
    sign_uploads checks it, and stored unsigned."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tinhso.dossiers import signing
    from tinhso.dossiers.uploads import check_upload

    def unsigned(dossier, uploads, *, signer, remote_otp=""):
        out = []
        for upload in uploads or []:
            checked = check_upload(upload, "result_files")
            out.append(SimpleUploadedFile(checked.name, checked.data, content_type=checked.content_type))
        return out

    signing.sign_uploads = unsigned


# --- the SQL side ---------------------------------------------------------------

class SqlSide:
    """The same writes as hand-written SQL on a raw psycopg connection."""

    def __init__(self, url: str, actions_side: ActionsSide, media_root: Path):
        import dj_database_url
        import psycopg
        from django.contrib.contenttypes.models import ContentType
        from django.db.models import Q

        from tinhso.accounts.models import Role, RoleAssignment
        from tinhso.dossiers.models import Dossier
        from tinhso.dossiers.routing import choose_competent, step_agency
        from tinhso.notifications.models import MessageTemplate
        from tinhso.signatures.models import SignedDocument
        from tinhso.workcalendar.engine import get_calendar

        cfg = dj_database_url.parse(url)
        self.conn = psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"],
                                    password=cfg["PASSWORD"] or None, dbname=cfg["NAME"], autocommit=True)
        self.Jsonb = __import__("psycopg.types.json", fromlist=["Jsonb"]).Jsonb
        self.media = media_root
        self.calendar = get_calendar
        a = actions_side
        case, desk = a.case, a.desk
        today = datetime.date.today()
        competent = choose_competent(case.procedure, receiving=desk, day=today)
        self.case = {"id": case.pk, "procedure_id": case.procedure_id, "procedure_name": case.procedure.name,
                     "processing_time": case.processing_time, "online_processing_time": case.online_processing_time,
                     "time_unit": case.time_unit}
        self.desk = {"id": desk.pk, "code": desk.code, "name": desk.name}
        self.competent_id = competent.pk
        self.steps = []
        for s in case.steps.select_related("agency").order_by("order"):
            agency = step_agency(s, receiving=desk, competent=competent)
            self.steps.append({"id": s.pk, "name": s.name, "role": s.role, "allowance": s.allowance,
                               "unit": s.allowance_unit, "agency_id": agency.pk, "agency_name": agency.name})
        self.components = [{"id": c.pk, "name": c.name, "originals": c.originals, "copies": c.copies}
                           for c in a.components]
        self.users = {name: {"id": u.pk, "username": u.get_username(), "full_name": u.get_full_name(),
                             "email": u.email} for name, u in a.staff.items()}
        cz = a.citizen
        self.citizen = {"id": cz.pk, "username": cz.get_username(), "full_name": cz.get_full_name(),
                        "notify_email": cz.notify_email, "notify_sms": cz.notify_sms, "email": cz.email,
                        "phone": cz.phone}
        self.ct_dossier = ContentType.objects.get_for_model(Dossier).pk
        self.ct_signed = ContentType.objects.get_for_model(SignedDocument).pk
        self.role_label = {r.value: str(r.label) for r in Role}
        self.templates = {}
        for t in MessageTemplate.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today)).order_by(
                "valid_from"):
            self.templates[(t.event, t.channel)] = (t.subject, t.body)  # the latest valid one wins

        def holders(role, agency_id):
            from tinhso.agencies.models import Agency

            agencies = Agency.objects.get(pk=agency_id).ancestors_and_self()
            return [{"id": ra.user.pk, "email": ra.user.email} for ra in RoleAssignment.objects.active()
                    .filter(role=role, agency__in=agencies).select_related("user") if ra.user.is_active]

        self.holders = holders  # used once per (role, agency) below
        self.holder_cache = {}
        self.statements = 0
        self.count = 0

    # helpers
    def ex(self, cur, sql, params=()):
        self.statements += 1
        cur.execute(sql, params)
        return cur

    def role_holders(self, role, agency_id):
        key = (role, agency_id)
        if key not in self.holder_cache:
            self.holder_cache[key] = self.holders(role, agency_id)
        return self.holder_cache[key]

    def store(self, rel: str, data: bytes) -> str:
        path = self.media / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as handle:
            handle.write(data)
        return rel

    def audit(self, cur, *, actor, action, ct, object_id, repr_, changes, note, at):
        self.ex(cur, 'INSERT INTO audit_auditevent (created_at, actor_id, actor_repr, action, content_type_id, '
                     'object_id, object_repr, changes, note, personal_data) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,false)',
                (at, actor["id"] if actor else None, actor["username"] if actor else "system", action, ct,
                 str(object_id), repr_[:300], self.Jsonb(changes), note[:500], ))

    def event(self, cur, d, *, actor, action, at, from_status, from_step=None, comment="", previous_due=None,
              sender_agency_id=None):
        step = d["step"]
        if d["handler"] is not None:
            receiver_name = d["handler"]["full_name"][:200]
        elif d["role"] and d["status"] in (1, 2, 4, 5, 6):  # OPEN_STATUSES
            receiver_name = f"{self.role_label[d['role']]} - {d['agency_name']}"[:200]
        else:
            receiver_name = ""
        self.ex(cur, 'INSERT INTO dossiers_dossierevent (dossier_id, at, action, from_status, to_status, '
                     'from_step_id, to_step_id, step_name, sender_id, sender_name, sender_agency_id, receiver_id, '
                     'receiver_agency_id, receiver_role, receiver_name, step_due_at, previous_step_due_at, comment, '
                     'sync_status) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) RETURNING id',
                (d["id"], at, action, from_status, d["status"], from_step["id"] if from_step else None,
                 step["id"] if step else None, step["name"] if step else "", actor["id"], actor["full_name"][:200],
                 sender_agency_id or d["agency_id"], d["handler"]["id"] if d["handler"] else None, d["agency_id"],
                 d["role"], receiver_name, d["step_due_at"], previous_due, comment, "pending"))
        event_id = cur.fetchone()[0]
        self.audit(cur, actor=actor, action=f"dossiers.{action}", ct=self.ct_dossier, object_id=d["id"],
                   repr_=d["code"], changes={"status": [from_status, d["status"]]}, note=comment[:500], at=at)
        return event_id

    def lock(self, cur, d):
        self.ex(cur, "SELECT status, version FROM dossiers_dossier WHERE id = %s FOR UPDATE", (d["id"],))
        status, version = cur.fetchone()
        assert status == d["status"] and version == d["version"]
        return d["agency_id"]

    def update(self, cur, d, at, **columns):
        d["version"] += 1
        columns.update(version=d["version"], updated_at=at)
        sets = ", ".join(f'"{k}" = %s' for k in columns)
        self.ex(cur, f"UPDATE dossiers_dossier SET {sets} WHERE id = %s", (*columns.values(), d["id"]))

    def place(self, d, step, at, handler=None):
        d["step"], d["agency_id"], d["agency_name"] = step, step["agency_id"], step["agency_name"]
        d["role"], d["handler"] = step["role"], handler
        d["step_due_at"] = self.calendar().add(at, step["allowance"], step["unit"])
        return {"current_step_id": step["id"], "current_agency_id": step["agency_id"], "current_role": step["role"],
                "current_handler_id": handler["id"] if handler else None, "step_due_at": d["step_due_at"]}

    def after_commit(self, d, event_id, action, comment, sender_id):
        """What notify_transition writes after commit: citizen messages (one
        transaction), then staff notifications."""
        from django.conf import settings
        from django.utils import timezone

        events = {"submit": "submitted", "accept": "received", "finish": "result_ready"}
        titles = {"submit": "Hồ sơ trực tuyến mới", "forward": "Hồ sơ chuyển đến bạn xử lý",
                  "accept": "Hồ sơ trực tuyến đã được tiếp nhận", "finish": "Hồ sơ có kết quả, chờ trả"}
        cur = self.conn.cursor()
        if action in events:
            due = timezone.localtime(d["due_at"]).strftime("%H:%M ngày %d/%m/%Y") if d.get("due_at") else "—"
            values = {"ma_ho_so": d["code"], "thu_tuc": self.case["procedure_name"], "ho_ten": APPLICANT["owner_name"],
                      "han_tra": due, "ly_do": comment.strip(),
                      "tra_cuu": f"{settings.TINHSO_BASE_URL}/tra-cuu/?ma={d['code']}"}
            targets = []
            if APPLICANT["notify_email"] and self.citizen["notify_email"]:
                targets.append(("email", APPLICANT["owner_email"]))
            if APPLICANT["notify_sms"] and self.citizen["notify_sms"]:
                targets.append(("sms", APPLICANT["owner_phone"]))
            now = timezone.now()
            with self.conn.transaction():
                for channel, recipient in targets:
                    template = self.templates.get((events[action], channel))
                    if template is None:
                        continue
                    subject, body = (t.format_map(_Safe(values)) for t in template)
                    self.ex(cur, "INSERT INTO notifications_outgoingmessage (channel, event, recipient, subject, body, "
                                 "dossier_id, dedupe_key, status, provider_reference, error, created_at) VALUES "
                                 "(%s,%s,%s,%s,%s,%s,%s,'pending','','',%s) ON CONFLICT (dedupe_key) DO NOTHING",
                            (channel, events[action], recipient, subject, body, d["id"],
                             f"event:{event_id}:{channel}", now))
        if action in titles:
            if action == "submit":
                staff = self.role_holders("clerk", self.desk["id"])
            elif d["handler"] is not None:
                staff = [{"id": d["handler"]["id"]}]
            else:
                staff = self.role_holders(d["role"], d["agency_id"])
            staff = [u for u in staff if u["id"] != sender_id]
            if staff:
                now = timezone.now()
                rows = [(u["id"], f"dossier.{action}", f"{titles[action]}: {d['code']}"[:300],
                         f"{self.case['procedure_name']}\n{comment}".strip(), f"/dossiers/{d['code']}/", now)
                        for u in staff]
                self.ex(cur, "INSERT INTO notifications_notification (recipient_id, kind, title, body, url, "
                             "created_at, emailed) VALUES " + ",".join(["(%s,%s,%s,%s,%s,%s,false)"] * len(rows)),
                        [v for row in rows for v in row])

    def lifecycle(self):
        from django.utils import timezone

        self.count += 1
        tag = f"s{os.getpid()}-{self.count}-{time.time_ns()}"
        cal = self.calendar()
        cz, clerk = self.citizen, self.users[CLERK]
        cz_actor = {"id": cz["id"], "username": cz["username"], "full_name": cz["full_name"]}
        cur = self.conn.cursor()
        # submit_online
        at = timezone.now()
        day = timezone.localdate(at)
        with self.conn.transaction():
            self.ex(cur, "INSERT INTO dossiers_dossiercounter (agency_id, day, last) VALUES (%s, %s, 1) "
                         "ON CONFLICT (agency_id, day) DO UPDATE SET last = dossiers_dossiercounter.last + 1 "
                         "RETURNING last", (self.desk["id"], day))
            code = f"{self.desk['code']}-{day:%y%m%d}-{cur.fetchone()[0]:04d}"
            d = {"code": code, "status": 1, "version": 1, "step": None, "agency_id": self.desk["id"],
                 "agency_name": self.desk["name"], "role": "clerk", "handler": None, "step_due_at": None}
            self.ex(cur, "INSERT INTO dossiers_dossier (code, procedure_id, case_id, receiving_agency_id, "
                         "competent_agency_id, current_agency_id, current_step_id, \"current_role\", current_handler_id, "
                         "step_due_at, channel, status, area_id, subject, form_data, owner_name, owner_id_type, "
                         "owner_id_number, owner_birth_date, owner_address, owner_phone, owner_email, owner_verified, "
                         "filer_name, filer_id_number, filer_phone, citizen_id, notify_sms, notify_email, submitted_at, "
                         "received_at, received_by_id, counting_from, due_at, original_due_at, finished_at, "
                         "returned_at, closed_at, outcome, due_soon_notified, overdue_notified, result_summary, "
                         "result_number, result_signer, result_signed_at, return_method, returned_to, reason, "
                         "supplement_requests, extensions, version, created_at, updated_at) VALUES "
                         "(%s,%s,%s,%s,%s,%s,NULL,'clerk',NULL,NULL,2,1,NULL,%s,%s,%s,'cccd',%s,NULL,%s,%s,%s,true,"
                         "'','','',%s,%s,%s,%s,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'',false,false,'','','',NULL,"
                         "'','','',0,0,%s,%s,%s) RETURNING id",
                    (code, self.case["procedure_id"], self.case["id"], self.desk["id"], self.competent_id,
                     self.desk["id"], APPLICANT["subject"], self.Jsonb({}), APPLICANT["owner_name"],
                     APPLICANT["owner_id_number"], APPLICANT["owner_address"], APPLICANT["owner_phone"],
                     APPLICANT["owner_email"], cz["id"], APPLICANT["notify_sms"], APPLICANT["notify_email"], at, 2, at,
                     at))
            d["id"] = cur.fetchone()[0]
            d["version"] = 2
            for i, c in enumerate(self.components, 1):
                self.ex(cur, "INSERT INTO dossiers_dossiercomponent (dossier_id, required_component_id, name, "
                             "originals, copies, received, reused_from_data_store, note, \"order\") VALUES "
                             "(%s,%s,%s,%s,%s,true,false,'',%s) RETURNING id",
                        (d["id"], c["id"], c["name"][:1000], c["originals"], c["copies"], i - 1))
                component_id = cur.fetchone()[0]
                data, name = tiny_pdf(f"{tag}-{i}"), f"thanh-phan-{i}.pdf"
                sha = hashlib.sha256(data).hexdigest()
                rel = self.store(f"dossiers/{d['id']}/component/{sha[:16]}-{name}", data)
                self.ex(cur, "INSERT INTO dossiers_dossierfile (dossier_id, component_id, kind, file, original_name, "
                             "content_type, size, sha256, uploaded_by_id, uploaded_at) VALUES "
                             "(%s,%s,'component',%s,%s,'application/pdf',%s,%s,%s,%s)",
                        (d["id"], component_id, rel, name, len(data), sha, cz["id"], timezone.now()))
            comment = "Nộp hồ sơ trực tuyến"
            event_id = self.event(cur, d, actor=cz_actor, action="submit", at=at, from_status=None, comment=comment)
            self.ex(cur, "INSERT INTO dossiers_idempotencyrecord (key, user_id, scope, dossier_id, event_id, "
                         "created_at) VALUES (%s,%s,'submit',%s,NULL,%s)", (uuid.uuid4().hex, cz["id"], d["id"], at))
        self.after_commit(d, event_id, "submit", comment, cz["id"])
        # accept_online
        at = timezone.now()
        with self.conn.transaction():
            self.lock(cur, d)
            amount = self.case["processing_time"]
            if self.case["online_processing_time"] is not None:
                amount = self.case["online_processing_time"]
            d["due_at"] = cal.add(at, amount, self.case["time_unit"])
            columns = {"status": 2, "received_by_id": clerk["id"], "received_at": at,
                       "counting_from": cal.start_of_counting(at), "due_at": d["due_at"],
                       "original_due_at": d["due_at"]}
            d["status"] = 2
            columns.update(self.place(d, self.steps[0], at, handler=clerk))
            comment = "Tiếp nhận hồ sơ trực tuyến"
            event_id = self.event(cur, d, actor=clerk, action="accept", at=at, from_status=1, comment=comment)
            self.update(cur, d, at, **columns)
        self.after_commit(d, event_id, "accept", comment, clerk["id"])
        # forward x 3
        moves = [(CLERK, self.users[SPECIALIST], "Chuyển thẩm định"), (SPECIALIST, None, "Đủ điều kiện cấp phép"),
                 (HEAD, None, "Trình ký")]
        for i, (sender, receiver, comment) in enumerate(moves, 1):
            actor = self.users[sender]
            at = timezone.now()
            with self.conn.transaction():
                before = self.lock(cur, d)
                from_status, from_step, previous = d["status"], d["step"], d["step_due_at"]
                columns = self.place(d, self.steps[i], at, handler=receiver)
                columns["status"] = d["status"] = 4
                event_id = self.event(cur, d, actor=actor, action="forward", at=at, from_status=from_status,
                                      from_step=from_step, comment=comment, previous_due=previous,
                                      sender_agency_id=before)
                self.update(cur, d, at, **columns)
            self.after_commit(d, event_id, "forward", comment, actor["id"])
        # finish (the result PDF unsigned, as on the actions side)
        leader = self.users[LEADER]
        at = timezone.now()
        with self.conn.transaction():
            before = self.lock(cur, d)
            data, name = tiny_pdf(f"{tag}-kq"), "giay-phep.pdf"
            sha = hashlib.sha256(data).hexdigest()
            rel = self.store(f"dossiers/{d['id']}/result/{sha[:16]}-{name}", data)
            self.ex(cur, "INSERT INTO dossiers_dossierfile (dossier_id, component_id, kind, file, original_name, "
                         "content_type, size, sha256, uploaded_by_id, uploaded_at) VALUES "
                         "(%s,NULL,'result',%s,%s,'application/pdf',%s,%s,%s,%s) RETURNING id",
                    (d["id"], rel, name, len(data), sha, leader["id"], timezone.now()))
            file_id = cur.fetchone()[0]
            doc_code = f"KQ-{d['code']}-1"
            self.ex(cur, "INSERT INTO signatures_signeddocument (code, kind, sha256, pdf, size, created_at) VALUES "
                         "(%s,'result',%s,%s,%s,%s) RETURNING id", (doc_code, sha, data, len(data), timezone.now()))
            self.audit(cur, actor=None, action="signatures.document_registered", ct=self.ct_signed,
                       object_id=cur.fetchone()[0], repr_=doc_code, changes={"kind": "result", "sha256": sha},
                       note="", at=timezone.now())
            from_step, previous = d["step"], d["step_due_at"]
            signed_on = timezone.localdate(at)
            outcome = "late" if at > d["due_at"] else ("on_time" if signed_on == timezone.localdate(d["due_at"])
                                                        else "early")
            columns = {"result_summary": RESULT_SUMMARY, "result_number": f"{self.count}/GPXD",
                       "result_signer": leader["full_name"], "result_signed_at": signed_on, "finished_at": at,
                       "outcome": outcome, "status": 9}
            d["status"] = 9
            columns.update(self.place(d, self.steps[-1], at))
            comment = f"Có kết quả: {RESULT_SUMMARY}"
            event_id = self.event(cur, d, actor=leader, action="finish", at=at, from_status=4, from_step=from_step,
                                  comment=comment, previous_due=previous, sender_agency_id=before)
            self.ex(cur, "INSERT INTO dossiers_dossierevent_attachments (dossierevent_id, dossierfile_id) "
                         "VALUES (%s,%s)", (event_id, file_id))
            self.update(cur, d, at, **columns)
        self.after_commit(d, event_id, "finish", comment, leader["id"])
        # return_result
        at = timezone.now()
        with self.conn.transaction():
            before = self.lock(cur, d)
            d["status"], d["handler"] = 10, None
            comment = f"Trả kết quả cho {RETURNED_TO}"
            self.event(cur, d, actor=clerk, action="return_result", at=at, from_status=9, from_step=d["step"],
                       comment=comment, previous_due=d["step_due_at"], sender_agency_id=before)
            self.update(cur, d, at, status=10, return_method="counter", returned_to=RETURNED_TO, returned_at=at,
                        closed_at=at, current_handler_id=None)
            rel = self.store(f"datastore/{cz['id']}/{sha[:16]}-{name}", data)
            self.ex(cur, "INSERT INTO datastore_datastoreitem (owner_id, kind, title, paper_code, file, "
                         "original_name, content_type, size, sha256, source_dossier_id, issued_on, created_at) VALUES "
                         "(%s,'result',%s,%s,%s,%s,'application/pdf',%s,%s,%s,%s,%s)",
                    (cz["id"], RESULT_SUMMARY, f"{self.count}/GPXD", rel, name, len(data), sha, d["id"], signed_on,
                     timezone.now()))
        return d["id"]


class _Safe(dict):
    def __missing__(self, key):
        return "{" + key + "}"


# --- checks --------------------------------------------------------------------

def row_counts(conn, ids: list[int], ct: int, ct_doc: int) -> dict:
    cur = conn.cursor()
    cur.execute("SELECT code FROM dossiers_dossier WHERE id = ANY(%s)", (ids,))
    codes = [r[0] for r in cur.fetchall()]
    params = {"ids": ids, "sids": [str(i) for i in ids], "ct": ct, "ct_doc": ct_doc,
              "docs": [f"KQ-{c}-1" for c in codes], "urls": [f"/dossiers/{c}/" for c in codes]}
    out = {}
    for name, sql in ROWS.items():
        cur.execute(sql, params)
        out[name] = cur.fetchone()[0]
    return out


def snapshot(conn, dossier_id: int) -> dict:
    """The dossier row and its history, without ids, codes, times and the
    result number (which carries the lifecycle number)."""
    volatile = {"id", "code", "created_at", "updated_at", "dossier_id", "result_number"}
    cur = conn.cursor()

    def rows(sql):
        cur.execute(sql, (dossier_id,))
        names = [c.name for c in cur.description]
        return [{k: v for k, v in zip(names, r) if k not in volatile and not isinstance(v, datetime.datetime)}
                for r in cur.fetchall()]

    return {"dossier": rows("SELECT * FROM dossiers_dossier WHERE id = %s"),
            "events": rows("SELECT * FROM dossiers_dossierevent WHERE dossier_id = %s ORDER BY id"),
            "audit": rows("SELECT actor_id, actor_repr, action, content_type_id, changes, note, personal_data "
                          "FROM audit_auditevent WHERE object_id = %s::text AND action LIKE 'dossiers.%%' ORDER BY id"),
            "components": rows("SELECT * FROM dossiers_dossiercomponent WHERE dossier_id = %s ORDER BY id"),
            "files": [{k: v for k, v in r.items() if k not in ("file", "sha256", "component_id", "size")}
                      for r in rows("SELECT * FROM dossiers_dossierfile WHERE dossier_id = %s ORDER BY id")],
            "messages": [{k: v for k, v in r.items() if k not in ("dedupe_key", "subject", "body")}
                         for r in rows("SELECT * FROM notifications_outgoingmessage WHERE dossier_id = %s ORDER BY id")]}


def differences(a, b, path="") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            out += differences(a.get(k), b.get(k), f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} rows vs {len(b)}"]
        return [d for x, y in zip(a, b) for d in differences(x, y, path + "[]")]
    return [] if a == b else [f"{path}: {a!r} vs {b!r}"]


def count_queries(fn) -> int:
    from django.db import connection

    calls = []

    def wrapper(execute, sql, params, many, context):
        calls.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        fn()
    return len(calls)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=300, help="lifecycles per side and repeat")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per side (best kept)")
    parser.add_argument("--block", type=int, default=5, help="lifecycles per side before switching sides")
    parser.add_argument("--database", default="tinhso_bench")
    parser.add_argument("--dossiers", type=int, default=0,
                        help="province-year in the database (bench/run.py passes the shared one's size); 0: none needed")
    parser.add_argument("--json")
    parser.add_argument("--profile", help="write a cProfile of the actions side to this path")
    args = parser.parse_args(argv)

    env, queue = queue_env()
    media = Path(tempfile.mkdtemp(prefix="tinhso-bench-lifecycle-"))
    url = bootstrap(args.database, dossiers=args.dossiers, TINHSO_DEBUG="0", TINHSO_MEDIA_ROOT=str(media), **env)
    from django.conf import settings
    from django.db import connection

    from tinhso.accounts.models import User

    assert not settings.DEBUG
    User.objects.get_or_create(username=CITIZEN, defaults={
        "full_name": "Nguyễn Văn Bình", "is_citizen": True, "email": "binh@example.vn", "phone": "0912345678"})
    without_pdf_signing()
    actions_side = ActionsSide()
    sql_side = SqlSide(url, actions_side, Path(settings.MEDIA_ROOT))
    check_conn = sql_side.conn
    try:
        # warm-up (caches, prepared statements), then one lifecycle each with its statements counted
        for _ in range(3):
            actions_side.lifecycle()
            sql_side.lifecycle()
        queries_actions = count_queries(actions_side.lifecycle)
        before = sql_side.statements
        sql_side.lifecycle()
        queries_sql = sql_side.statements - before

        # timed: blocks of --block lifecycles, alternating sides so that a
        # change in the machine's load falls on both
        ids_a, ids_s = [], []
        wall = {"a": 0.0, "s": 0.0}
        cpu = {"a": 0.0, "s": 0.0}
        best = {"a": float("inf"), "s": float("inf")}
        block_ratios = []
        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
        for r in range(args.repeat):
            run_wall = {"a": 0.0, "s": 0.0}
            done = 0
            while done < args.n:
                size = min(args.block, args.n - done)
                block = {}
                for side, fn, ids in (("a", actions_side.lifecycle, ids_a), ("s", sql_side.lifecycle, ids_s)):
                    if profiler and side == "a":
                        profiler.enable()
                    t0, c0 = time.perf_counter(), time.process_time()
                    for _ in range(size):
                        ids.append(fn())
                    block[side] = time.perf_counter() - t0
                    run_wall[side] += block[side]
                    cpu[side] += time.process_time() - c0
                    if profiler and side == "a":
                        profiler.disable()
                block_ratios.append(block["s"] / block["a"])
                done += size
            for side in "as":
                wall[side] += run_wall[side]
                best[side] = min(best[side], run_wall[side])
            log(f"[lifecycle] run {r + 1}: actions {args.n / run_wall['a']:.1f}/s, SQL {args.n / run_wall['s']:.1f}/s")
        if profiler:
            profiler.dump_stats(args.profile)
        actions_added = row_counts(check_conn, ids_a, sql_side.ct_dossier, sql_side.ct_signed)
        sql_added = row_counts(check_conn, ids_s, sql_side.ct_dossier, sql_side.ct_signed)
        same_rows = actions_added == sql_added
        if not same_rows:
            log(f"[lifecycle] rows added differ: actions {actions_added} vs SQL {sql_added}")
        per_side = {t: v / len(ids_a) for t, v in actions_added.items()}
        last_a, last_s = ids_a[-1], ids_s[-1]
        diff = differences(snapshot(check_conn, last_a), snapshot(check_conn, last_s))
        if diff:
            log("[lifecycle] the last dossiers differ:\n  " + "\n  ".join(diff[:30]))
        from huey.contrib.djhuey import HUEY

        pending = HUEY.pending_count()
        HUEY.flush()
    finally:
        connection.close()
        sql_side.conn.close()
        shutil.rmtree(media, ignore_errors=True)

    # The headline is over all timed lifecycles of each side (their blocks
    # alternate, so both saw the same load); best-of and the median of the
    # block-by-block ratios are given too.
    total = args.n * args.repeat
    rate_a, rate_s = total / wall["a"], total / wall["s"]
    block_ratios.sort()
    rows_per_lifecycle = {t: round(v, 3) for t, v in per_side.items() if v}
    ok = not diff and same_rows and pending > 0
    result = {
        "benchmark": "lifecycle",
        "figures": [
            figure("complete lifecycles via the actions layer vs hand-written SQL", "lifecycles/s", rate_a, rate_s,
                   target_ratio=TARGET_RATIO, n=args.n, repeat=args.repeat, block=args.block,
                   best_of_runs={"actions": round(args.n / best["a"], 2), "sql": round(args.n / best["s"], 2)},
                   median_block_ratio=round(block_ratios[len(block_ratios) // 2], 3)),
            figure("client CPU per lifecycle (this process; the SQL side's is psycopg and Python)", "ms",
                   1000 * cpu["a"] / total, 1000 * cpu["s"] / total, higher_is_better=False),
            figure("queries per lifecycle (actions; baseline = SQL statements)", "queries", queries_actions,
                   queries_sql, higher_is_better=False),
        ],
        "ok": ok,
        "queue": queue,
        "tasks_enqueued": pending,
        "rows_per_lifecycle": rows_per_lifecycle,
        "rows_actions": actions_added,
        "rows_sql": sql_added,
        "same_rows": same_rows,
        "differences": diff[:30],
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    write_json(args.json, result)
    return result


if __name__ == "__main__":
    main()
