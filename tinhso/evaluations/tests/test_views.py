from django.urls import reverse

from tinhso.audit.models import AuditEvent
from tinhso.evaluations.criteria import DEFAULT_CRITERIA
from tinhso.evaluations.models import Evaluation
from tinhso.evaluations.tests.conftest import make_citizen, open_dossier, returned_dossier

QUESTIONS = ["overall"] + [f"c_{code}" for code, _ in DEFAULT_CRITERIA if code != "overall"]


def url(d):
    return reverse("portal:evaluate", args=[d.code])


def full_form(value="satisfied", **overrides):
    return {**{name: value for name in QUESTIONS}, "comment": "Tốt", **overrides}


def test_anonymous_is_sent_to_the_e_id_login(client, world, citizen):
    d = returned_dossier(world, citizen)
    response = client.get(url(d))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("identity:login") + "?next=")
    assert "danh-gia" in response["Location"]


def test_someone_elses_or_a_missing_dossier_is_not_found(client, world, citizen):
    d = returned_dossier(world, citizen)
    client.force_login(make_citizen("092095009999", "Trần Thị Bình"))
    response = client.get(url(d))
    assert response.status_code == 404 and "Không tìm thấy hồ sơ" in response.content.decode()
    assert client.post(url(d), full_form()).status_code == 404
    assert client.get(reverse("portal:evaluate", args=["KHONG-CO"])).status_code == 404
    client.force_login(world.clerk)  # staff are not the dossier's citizen either
    assert client.get(url(d)).status_code == 404
    assert not Evaluation.objects.exists()


def test_the_form_is_accessible_radio_groups(client, world, citizen):
    d = returned_dossier(world, citizen)
    client.force_login(citizen)
    body = client.get(url(d)).content.decode()
    assert body.count("<fieldset") == 12 and body.count("<legend>") == 12
    assert body.count('type="radio"') == 36
    assert 'id="c_timeliness-satisfied"' in body and 'for="c_timeliness-satisfied"' in body
    assert "Rất hài lòng" in body and "Không hài lòng" in body and d.code in body


def test_errors_are_shown_next_to_the_fields_and_values_are_kept(client, world, citizen):
    d = returned_dossier(world, citizen)
    client.force_login(citizen)
    form = full_form(overall="very_satisfied", c_convenience="not_satisfied", comment="Ý kiến của tôi")
    del form["c_timeliness"]
    response = client.post(url(d), form)
    body = response.content.decode()
    assert response.status_code == 422
    assert 'id="c_timeliness-error"' in body and 'aria-describedby="c_timeliness-error"' in body
    assert 'href="#q-c_timeliness"' in body  # the error summary links to the question
    assert 'id="overall-very_satisfied" value="very_satisfied" required checked' in body
    assert 'id="c_convenience-not_satisfied" value="not_satisfied" required checked' in body
    assert "Ý kiến của tôi</textarea>" in body
    assert not Evaluation.objects.exists()


def test_submit_then_the_page_shows_the_evaluation_and_refuses_a_second(client, world, citizen):
    d = returned_dossier(world, citizen)
    client.force_login(citizen)
    response = client.post(url(d), full_form(overall="very_satisfied", c_publicity="not_satisfied"), follow=True)
    body = response.content.decode()
    assert response.status_code == 200 and "Cảm ơn bạn đã đánh giá" in body
    assert "Bạn đã đánh giá hồ sơ này" in body and "<form method=\"post\" novalidate" not in body
    ev = Evaluation.objects.get(dossier=d)
    assert ev.overall == "very_satisfied" and ev.ratings.get(criterion__code="overall").rating == "very_satisfied"
    assert ev.ratings.get(criterion__code="publicity").rating == "not_satisfied" and ev.comment == "Tốt"
    assert AuditEvent.objects.filter(action="evaluations.submit", object_id=str(ev.pk)).exists()
    client.post(url(d), full_form(overall="not_satisfied"))
    assert Evaluation.objects.get(dossier=d).overall == "very_satisfied" and Evaluation.objects.count() == 1


def test_no_form_before_the_result_is_returned(client, world, citizen):
    d = open_dossier(world, citizen)
    client.force_login(citizen)
    body = client.get(url(d)).content.decode()
    assert "sau khi hồ sơ đã được trả kết quả" in body and 'type="radio"' not in body
    client.post(url(d), full_form())
    assert not Evaluation.objects.exists()
