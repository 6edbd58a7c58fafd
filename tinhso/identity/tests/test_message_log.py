"""The relying party's back channel through the integration platform: each call
to the e-ID provider is a row of the message log under the consumed service
`vneid`, with no token, code or citizen data in it."""

from tinhso.integration.models import MessageLog, Service

AN = "092085001234"


def test_a_sign_in_leaves_one_row_per_back_channel_call_and_no_personal_data(flow, client):
    flow.sign_in(AN)
    rows = list(MessageLog.objects.filter(service="vneid").order_by("seq"))
    assert [(r.direction, r.operation, r.status, r.outcome) for r in rows] == [
        ("out", "GET http://testserver/sandbox/idp/.well-known/openid-configuration", 200, "ok"),
        ("out", "POST http://testserver/sandbox/idp/token", 200, "ok"),
        ("out", "GET http://testserver/sandbox/idp/jwks", 200, "ok"),
        ("out", "GET http://testserver/sandbox/idp/userinfo", 200, "ok"),
    ]
    discovery, token, jwks, userinfo = rows
    assert token.purpose.startswith("Đổi mã đăng nhập") and userinfo.purpose.startswith("Lấy thông tin")
    # the calls of one sign-in share a subject: a digest of its state, nothing about the citizen
    assert discovery.subject == "" and token.subject == jwks.subject == userinfo.subject
    assert token.subject.startswith("dang-nhap:") and len(token.subject) == len("dang-nhap:") + 16
    session_state = flow.authorize_url.split("state=")[1].split("&")[0]
    for row in rows:
        text = f"{row.operation} {row.purpose} {row.subject}"
        assert AN not in text and "Nguyễn" not in text and "0901234567" not in text and session_state not in text
        assert len(row.response_digest) == 64
    assert Service.objects.get(code="vneid").last_ok_at is not None


def test_an_unreachable_provider_is_logged_and_counted_for_the_breaker(client, db, settings):
    settings.TINHSO_OIDC_ISSUER = "http://127.0.0.1:9/idp"  # nothing listens on the discard port
    settings.TINHSO_OIDC_CLIENT_SECRET = "s3cret-from-the-provider"
    settings.TINHSO_OIDC_TIMEOUT = 2
    Service.objects.filter(code="vneid").update(max_retries=1, failure_threshold=2)
    assert client.get("/dinh-danh/login/").status_code == 502
    assert list(MessageLog.objects.filter(service="vneid").values_list("outcome", flat=True)) == [
        "unavailable", "unavailable"]  # a GET: retried once
    assert client.get("/dinh-danh/login/").status_code == 502
    assert Service.objects.get(code="vneid").breaker == "open"
    response = client.get("/dinh-danh/login/")  # refused at once: the provider is not called
    assert response.status_code == 502 and "Không kết nối được" in response.content.decode()
    assert MessageLog.objects.filter(service="vneid").latest("seq").outcome == "circuit_open"
