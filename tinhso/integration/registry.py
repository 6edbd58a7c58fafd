"""The service registry's seed: what Tỉnh Số offers (each code is a scope a
client system can be granted) and the national systems it consumes. An
administrator edits the rows (owner, version, status, timeouts, breaker
thresholds) on /tich-hop/dich-vu/; `ensure()` only adds the ones missing, so
an edit is never overwritten."""

from __future__ import annotations

from tinhso.integration.models import Direction, Service

OFFERED = {
    "open311": ("Open311 GeoReport v2 (phản ánh hiện trường)", "Trung tâm Giám sát, điều hành",
                "v2", "http://wiki.open311.org/GeoReport_v2"),
    "dossiers": ("Hồ sơ thủ tục hành chính (/api/v1/dossiers)", "Văn phòng UBND tỉnh", "1", "/api/v1/openapi.json"),
    "field-reports": ("Phản ánh hiện trường (/api/v1/field-reports)", "Trung tâm Giám sát, điều hành", "1",
                      "/api/v1/openapi.json"),
    "documents": ("Văn bản đi, đến (/api/v1/documents)", "Văn phòng UBND tỉnh", "1", "/api/v1/openapi.json"),
    "security-events": ("Sự kiện an toàn thông tin cho SIEM (/api/v1/security/events)", "Sở Khoa học và Công nghệ",
                        "1", "/api/v1/openapi.json"),
}

CONSUMED = {
    "population": ("Cơ sở dữ liệu quốc gia về dân cư", "Bộ Công an (C06)", "docs/national-registries.md#protocol-shapes--unverified"),
    "business-registry": ("Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp", "Bộ Tài chính (Cục Quản lý đăng ký kinh doanh)",
                          "docs/national-registries.md#protocol-shapes--unverified"),
    "civil-status": ("Cơ sở dữ liệu hộ tịch điện tử", "Bộ Tư pháp", "docs/national-registries.md#protocol-shapes--unverified"),
    "national-portal": ("Cổng Dịch vụ công quốc gia (đồng bộ hồ sơ)", "Văn phòng Chính phủ",
                        "docs/national-portal-and-post.md#the-national-portal-protocol-unverified"),
    "postal": ("Bưu chính công ích (thu gom hồ sơ, chuyển trả kết quả)", "Tổng công ty Bưu điện Việt Nam",
               "docs/national-portal-and-post.md#the-postal-protocol-unverified"),
    "document-axis": ("Trục liên thông văn bản quốc gia", "Văn phòng Chính phủ",
                      "docs/official-documents.md#exchange-edxml-over-the-national-document-axis"),
    "web-push": ("Dịch vụ đẩy thông báo của trình duyệt (Web Push, RFC 8030)", "Nhà cung cấp trình duyệt (FCM, Mozilla, Apple)",
                 "docs/citizen-app.md#push-notifications-web-push"),
    "weather": ("Dự báo thời tiết (API kiểu Open-Meteo)", "Đài Khí tượng thủy văn / nhà cung cấp mở", "docs/citizen-app.md#weather-thời-tiết"),
    "paygov": ("Nền tảng thanh toán trực tuyến (PayGov, Cổng Dịch vụ công quốc gia)", "Văn phòng Chính phủ",
               "docs/payments.md#the-protocol"),
    "vneid": ("Định danh và xác thực điện tử (VNeID, OpenID Connect)", "Bộ Công an (C06)",
              "docs/identity.md#how-a-sign-in-works"),
    "tsa": ("Dịch vụ cấp dấu thời gian (RFC 3161)", "Tổ chức cung cấp dịch vụ cấp dấu thời gian được cấp phép",
            "docs/signatures.md#time-stamping-tsa-rfc-3161"),
    "remote-signing": ("Ký số từ xa (CSC API v1)", "Tổ chức cung cấp dịch vụ chứng thực chữ ký số công cộng",
                       "docs/signatures.md#remote-signing-csc-api-v1"),
    "sms": ("Tin nhắn thương hiệu (SMS brandname) gửi công dân", "Nhà cung cấp SMS brandname theo hợp đồng của tỉnh",
            "docs/portal.md#notifications"),
}

# The version of each consumed protocol as Tỉnh Số speaks it: the shapes of the national systems are written from
# public descriptions and marked unverified in the docs until checked with the operator ("chưa xác minh").
CONSUMED_VERSIONS = {
    "population": "1 (chưa xác minh)", "business-registry": "1 (chưa xác minh)", "civil-status": "1 (chưa xác minh)",
    "national-portal": "1 (chưa xác minh)", "postal": "1 (chưa xác minh)", "document-axis": "QCVN 102:2016 (edXML)",
    "web-push": "RFC 8030/8291/8292", "weather": "Open-Meteo forecast v1", "paygov": "2 (chưa xác minh)",
    "vneid": "OpenID Connect Core 1.0", "tsa": "RFC 3161", "remote-signing": "CSC API 1.0.4", "sms": "1 (theo hợp đồng)",
}
# Specification links the first seed wrote (anchors that did not exist): migration 0004 replaces them.
OLD_SPECS = {"docs/integration.md#dan-cu", "docs/integration.md#doanh-nghiep", "docs/integration.md#ho-tich",
             "docs/integration.md#cong-dvcqg", "docs/integration.md#buu-chinh", "docs/official-documents.md",
             "docs/citizen-app.md#thoi-tiet"}


def ensure() -> None:
    """Add the seeded services that are missing (cheap when all exist)."""
    have = set(Service.objects.values_list("code", flat=True))
    rows = [Service(code=code, name=name, direction=Direction.OFFERED, owner=owner, version=version, spec_url=spec)
            for code, (name, owner, version, spec) in OFFERED.items() if code not in have]
    rows += [Service(code=code, name=name, direction=Direction.CONSUMED, owner=owner, spec_url=spec,
                     version=CONSUMED_VERSIONS.get(code, ""))
             for code, (name, owner, spec) in CONSUMED.items() if code not in have]
    if rows:
        Service.objects.bulk_create(rows, ignore_conflicts=True)


def service(code: str) -> Service:
    row = Service.objects.filter(code=code).first()
    if row is None:
        ensure()
        row = Service.objects.filter(code=code).first()
    if row is None:
        raise LookupError(f"unknown integration service {code!r}")
    return row


def offered_codes() -> list[str]:
    ensure()
    return list(Service.objects.filter(direction=Direction.OFFERED).values_list("code", flat=True))
