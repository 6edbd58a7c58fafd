import re

import pytest
from django.urls import reverse

from tinhso.catalogue import fuzzy, public_views
from tinhso.catalogue.models import Procedure, ProcedureCase, RequiredComponent

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("portal:catalogue")


def procedure_url(code):
    return reverse("portal:procedure", args=[code])


def search(client, **params):
    response = client.get(CATALOGUE, params)
    assert response.status_code == 200
    return response.content.decode()


def found(body) -> list[str]:
    """The procedure codes listed as results."""
    return re.findall(r'<article class="card procedure-item">.*?<code>(.*?)</code>', body, re.S)


# --- fuzzy search -------------------------------------------------------------

@pytest.mark.parametrize("query", ["Đăng ký khai sinh", "dang ky khai sinh", "dang ky khai sin", "dang ky kha sinh",
                                   "DANG KY KHAI SINH"])
def test_missing_diacritics_and_unfinished_words_find_the_procedure(client, catalogue, query):
    body = search(client, q=query)
    assert found(body) == ["1.001193"] and "Thủ tục đăng ký khai sinh" in body
    assert "Kết quả cho:" not in body  # nothing needed correcting


@pytest.mark.parametrize("query,shown", [
    ("dang ky khia sinh", "đăng ký khai sinh"),   # swapped letters
    ("dang ki khai sinh", "đăng ký khai sinh"),   # i for y
    ("dang ky khai sinj", "đăng ký khai sinh"),   # wrong key
    ("giay phep xay dunh", "giấy phép xây dựng"),
])
def test_typos_are_corrected_and_the_user_is_told(client, catalogue, query, shown):
    body = search(client, q=query)
    assert "Kết quả cho:" in body and f"<strong>{shown}</strong>" in body
    assert found(body) == (["1.001193"] if "sinh" in shown else ["1.009794"])


def test_code_search(client, catalogue):
    assert found(search(client, q="1.001193")) == ["1.001193"]
    assert found(search(client, q="1.0097")) == ["1.009794"]
    body = search(client, q="1.001194")  # codes are never "corrected" into another procedure
    assert found(body) == [] and "Không tìm thấy thủ tục nào phù hợp" in body and "Kết quả cho:" not in body


def test_no_results_message(client, catalogue):
    body = search(client, q="qwxz hộ chiếu")
    assert "Không tìm thấy thủ tục nào phù hợp với “qwxz hộ chiếu”" in body
    assert "procedure-item" not in body


def test_correct_keeps_known_words_and_replaces_unknown_ones(catalogue):
    fuzzy.clear_cache()
    c = fuzzy.correct("dang ky khia sinh")
    assert c.corrected and c.alternatives == [["dang"], ["ky"], ["khai"], ["sinh"]]
    c = fuzzy.correct("xyzw")
    assert not c.corrected and c.unmatched == ["xyzw"]
    assert fuzzy.correct("").tokens == []


def _vocab(words, pairs=()):
    return fuzzy.Vocabulary(words=tuple(sorted(words)), display={w: w for w in words},
                            counts={w: 1 for w in words}, pairs=frozenset(pairs))


def test_context_picks_among_equally_close_words():
    vocab = _vocab(["chung", "thuc", "thu", "the", "tuc"], pairs=[("chung", "thuc"), ("thu", "tuc")])
    assert fuzzy.closest("thc", vocab, left=["chung"]) == ["thuc"]
    assert fuzzy.correct("chung thc", vocab).alternatives == [["chung"], ["thuc"]]
    assert fuzzy.closest("xe", vocab) == []  # two-letter syllables are not guessed...
    assert fuzzy.closest("ki", _vocab(["ky"])) == ["ky"]  # ...except the i/y spelling variant


def test_the_harder_pass_also_tries_close_words_for_unfinished_ones(client, catalogue):
    vocab = _vocab(["dang", "ky", "kinh", "ket", "hon"], pairs=[("dang", "ky"), ("ky", "ket")])
    assert fuzzy.correct("dang ki", vocab).alternatives == [["dang"], ["ki"]]  # `ki` starts `kinh`
    assert fuzzy.correct("dang ki", vocab, harder=True).alternatives == [["dang"], ["ki", "ky"]]
    Procedure.objects.filter(code="1.009794").update(name="Thủ tục cấp giấy phép kinh doanh")
    body = search(client, q="dang ki khai sinh")
    assert found(body) == ["1.001193"] and "Kết quả cho: <strong>đăng ký khai sinh</strong>" in body


def test_distance():
    assert fuzzy.distance("khia", "khai", 2) == 1  # a swap is one typo
    assert fuzzy.distance("sinj", "sinh", 2) == 1
    assert fuzzy.distance("abcdef", "ab", 2) == 3


def test_the_vocabulary_is_rebuilt_when_the_catalogue_changes(client, catalogue):
    fuzzy.clear_cache()
    assert "Không tìm thấy" in search(client, q="chung thuc")
    vocab = fuzzy.vocabulary()
    assert fuzzy.vocabulary() is vocab  # cached while nothing changes
    p = Procedure.objects.get(code="1.001193")
    p.name = "Thủ tục chứng thực bản sao"
    p.save()
    assert fuzzy.vocabulary() is not vocab
    assert "Thủ tục chứng thực bản sao" in search(client, q="chung thuk")
    Procedure.objects.filter(code="1.001193").update(is_active=False)  # a bare update changes the count
    assert "chung" not in fuzzy.vocabulary().words


