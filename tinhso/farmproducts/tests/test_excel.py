"""Excel import of growing-area codes, packing houses and products, all or
nothing with every bad row listed (row, column, reason); the templates; the
export with its codes and states, guarded against formula injection."""

import io

import pytest
from openpyxl import load_workbook

from tinhso.audit.models import AuditEvent
from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.core.spreadsheets import ImportRefused
from tinhso.farmproducts import actions, importer
from tinhso.farmproducts.models import GrowingArea, PackingHouse, Producer, Product, ShopLink
from tinhso.farmproducts.tests.conftest import unit, xlsx

pytestmark = pytest.mark.django_db

AREA_HEADER = importer.SPECS["area"].headers
PRODUCT_HEADER = importer.SPECS["product"].headers


def _areas(specialist, snnmt, *rows, header=AREA_HEADER):
    return importer.import_file(acting_user=specialist, kind="area", agency_id=snnmt.pk,
                                upload=xlsx(header, *rows))


def test_growing_areas_are_imported_with_their_states_and_audited(specialist, snnmt, household):
    result = _areas(specialist, snnmt,
                    ("vn-ctor-0101", "Dâu", 18.5, "Xã Phong Điền", "", "Hộ Nguyễn Văn Tư", 10.0034, 105.6702,
                     "Đang hiệu lực"),
                    ("VN-CTOR-0102", "Bưởi Năm Roi", "12,5", "", "31315", "", "", "", ""),
                    ("VN-CTOR-0103", "Lúa", 3, "xa phong dien", "", "", None, None, "chờ xác minh"))
    assert (result.created, result.verified) == (3, 1)
    first = GrowingArea.objects.get(code="VN-CTOR-0101")
    assert first.status == "active" and first.producer == household and first.agency == snnmt
    assert first.unit.code == "31299" and (first.lat, first.lng) == (10.0034, 105.6702)
    second = GrowingArea.objects.get(code="VN-CTOR-0102")
    assert second.status == "pending" and str(second.area_ha) == "12.50" and second.unit.code == "31315"
    assert AuditEvent.objects.filter(action="farmproducts.growing_area.registered").count() == 3
    assert AuditEvent.objects.filter(action="farmproducts.area.verify").count() == 1
    audit = AuditEvent.objects.get(action="farmproducts.imported")
    assert audit.changes["kind"] == "area" and audit.changes["created"] == 3 and audit.note == "nhap.xlsx"


def test_a_file_with_bad_rows_saves_nothing_and_lists_row_column_and_reason(specialist, snnmt, household, area):
    with pytest.raises(ImportRefused) as caught:
        _areas(specialist, snnmt,
               ("VN-CTOR-0201", "Xoài", 5, "Xã Cờ Đỏ", "", "", "", "", ""),              # 2: good
               ("ab", "Xoài", 5, "Xã Cờ Đỏ", "", "", "", "", ""),                        # 3: bad code format
               ("VN-CTOR-0201", "Xoài", 5, "Xã Cờ Đỏ", "", "", "", "", ""),              # 4: same code as row 2
               ("VN-CTOR-0101", "Dâu", 5, "Xã Cờ Đỏ", "", "", "", "", ""),               # 5: already in the database
               ("VN-CTOR-0202", "Xoài", 5, "Xã Không Có", "", "", "", "", ""),           # 6: unknown commune
               ("VN-CTOR-0203", "Xoài", "năm ha", "Xã Cờ Đỏ", "", "", "", "", ""),      # 7: area not a number
               ("VN-CTOR-0204", "Xoài", "NaN", "Xã Cờ Đỏ", "", "", "", "", ""),         # 8: NaN
               ("VN-CTOR-0205", "", 5, "Xã Cờ Đỏ", "", "Chủ thể lạ", "10", "", "tạm dừng"),  # 9: four at once
               ("VN-CTOR-0206", "Xoài", 5, "Xã Cờ Đỏ", "", "", "inf", "105", ""))      # 10: lat infinite
    rows = caught.value.rows
    by_row = {}
    for r in rows:
        by_row.setdefault(r["row"], []).append((r["column"], r["message"]))
    assert sorted(by_row) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert by_row[3] == [("Mã số vùng trồng", by_row[3][0][1])] and "VN-CTOR-0012" in by_row[3][0][1]
    assert by_row[4] == [("Mã số vùng trồng", "Trùng mã VN-CTOR-0201 với dòng 2.")]
    assert by_row[5] == [("Mã số vùng trồng", "Mã số VN-CTOR-0101 đã có trong hệ thống.")]
    assert by_row[6] == [("Xã, phường", "Không nhận ra xã, phường “Xã Không Có”.")]
    assert by_row[7] == [("Diện tích (ha)", "Diện tích là số ha, ví dụ 12,5.")]
    assert by_row[8] == [("Diện tích (ha)", "Diện tích là số ha, ví dụ 12,5.")]
    assert {c for c, _m in by_row[9]} == {"Cây trồng", "Chủ thể sản xuất", "Kinh độ", "Tình trạng"}
    assert by_row[10] == [("Vĩ độ", "Tọa độ phải là số, ví dụ 10,0342.")]
    assert caught.value.message.startswith("Tệp có 8 dòng lỗi; chưa nhập dòng nào.")
    assert "row 3" in {e["field"] for e in caught.value.errors}
    assert set(GrowingArea.objects.values_list("code", flat=True)) == {"VN-CTOR-0101"}
    assert not AuditEvent.objects.filter(action__in=["farmproducts.imported",
                                                     "farmproducts.growing_area.registered"]).exclude(
        object_id=str(area.pk)).exists()


