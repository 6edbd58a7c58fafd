"""Test data for the catalogue: the demo province's agencies and small catalogues."""

from __future__ import annotations

import copy

from tinhso.testing import make_agency, make_staff, make_unit

DEMO_AGENCIES = [
    ("000.00.00.H13", "UBND thành phố Cần Thơ", "provincial_committee"),
    ("000.00.02.H13", "Trung tâm Phục vụ hành chính công thành phố", "provincial_service_centre"),
    ("000.00.10.H13", "Sở Tư pháp", "department"),
    ("000.00.11.H13", "Sở Xây dựng", "department"),
    ("000.00.12.H13", "Sở Nông nghiệp và Môi trường", "department"),
    ("000.00.13.H13", "Sở Tài chính", "department"),
    ("000.00.14.H13", "Sở Y tế", "department"),
    ("000.00.15.H13", "Sở Nội vụ", "department"),
    ("000.00.16.H13", "Sở Công Thương", "department"),
    ("000.00.17.H13", "Sở Giáo dục và Đào tạo", "department"),
]


def make_demo_agencies(province, commune) -> dict:
    """The demo province's agencies plus one commune committee and service centre."""
    out = {}
    for code, name, kind in DEMO_AGENCIES:
        out[code] = make_agency(code, name, unit=province, kind=kind)
    out["commune_committee"] = make_agency("000.31.21.H13", "UBND phường Vị Thanh", unit=commune,
                                           kind="commune_committee")
    out["commune_service_centre"] = make_agency("000.31.22.H13", "Trung tâm Phục vụ hành chính công phường Vị Thanh",
                                                unit=commune, kind="commune_service_centre")
    return out


def small_catalogue() -> dict:
    """Two procedures in the import format, with every nested part."""
    steps = [
        {"order": 1, "name": "Tiếp nhận", "role": "clerk", "agency": None, "agency_kind": "commune_service_centre",
         "allowance": 1, "allowance_unit": "working_hours"},
        {"order": 2, "name": "Thẩm định", "role": "specialist", "agency": None, "agency_kind": "commune_committee",
         "allowance": 4.5, "allowance_unit": "working_hours"},
        {"order": 3, "name": "Ký duyệt", "role": "leader", "agency": None, "agency_kind": "commune_committee",
         "allowance": 2, "allowance_unit": "working_hours"},
    ]
    moves = [{"from": 1, "to": 2, "kind": "forward"}, {"from": 2, "to": 1, "kind": "back"},
             {"from": 2, "to": 3, "kind": "forward"}]
    birth_case = {
        "code": "1", "name": "Đăng ký khai sinh đúng hạn", "processing_time": 1, "time_unit": "working_days",
        "online_processing_time": None, "digital_signature_required": True, "online_payment_required": False,
        "not_online": False, "authorised_filing": True, "no_appointment": False,
        "fee_payment_moment": "before_reception", "valid_from": None, "valid_to": None,
        "components": [
            {"order": 1, "name": "Tờ khai đăng ký khai sinh", "paper_code": "TK01", "originals": 1, "copies": 0,
             "required": True, "template_url": "https://example.gov.vn/to-khai.docx", "from_data_store": False,
             "from_national_db": False},
            {"order": 2, "name": "Giấy chứng sinh", "paper_code": "", "originals": 1, "copies": 0, "required": True,
             "template_url": "", "from_data_store": True, "from_national_db": False},
        ],
        "fees": [{"kind": "charge", "name": "Lệ phí đăng ký khai sinh", "amount": 0, "note": "Miễn",
                  "valid_from": "2020-01-01", "valid_to": None}],
        "steps": steps, "moves": moves,
    }
    permit_case = {
        **copy.deepcopy(birth_case), "code": "GP", "name": "Cấp giấy phép xây dựng", "processing_time": 15,
        "time_unit": "days", "online_processing_time": 12,
        "fees": [{"kind": "charge", "name": "Lệ phí cấp phép", "amount": 75000, "note": "", "valid_from": None,
                  "valid_to": None}],
    }
    permit_case["steps"] = [dict(s, agency="000.00.11.H13", agency_kind="") if s["order"] == 2 else s
                            for s in copy.deepcopy(steps)]
    return {
        "format": "tinhso-catalogue", "version": 1, "notes": "",
        "fields": [{"code": "HT", "name": "Hộ tịch"}, {"code": "XD", "name": "Hoạt động xây dựng"}],
        "procedures": [
            {"code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "field": "HT", "levels": ["commune"],
             "online_level": "full", "legacy_level": 4, "result_name": "Giấy khai sinh", "legal_basis": "Luật Hộ tịch",
             "decision": "", "inter_agency": False, "fee_status": "free", "is_active": True, "note": "",
             "sample_fields": [],
             "agencies": [{"agency": None, "agency_kind": "commune_committee", "role": "competent",
                           "level": "commune", "valid_from": "2025-07-01", "valid_to": None}],
             "cases": [birth_case]},
            {"code": "1.009794", "name": "Thủ tục cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", "field": "XD",
             "levels": ["province", "commune"], "online_level": "partial", "legacy_level": 3, "result_name":
             "Giấy phép xây dựng", "legal_basis": "", "decision": "QĐ 1/2025", "inter_agency": True,
             "fee_status": "charged", "is_active": True, "note": "", "sample_fields": ["fees"],
             "agencies": [
                 {"agency": "000.00.11.H13", "agency_kind": "", "role": "competent", "level": "province",
                  "valid_from": None, "valid_to": "2025-06-30"},
                 {"agency": None, "agency_kind": "commune_committee", "role": "competent", "level": "commune",
                  "valid_from": "2025-07-01", "valid_to": None},
                 {"agency": "000.00.02.H13", "agency_kind": "", "role": "receiving", "level": "province",
                  "valid_from": None, "valid_to": None}],
             "cases": [permit_case]},
        ],
    }


__all__ = ["make_demo_agencies", "make_staff", "make_unit", "small_catalogue"]