# --- filters and listing --------------------------------------------------------

def test_anonymous_listing_shows_code_name_field_levels_badge_and_time(client, catalogue):
    body = search(client)
    assert found(body) == ["1.001193", "1.009794"]
    assert "Hộ tịch" in body and "Hoạt động xây dựng" in body
    assert "Cấp xã" in body and "Cấp tỉnh" in body
    assert 'class="badge full">Toàn trình' in body and 'class="badge partial">Một phần' in body
    assert "1 ngày làm việc" in body and "15 ngày" in body
    assert 'lang="vi"' in body and 'name="viewport"' in body


def test_inactive_procedures_are_not_listed(client, catalogue):
    Procedure.objects.filter(code="1.009794").update(is_active=False)
    assert found(search(client)) == ["1.001193"]


def test_filters_by_field_online_level_and_competent_agency(client, catalogue, demo_agencies):
    assert found(search(client, field="XD")) == ["1.009794"]
    assert found(search(client, field="HT", q="khai sinh")) == ["1.001193"]
    assert found(search(client, field="XD", q="khai sinh")) == []
    assert found(search(client, online="full")) == ["1.001193"]
    assert found(search(client, online="partial", q="giay phep")) == ["1.009794"]
    # The commune committee resolves both since 1 July 2025; Sở Xây dựng's competence ended on 30 June 2025.
    assert found(search(client, agency="000.31.21.H13")) == ["1.001193", "1.009794"]
    body = search(client, agency="000.00.11.H13")
    assert found(body) == [] and "Không tìm thấy thủ tục nào phù hợp" in body
    assert '<option value="000.31.21.H13"' in body and '<option value="000.00.11.H13"' not in body
    assert '<option value="000.00.11.H13" selected' not in body
    assert found(search(client, online="bogus")) == ["1.001193", "1.009794"]


def test_pagination_keeps_the_filters(client, catalogue, monkeypatch):
    monkeypatch.setattr(public_views, "PAGE_SIZE", 1)
    first = search(client, q="thu tuc")
    assert found(first) == ["1.001193"]
    assert "Trang 1 / 2" in first and "q=thu+tuc&amp;page=2" in first
    second = search(client, q="thu tuc", page=2)
    assert found(second) == ["1.009794"] and "q=thu+tuc&amp;page=1" in second
    assert found(search(client, q="thu tuc", page=99)) == ["1.009794"]  # out of range: last page


# --- procedure page -------------------------------------------------------------

def test_procedure_page_shows_components_templates_fees_steps_and_online_button(client, catalogue):
    case = ProcedureCase.objects.get(procedure__code="1.001193", code="1")
    component = RequiredComponent.objects.get(case=case, order=2)
    component.template_file.name = "catalogue/templates/giay-chung-sinh.docx"
    component.save()
    response = client.get(procedure_url("1.001193"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tờ khai đăng ký khai sinh" in body and "Giấy chứng sinh" in body
    assert 'href="https://example.gov.vn/to-khai.docx"' in body
    assert 'href="/media/catalogue/templates/giay-chung-sinh.docx"' in body or "giay-chung-sinh.docx" in body
    assert body.count("Có thể lấy từ kho dữ liệu") == 1
    assert "Lệ phí đăng ký khai sinh: <strong>Miễn</strong>" in body
    assert body.index("Tiếp nhận") < body.index("Thẩm định") < body.index("Ký duyệt")
    assert "1 ngày làm việc" in body and "Giấy khai sinh" in body and "Luật Hộ tịch" in body
    assert "UBND cấp xã" in body and "UBND phường Vị Thanh" in body  # competent today, by kind
    assert f'href="{reverse("portal:submit", args=[case.pk])}"' in body and "Nộp trực tuyến" in body
    assert "Nộp trực tiếp tại bộ phận một cửa" not in body


def test_partial_procedure_can_be_filed_online_and_shows_fees_and_online_time(client, catalogue):
    body = client.get(procedure_url("1.009794")).content.decode()
    assert "Lệ phí cấp phép: <strong>75.000 đồng</strong>" in body
    assert "15 ngày" in body and "nộp trực tuyến: 12 ngày" in body
    assert "online-submit" in body  # một phần: filed online, the rest at the desk
    assert "Sở Xây dựng" not in body  # its competence ended in 2025
    assert "Trung tâm Phục vụ hành chính công thành phố" in body  # receiving agency


def test_a_case_not_offered_online_has_no_online_button(client, catalogue):
    ProcedureCase.objects.filter(procedure__code="1.001193").update(not_online=True)
    body = client.get(procedure_url("1.001193")).content.decode()
    assert "online-submit" not in body and "Nộp trực tiếp tại bộ phận một cửa" in body
    assert "không cung cấp trực tuyến" in body


def test_unknown_code_is_a_vietnamese_404(client, catalogue):
    response = client.get(procedure_url("9.999999"))
    assert response.status_code == 404
    body = response.content.decode()
    assert "Không tìm thấy thủ tục" in body and "9.999999" in body and 'lang="vi"' in body


def test_pages_do_few_queries(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        search(client, q="dang ky khia sinh", field="HT", online="full")
    with django_assert_max_num_queries(16):
        client.get(procedure_url("1.001193"))