def test_a_missing_required_column_or_an_unreadable_file_refuses_the_whole_file(specialist, snnmt):
    header = [h for h in AREA_HEADER if h != "Diện tích (ha)"]
    with pytest.raises(InvalidInput) as caught:
        _areas(specialist, snnmt, ("VN-CTOR-0301", "Lúa", "Xã Cờ Đỏ"), header=header)
    assert caught.value.code == "bad_header" and "Diện tích (ha)" in caught.value.message
    with pytest.raises(InvalidInput, match="không có dòng dữ liệu"):
        _areas(specialist, snnmt)
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(InvalidInput, match="XLSX"):
        importer.import_file(acting_user=specialist, kind="area", agency_id=snnmt.pk,
                             upload=SimpleUploadedFile("a.xlsx", b"=cmd|' /C calc'!A0"))
    with pytest.raises(InvalidInput):
        importer.import_file(acting_user=specialist, kind="khac", agency_id=snnmt.pk, upload=xlsx(AREA_HEADER))
    assert not GrowingArea.objects.exists()


def test_only_the_officials_of_the_issuing_agency_import(outsider, snnmt):
    with pytest.raises(PermissionDenied):
        importer.import_file(acting_user=outsider, kind="area", agency_id=snnmt.pk, upload=xlsx(
            AREA_HEADER, ("VN-CTOR-0401", "Lúa", 3, "Xã Cờ Đỏ", "", "", "", "", "Đang hiệu lực")))
    assert not GrowingArea.objects.exists()


def test_packing_houses_are_imported(specialist, snnmt):
    result = importer.import_file(acting_user=specialist, kind="packing", agency_id=snnmt.pk, upload=xlsx(
        importer.SPECS["packing"].headers,
        ("VN-CTPH-0012", "Cơ sở đóng gói trái cây Phong Điền", "Xã Phong Điền", "", 10.0051, 105.6689, "Đang hiệu lực"),
        ("VN-CTPH-0025", "Cơ sở đóng gói xoài Cờ Đỏ", "", 31261, "", "", "")))
    assert (result.created, result.verified) == (2, 1)
    assert dict(PackingHouse.objects.values_list("code", "status")) == {"VN-CTPH-0012": "active",
                                                                        "VN-CTPH-0025": "pending"}
    with pytest.raises(ImportRefused) as caught:
        importer.import_file(acting_user=specialist, kind="packing", agency_id=snnmt.pk, upload=xlsx(
            importer.SPECS["packing"].headers, ("VN-CTPH-0012", "", "Xã Phong Điền", "", "", "", "")))
    assert {r["column"] for r in caught.value.rows} == {"Mã số cơ sở đóng gói", "Tên cơ sở"}


