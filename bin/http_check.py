"""CI helper for bin/check-fresh-clone: checks that a running Tỉnh Số answers its
main pages, signs a demo staff member in, and prints the session headers that
the API fuzzer then sends (`Cookie: …` and `X-CSRFToken: …`, one per line).

Usage: http_check.py BASE_URL USERNAME PASSWORD"""

import re
import sys

import requests

base, username, password = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
PUBLIC = ["/dvc/", "/dvc/thu-tuc/", "/tra-cuu/", "/xac-thuc/", "/accounts/login/", "/api/v1/openapi.json",
          "/api/v1/docs", "/api/v1/health", "/phan-anh/", "/phan-anh/gui/", "/open311/v2/services.json",
          "/open311/v2/requests.xml", "/static/vendor/leaflet/leaflet.js"]
STAFF = ["/", "/dossiers/", "/dossiers/book/", "/catalogue/", "/calendar/", "/agencies/", "/units/",
         "/notifications/", "/accounts/security/"]
failures = []


def check(session, path, must_contain=None):
    response = session.get(base + path, timeout=60)
    ok = response.status_code == 200 and (must_contain is None or must_contain in response.text)
    print(f"  {'ok ' if ok else 'BAD'} {response.status_code} {path}", file=sys.stderr)
    if not ok:
        failures.append(f"{path}: HTTP {response.status_code}")
    return response


anonymous = requests.Session()
for path in PUBLIC:
    check(anonymous, path)
home = anonymous.get(base + "/", timeout=60, allow_redirects=False)
if home.status_code != 302 or "/accounts/login/" not in home.headers.get("Location", ""):
    failures.append(f"/ for an anonymous visitor: HTTP {home.status_code}, expected a redirect to sign in")

staff = requests.Session()
page = staff.get(base + "/accounts/login/", timeout=60)
token = staff.cookies.get("csrftoken") or re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
signed_in = staff.post(base + "/accounts/login/", timeout=60, headers={"Referer": base + "/accounts/login/"},
                       data={"username": username, "password": password, "csrfmiddlewaretoken": token, "next": "/"})
if "Xin chào" not in signed_in.text:
    failures.append(f"staff sign-in as {username} did not reach the home page (HTTP {signed_in.status_code})")
for path in STAFF:
    check(staff, path)

if failures:
    print("Fresh-clone check FAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
    sys.exit(1)
cookies = "; ".join(f"{c.name}={c.value}" for c in staff.cookies)
print(f"Cookie: {cookies}")
print(f"X-CSRFToken: {staff.cookies.get('csrftoken')}")
