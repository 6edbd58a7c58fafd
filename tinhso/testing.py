"""Factories for tests. Small functions, real rows, no mocks."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

import requests
import requests.adapters
from requests.structures import CaseInsensitiveDict

from tinhso.units.models import REFORM_DATE


def make_unit(code: str, name: str, *, level: str = "commune", parent=None, current: bool = True):
    """The unit with this level and code (imported from the real data set when
    the session loaded it), created if missing."""
    from tinhso.units.models import AdministrativeUnit

    unit, _ = AdministrativeUnit.objects.get_or_create(
        level=level, code=code, valid_from=REFORM_DATE if current else None,
        defaults={"name": name, "parent": parent,
                  "valid_to": None if current else REFORM_DATE - datetime.timedelta(days=1)},
    )
    return unit


def make_agency(code: str, name: str, *, unit=None, parent=None, kind: str = "department", short_name: str = ""):
    from tinhso.agencies.models import Agency

    if unit is None:
        unit = parent.unit if parent is not None else make_unit("92", "Thành phố Cần Thơ", level="province")
    existing = Agency.objects.filter(code=code).first()
    if existing is not None:
        return existing
    return Agency.objects.create(code=code, name=name, unit=unit, parent=parent, kind=kind, short_name=short_name)


def make_staff(username: str, *, roles=(), password: str = "Matkhau-2026!", full_name: str = "",
               two_factor: bool | None = None):
    """A staff user holding `roles`, each a (role, agency) pair. A system
    administrator has enrolled an authenticator (two-factor sign-in is required
    for that role by default) unless `two_factor=False`."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tinhso.accounts.models import RoleAssignment, User

    user = User.objects.create_user(username=username, password=password, full_name=full_name or username)
    for role, agency in roles:
        RoleAssignment.objects.create(user=user, agency=agency, role=role)
    if two_factor is None:
        two_factor = any(role == "system_admin" for role, _ in roles)
    if two_factor:
        TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=True)
    return user


def staff_page(chromium, base: str, username: str, password: str = "TinhSo@2026", **context):
    """A new browser page signed in as a demo staff member (browser tests);
    `context` goes to the browser context, e.g. a phone's
    `viewport={"width": 360, "height": 780}, is_mobile=True`."""
    page = chromium.new_context(locale="vi-VN", **context).new_page()
    page.set_default_timeout(15000)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name="Xin chào").wait_for()
    return page


def xlsx_upload(header, rows, name: str = "nhap.xlsx"):
    """An uploaded .xlsx (first sheet: the header row, then the rows), as a
    user sends it to an import."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


class DjangoTestClientAdapter(requests.adapters.BaseAdapter):
    """A `requests` transport adapter that hands each request to Django's test
    client: a client's back-channel calls (e-ID, payment platform, national
    systems) go through the very same `requests` code as in production; only
    the last hop, the socket, is replaced, so a test needs no live server and
    runs inside its database transaction. Mount it on the module's
    TRANSPORT_MOUNTS for http://testserver/. `calls` lists (method, path,
    status); `down` (path prefixes) makes those paths refuse the connection,
    as a stopped server does."""

    HOP_HEADERS = {"content-type", "content-length", "host", "connection", "accept-encoding"}

    def __init__(self):
        super().__init__()
        from django.test import Client

        self.client = Client(enforce_csrf_checks=True)
        self.calls: list[tuple[str, str, int]] = []
        self.down: set[str] = set()

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        parts = urlsplit(request.url)
        if any(parts.path.startswith(prefix) for prefix in self.down):
            self.calls.append((request.method, parts.path, 0))
            raise requests.ConnectionError(f"connection refused: {request.url}", request=request)
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in self.HOP_HEADERS}
        django_response = self.client.generic(
            request.method, parts.path + (f"?{parts.query}" if parts.query else ""), data=body,
            content_type=request.headers.get("Content-Type", ""), secure=parts.scheme == "https", headers=headers)
        self.calls.append((request.method, parts.path, django_response.status_code))
        response = requests.Response()
        response.status_code = django_response.status_code
        response.reason = getattr(django_response, "reason_phrase", "")
        response.headers = CaseInsensitiveDict(dict(django_response.items()))
        response._content = django_response.content
        response.encoding = "utf-8"
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass


def reseed(app_label: str, *names: str) -> None:
    """Run the RunPython steps of data migrations `names` of `app_label` again.
    A transactional test (live server, browser) empties every table when it
    ends, so rows seeded by data migrations (message templates, reasons …) are
    gone for the transactional tests after it; call this in their fixtures."""
    from importlib import import_module

    from django.apps import apps
    from django.db import migrations

    for name in names:
        module = import_module(f"{apps.get_app_config(app_label).module.__name__}.migrations.{name}")
        for operation in module.Migration.operations:
            if isinstance(operation, migrations.RunPython):
                operation.code(apps, None)


def run_together(*calls, timeout: float = 120) -> list:
    """Call each of `calls` in its own thread (so its own database
    connection), all released at once by a barrier: a real race on
    PostgreSQL (SQLite serialises the writers). Returns each call's result, or
    the exception it raised, in the order given; the threads' connections are
    closed. Needs `django_db(transaction=True)`, so the threads see the rows."""
    import threading

    from django.db import close_old_connections, connection

    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, fn):
        close_old_connections()
        try:
            barrier.wait(timeout=10)
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    return results
