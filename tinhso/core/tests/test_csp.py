"""Content-Security-Policy: every response carries a strict policy, and the
pages keep working under it in a real browser (no inline script or style)."""

import pathlib
import re

import pytest
from django.core.management import call_command

from tinhso.core.csp import csp_policy

TEMPLATES = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/dvc/", "/accounts/login/", "/api/v1/health", "/api/v1/openapi.json", "/xac-thuc/"])
def test_every_response_has_a_strict_policy(client, path):
    policy = client.get(path)["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_forms_may_post_only_to_this_site_and_the_configured_national_systems(settings):
    settings.TINHSO_OIDC_ISSUER = "https://eid.example.gov.vn/realms/dvc"
    settings.TINHSO_PAYGOV_PAY_URL = "https://pay.example.gov.vn/pay?x=1"
    settings.TINHSO_CSP_FORM_ACTION = ("not a url",)
    form_action = re.search(r"form-action ([^;]+)", csp_policy()).group(1).split()
    assert form_action == ["'self'", "https://eid.example.gov.vn", "https://pay.example.gov.vn"]


def test_no_template_has_inline_script_or_style():
    offenders = []
    pattern = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")|<style|\sstyle=\"|\son[a-z]+=\"",
                         re.I)
    for template in TEMPLATES.rglob("*.html"):
        if "/tests/" in str(template):
            continue
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{template.relative_to(TEMPLATES)}:{number}")
    assert offenders == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_key_pages_show_no_policy_violation_in_a_browser(chromium, live_server, real_units):
    call_command("seed_demo", verbosity=0)
    from tinhso.catalogue.models import Procedure
    from tinhso.dossiers.models import Dossier

    procedure = Procedure.objects.filter(is_active=True).first()
    dossier = Dossier.objects.filter(competent_agency__code="000.00.11.H13").first() or Dossier.objects.first()

    context = chromium.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation', "
                            "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile));")
    page = context.new_page()
    page.set_default_timeout(15000)
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    seen = {}

    def visit(path, ready=None):
        page.goto(f"{live_server.url}{path}")
        if ready:
            page.locator(ready).first.wait_for()
        seen[path] = page.evaluate("window.__csp")

    for path in ["/dvc/", "/dvc/thu-tuc/", f"/dvc/thu-tuc/{procedure.code}/", "/tra-cuu/", "/xac-thuc/",
                 "/accounts/login/"]:
        visit(path)
    visit("/api/v1/docs", ".swagger-ui .information-container")
    visit("/phan-anh/", "#list-map.map-ready")  # Leaflet from the npm package draws without breaking the policy
    visit("/phan-anh/gui/", "#pick-map.map-ready")
    # The language switcher submits by script (no inline handler).
    page.goto(f"{live_server.url}/dvc/")
    with page.expect_navigation():
        page.get_by_label("Ngôn ngữ").first.select_option("en")
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_navigation():
        page.get_by_label("Language").first.select_option("vi")
    assert page.locator("html").get_attribute("lang") == "vi"

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("lanhdao.sxd")
    page.get_by_label("Mật khẩu").fill("TinhSo@2026")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    for path in ["/", "/dossiers/", f"/dossiers/{dossier.code}/", "/calendar/", "/agencies/", "/units/",
                 "/catalogue/", "/dashboard/", "/notifications/", "/phan-anh/dieu-hanh/",
                 "/phan-anh/dieu-hanh/thong-ke/"]:
        visit(path)
    context.close()
    assert {path: v for path, v in seen.items() if v} == {}
    assert console == []
