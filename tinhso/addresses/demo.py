"""Demo addresses of Cần Thơ: streets of Ninh Kiều and Cái Khế, hamlets of
Phong Điền and Nhơn Ái, Vị Thanh (former Hậu Giang). Points are approximate.
Idempotent: an address already there (same place) is skipped."""

from __future__ import annotations

from django.db import transaction

from tinhso.addresses.actions import fingerprint, register_address
from tinhso.addresses.models import Address
from tinhso.units.models import AdministrativeUnit

# (commune code, house number, street, hamlet, lat, lng)
ADDRESSES = [
    ("31135", "2", "đường Hai Bà Trưng", "", 10.03275, 105.78779),
    ("31135", "45", "đường Phan Đình Phùng", "", 10.03262, 105.78402),
    ("31135", "126", "đường Trần Hưng Đạo", "", 10.02870, 105.77570),
    ("31135", "8", "đường Ngô Quyền", "", 10.03345, 105.78596),
    ("31135", "22", "đường Hòa Bình", "", 10.03183, 105.78104),
    ("31135", "57", "đường 30 Tháng 4", "", 10.02555, 105.77681),
    ("31135", "3", "đường Lý Tự Trọng", "", 10.03093, 105.77930),
    ("31120", "18", "đường Trần Phú", "", 10.04621, 105.78577),
    ("31120", "90", "đường Cách Mạng Tháng 8", "", 10.05012, 105.77396),
    ("31120", "15", "đường Mậu Thân", "", 10.03969, 105.77092),
    ("31120", "", "đường Võ Văn Tần", "khu vực 2", 10.04412, 105.78155),
    ("31321", "10", "đường Trần Hưng Đạo", "", 9.78452, 105.47082),
    ("31321", "5", "đường 3 Tháng 2", "", 9.78313, 105.46793),
    ("31321", "", "đường Nguyễn Công Trứ", "khu vực 4", 9.78611, 105.46950),
    ("31299", "", "", "ấp Nhơn Lộc 1", 9.99990, 105.67460),
    ("31299", "", "", "ấp Nhơn Lộc 2", 10.00310, 105.66920),
    ("31299", "", "đường tỉnh 923", "ấp Thị Tứ", 10.00580, 105.66710),
    ("31315", "", "", "ấp Mỹ Long", 10.01400, 105.70300),
    ("31315", "", "", "ấp Thị Tứ", 10.01050, 105.70920),
    ("31315", "", "đường Lộ Vòng Cung", "ấp Nhơn Thọ 1", 10.01890, 105.71530),
    ("31441", "", "", "ấp 3", 9.80700, 105.59500),
    ("31441", "", "", "ấp 7", 9.79900, 105.60850),
    ("31453", "", "", "ấp 3", 9.73270, 105.57260),
]


def seed_addresses() -> int:
    units = {u.code: u for u in AdministrativeUnit.objects.filter(
        level="commune", valid_to__isnull=True, code__in={row[0] for row in ADDRESSES})}
    existing = set(Address.objects.values_list("fingerprint", flat=True))
    added = 0
    with transaction.atomic():
        for code, house, street, hamlet, lat, lng in ADDRESSES:
            unit = units.get(code)
            if unit is None or fingerprint(house, street, hamlet, unit) in existing:
                continue
            register_address(acting_user=None, house_number=house, street=street, hamlet=hamlet, unit_id=unit.pk,
                             lat=lat, lng=lng, source="demo")
            added += 1
    return added