def test_products_are_imported_with_new_producers_and_shop_links(specialist, snnmt, household):
    result = importer.import_file(acting_user=specialist, kind="product", agency_id=snnmt.pk, upload=xlsx(
        PRODUCT_HEADER,
        ("Hợp tác xã Xoài Cờ Đỏ", "Hợp tác xã, tổ hợp tác", "Xã Cờ Đỏ", "", "1801345678", "Xoài cát Hòa Lộc",
         "Trái cây", 4, "1576/QĐ-UBND", "20/11/2024", "20/11/2027",
         "Shopee https://shopee.vn/xoaicodo\nhttps://www.lazada.vn/shop/xoai", ""),
        ("hop tac xa xoai co do", "", "", "31261", "", "Xoài tượng", "trai cay", "", "", "", "", "", ""),
        ("Hộ Nguyễn Văn Tư", "", "Xã Nhơn Ái", "", "", "Bưởi Năm Roi", "Trái cây", "", "", "", "", "", "Vỏ mỏng")))
    assert (result.created, result.producers_created, result.shop_links) == (3, 1, 2)
    cooperative = Producer.objects.get(name="Hợp tác xã Xoài Cờ Đỏ")
    assert cooperative.kind == "cooperative" and cooperative.agency == snnmt and cooperative.registration_code
    mango = Product.objects.get(name="Xoài cát Hòa Lộc")
    assert mango.ocop_stars == 4 and mango.ocop_certified_on.isoformat() == "2024-11-20"
    assert dict(ShopLink.objects.filter(product=mango).values_list("platform", "url")) == {
        "Shopee": "https://shopee.vn/xoaicodo", "Lazada": "https://www.lazada.vn/shop/xoai"}
    assert Product.objects.get(name="Xoài tượng").producer == cooperative
    assert Product.objects.get(name="Bưởi Năm Roi").producer == household
    assert AuditEvent.objects.filter(action="farmproducts.product.created").count() == 3


def test_bad_product_rows_save_nothing(specialist, snnmt, household, outsider, product):
    from tinhso.agencies.models import Agency

    sxd = Agency.objects.get(code="000.00.11.H13")
    actions.register_producer(acting_user=None, name="Hộ của Sở khác", kind="household", unit_id=unit("31261").pk,
                              agency_id=sxd.pk)
    row = ["Hợp tác xã Mới", "Hợp tác xã", "Xã Cờ Đỏ", "", "", "Xoài", "Trái cây", "", "", "", "", "", ""]

    def changed(**cells):
        out = list(row)
        for key, value in cells.items():
            out[PRODUCT_HEADER.index(importer.H[key])] = value
        return out

    with pytest.raises(ImportRefused) as caught:
        importer.import_file(acting_user=specialist, kind="product", agency_id=snnmt.pk, upload=xlsx(
            PRODUCT_HEADER,
            row,                                                                   # 2: good
            changed(name="Xoài"),                                                  # 3: same as row 2
            changed(producer="Hộ Nguyễn Văn Tư", commune="Xã Nhơn Ái", name="Dâu Hạ Châu"),  # 4: already there
            changed(producer="Hộ Mới", kind=""),                                   # 5: new producer without kind
            changed(name="Cam", category="Vàng bạc"),                              # 6: unknown category
            changed(name="Quýt", ocop_stars="nan", ocop_certificate_no="1", ocop_certified_on="01/01/2024"),  # 7
            changed(name="Chanh", ocop_stars=4, ocop_certificate_no="1", ocop_certified_on="hôm qua"),  # 8
            changed(name="Ổi", shops="javascript:alert(1)"),                        # 9: not a web address
            changed(producer="Hộ của Sở khác", name="Ổi"),                          # 10: not this official's
            changed(name="Mít", commune="Xã Không Có"),                             # 11: unknown commune
            changed(name="")))                                                     # 12: no product name
    columns = {r["row"]: r["column"] for r in caught.value.rows}
    assert len(caught.value.rows) == len(columns)  # one reason a row here, none that only follows from another
    assert columns == {3: "Tên sản phẩm", 4: "Tên sản phẩm", 5: "Loại hình", 6: "Nhóm", 7: "Số sao OCOP",
                       8: "Ngày chứng nhận OCOP", 9: "Gian hàng thương mại điện tử", 10: "Chủ thể sản xuất",
                       11: "Xã, phường", 12: "Tên sản phẩm"}
    messages = {r["row"]: r["message"] for r in caught.value.rows}
    assert "Trùng với dòng 2" in messages[3] and "đã có sản phẩm “Dâu Hạ Châu”" in messages[4]
    assert "Lúa gạo, Trái cây" in messages[6] and "Sở Xây dựng" in messages[10]
    assert Product.objects.count() == 1 and not Producer.objects.filter(name="Hợp tác xã Mới").exists()


def test_templates_download_and_import_as_they_are(client, specialist, snnmt, household):
    client.force_login(specialist)
    for kind, spec in importer.SPECS.items():
        response = client.get("/nong-san/nhap-excel/", {"mau": kind})
        assert response.status_code == 200 and spec.filename in response["Content-Disposition"]
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [c.value for c in sheet[1]] == spec.headers
    importer.import_file(acting_user=specialist, kind="packing", agency_id=snnmt.pk, upload=xlsx(
        importer.SPECS["packing"].headers, importer.SPECS["packing"].example))
    assert PackingHouse.objects.get().status == "active"


