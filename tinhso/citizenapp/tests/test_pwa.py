"""The installable app's parts over HTTP: the manifest (fields and icons a
browser asks for), the service worker (scope, version, no caching of its
own code), the shell and offline pages, the back-office warnings page."""

import datetime

from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image

from tinhso.citizenapp.views import version


def test_manifest_has_what_installability_needs(db):
    r = Client().get("/app/manifest.webmanifest")
    assert r.status_code == 200 and r["Content-Type"] == "application/manifest+json"
    m = r.json()
    assert m["lang"] == "vi" and m["name"].startswith("Tỉnh Số") and m["short_name"] == "Tỉnh Số"
    assert m["start_url"] == "/app/?source=pwa" and m["scope"] == "/app/" and m["display"] == "standalone"
    assert m["theme_color"].startswith("#") and m["background_color"].startswith("#")
    sizes = {(i["sizes"], i["purpose"]) for i in m["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in m["icons"]:
        name = icon["src"].split("/static/", 1)[1]
        with Image.open(finders.find(name)) as image:
            assert image.format == "PNG" and f"{image.width}x{image.height}" == icon["sizes"]


def test_the_shell_links_the_manifest_and_is_not_cached_stale(db):
    r = Client().get("/app/?source=pwa")
    html = r.content.decode()
    assert r.status_code == 200 and 'rel="manifest" href="/app/manifest.webmanifest"' in html
    assert "no-cache" in r["Cache-Control"] and "csrftoken" in r.cookies
    assert f'content="{version()}"' in html


def test_service_worker_carries_the_deployed_version(db):
    r = Client().get("/app/sw.js")
    body = r.content.decode()
    assert r.status_code == 200 and r["Content-Type"].startswith("text/javascript")
    assert r["Service-Worker-Allowed"] == "/app/" and "no-cache" in r["Cache-Control"]
    assert body.startswith(f'const VERSION = "{version()}";')
    assert "skipWaiting" in body and "clients.claim" in body and '"/app/offline/"' in body


def test_offline_page_says_so(db):
    assert "Đang ngoại tuyến — hiển thị dữ liệu lần trước" in Client().get("/app/offline/").content.decode()


def test_english_is_available(db):
    client = Client()
    client.cookies["django_language"] = "en"
    assert '<html lang="en">' in client.get("/app/").content.decode()  # strings follow once translated
    assert '<html lang="vi">' in Client().get("/app/").content.decode()


def test_warnings_page_publishes_for_the_operations_centre(db, settings):
    from tinhso.citizenapp.models import WeatherWarning
    from tinhso.testing import make_agency, make_staff, make_unit

    settings.TINHSO_REQUIRE_2FA = False
    province = make_unit("92", "Thành phố Cần Thơ", level="province")
    commune = make_unit("31321", "Phường Vị Thanh", level="commune", parent=province)
    agency = make_agency("000.00.99.H13", "Trung tâm Giám sát, điều hành", unit=province)
    centre = make_staff("dieuhanh.p", roles=[("operations_centre", agency)])
    clerk = make_staff("motcua.p", roles=[("clerk", agency)])
    client = Client()
    client.force_login(clerk)
    assert client.get("/app/canh-bao/").status_code == 403
    client.force_login(centre)
    until = (datetime.datetime.now() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    r = client.post("/app/canh-bao/", {"title": "", "text": "x", "severity": "warning", "communes": [commune.pk],
                                       "valid_until": until})
    assert r.status_code == 200 and not WeatherWarning.objects.exists()
    r = client.post("/app/canh-bao/", {"title": "Bão số 9", "text": "Gió giật cấp 10.", "severity": "danger",
                                       "communes": [commune.pk], "valid_until": until}, follow=True)
    assert "Đã đăng cảnh báo" in r.content.decode()
    assert WeatherWarning.objects.get().communes.get() == commune