def test_the_import_page_is_linked_and_lists_bad_rows(client, specialist, snnmt):
    client.force_login(specialist)
    assert 'href="/nong-san/nhap-excel/"' in client.get("/nong-san/").content.decode()
    assert 'href="/nong-san/xuat-excel/"' in client.get("/nong-san/ma-so/").content.decode()
    response = client.post("/nong-san/nhap-excel/", {"kind": "area", "agency": snnmt.pk, "file": xlsx(
        AREA_HEADER, ("VN-CTOR-0501", "Lúa", "nhiều", "Xã Cờ Đỏ", "", "", "", "", ""))})
    page = response.content.decode()
    assert response.status_code == 422 and "chưa nhập dòng nào" in page
    assert "<td>2</td><td>Diện tích (ha)</td><td>Diện tích là số ha, ví dụ 12,5.</td>" in page
    response = client.post("/nong-san/nhap-excel/", {"kind": "area", "agency": snnmt.pk, "file": xlsx(
        AREA_HEADER, ("VN-CTOR-0501", "Lúa", "2", "Xã Cờ Đỏ", "", "", "", "", ""))})
    assert response.status_code == 302 and GrowingArea.objects.filter(code="VN-CTOR-0501").exists()


def test_the_export_has_codes_and_states_and_never_a_formula(client, specialist, outsider, snnmt, batch, area):
    actions.change_code_status(acting_user=specialist, kind="area", code=area.code, action="suspend",
                               reason="=HYPERLINK(\"http://x\",\"bấm\")")
    actions.save_product(acting_user=specialist, producer_id=batch.product.producer_id, name="@SUM(1+1)",
                         category="other", description="-2+3+cmd|' /C calc'!A0")
    Producer.objects.filter(pk=batch.product.producer_id).update(registration_code="079123456789")
    actions.register_producer(acting_user=specialist, name="HTX Xoài", kind="cooperative", unit_id=unit("31261").pk,
                              agency_id=snnmt.pk, registration_code="1801345678")
    client.force_login(specialist)
    response = client.get("/nong-san/xuat-excel/")
    assert response.status_code == 200 and "nong-san-ma-so.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Chu the san xuat", "San pham", "Vung trong", "Co so dong goi"]
    areas = [dict(zip([c.value for c in book["Vung trong"][1]], [c.value for c in row]))
             for row in book["Vung trong"].iter_rows(min_row=2)]
    assert areas[0]["Mã số vùng trồng"] == "VN-CTOR-0101" and areas[0]["Tình trạng"] == "Tạm dừng"
    assert areas[0]["Lý do tạm dừng"] == "=HYPERLINK(\"http://x\",\"bấm\")"  # a text cell, as typed
    assert book["Vung trong"]["A2"].data_type == "s"
    products = {row[5].value: row for row in book["San pham"].iter_rows(min_row=2)}
    assert "@SUM(1+1)" in products and products["@SUM(1+1)"][12].value == "-2+3+cmd|' /C calc'!A0"
    assert products["@SUM(1+1)"][5].data_type == "s" and products["@SUM(1+1)"][12].data_type == "s"
    assert products["Dâu Hạ Châu"][7].value == 4 and "Shopee https://shopee.vn/dauhachau" in products["Dâu Hạ Châu"][11].value
    producers = {row[0].value: row[4].value for row in book["Chu the san xuat"].iter_rows(min_row=2)}
    assert producers == {"HTX Xoài": "1801345678", "Hộ Nguyễn Văn Tư": None}  # a household's tax code is a person's
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    client.force_login(outsider)  # another department's official sees none of it
    book = load_workbook(io.BytesIO(client.get("/nong-san/xuat-excel/").content))
    assert all(sheet.max_row == 1 for sheet in book.worksheets)


def test_the_exported_products_import_back(client, specialist, snnmt, product):
    client.force_login(specialist)
    book = load_workbook(io.BytesIO(client.get("/nong-san/xuat-excel/").content))
    rows = [[c.value for c in row] for row in book["San pham"].iter_rows()]
    Product.objects.all().delete()
    result = importer.import_file(acting_user=specialist, kind="product", agency_id=snnmt.pk,
                                  upload=xlsx(rows[0], *rows[1:]))
    again = Product.objects.get()
    assert (result.created, result.producers_created) == (1, 0)
    assert (again.name, again.ocop_stars, again.ocop_expires_on) == ("Dâu Hạ Châu", 4, product.ocop_expires_on)
    assert list(again.shop_links.values_list("platform", "url")) == [("Shopee", "https://shopee.vn/dauhachau")]
