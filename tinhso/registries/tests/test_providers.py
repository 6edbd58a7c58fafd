"""The three clients against their sandboxes: answers, errors, garbage, down, cache, message log."""

import datetime

import pytest

from tinhso.integration import outbound
from tinhso.integration.models import MessageLog
from tinhso.registries.providers import NotConfigured
from tinhso.registries.providers.business import provider as business
from tinhso.registries.providers.civil_status import provider as civil
from tinhso.registries.providers.population import provider as population
from tinhso.registries.tests.conftest import AN, BIRTH_REF

pytestmark = pytest.mark.django_db


def test_population_match_returns_the_prefill_fields(sandbox):
    answer = population.verify(id_number=AN["id_number"], full_name="nguyễn  văn an",
                               birth_date=datetime.date(1985, 3, 12), purpose="kiểm thử")
    assert answer["outcome"] == "match"
    person = answer["person"]
    assert person["full_name"] == "Nguyễn Văn An" and person["birth_date"] == "1985-03-12"
    assert person["commune_code"] == "31135" and "Phường Ninh Kiều" in person["address"]
    assert person["household_head"] == "Nguyễn Văn An" and "Võ Thị Hạnh" in person["household_members"]
    assert sandbox.calls == [("POST", "/sandbox/national/population/v1/cong-dan/xac-thuc", 200)]


def test_population_mismatch_names_the_field_and_not_found(sandbox):
    wrong = population.verify(id_number=AN["id_number"], full_name="Nguyễn Văn Ân", purpose="kiểm thử")
    assert wrong == {"outcome": "mismatch", "mismatched": ["full_name"], "person": None}
    born = population.verify(id_number=AN["id_number"], birth_date=datetime.date(1985, 3, 13), purpose="kiểm thử")
    assert born["mismatched"] == ["birth_date"]
    assert population.verify(id_number="092000000000", full_name="Ai Đó", purpose="kiểm thử")["outcome"] == "not_found"


def test_every_eid_sandbox_citizen_is_in_the_population_sandbox(sandbox):
    import json
    from pathlib import Path

    import tinhso.identity

    citizens = json.loads((Path(tinhso.identity.__file__).parent / "sandbox_citizens.json").read_text())["citizens"]
    for c in citizens:
        answer = population.verify(id_number=c["id_number"], full_name=c["full_name"],
                                   birth_date=datetime.date.fromisoformat(c["birth_date"]), purpose="kiểm thử")
        assert answer["outcome"] == "match", c["id_number"]


def test_sandbox_commune_codes_are_2025_communes_of_the_demo_province():
    from django.conf import settings as dj

    from tinhso.registries.sandbox import data

    text = (dj.TINHSO_ADMIN_UNITS_DIR / "1027_CTK-CSCL.md").read_text(encoding="utf-8") \
        if hasattr(dj.TINHSO_ADMIN_UNITS_DIR, "joinpath") else open(f"{dj.TINHSO_ADMIN_UNITS_DIR}/1027_CTK-CSCL.md",
                                                                     encoding="utf-8").read()
    can_tho = {line.split("|")[2].strip() for line in text.splitlines() if "Cần Thơ" in line and line.count("|") > 4}
    assert {p["commune_code"] for p in data()["people"]} <= can_tho
    assert len(data()["people"]) >= 30 and len(data()["businesses"]) >= 12 and len(data()["civil_records"]) >= 12


def test_business_lookup_and_civil_status_verification(sandbox):
    found = business.lookup("1800987654", purpose="kiểm thử")
    assert found["status"] == "suspended" and found["representative"] == "Danh Sơn"
    assert business.lookup("1899999999", purpose="kiểm thử") is None
    valid = civil.verify("birth", BIRTH_REF, purpose="kiểm thử")
    assert valid["outcome"] == "valid" and valid["record"]["mother"] == "Trần Thị Bích Ngọc"
    wrong = civil.verify("birth", {**BIRTH_REF, "person": "Đỗ Gia Huy"}, purpose="kiểm thử")
    assert wrong["outcome"] == "invalid" and wrong["mismatched"] == ["person"]
    assert civil.verify("marriage", {**BIRTH_REF, "number": "999/2020"}, purpose="kiểm thử")["not_found"]


def test_bad_secret_is_a_bad_answer_with_a_clear_message(sandbox, settings):
    settings.TINHSO_POPULATION_KEY = "sai"
    with pytest.raises(outbound.BadAnswer) as exc:
        population.verify(id_number=AN["id_number"], full_name=AN["full_name"], purpose="kiểm thử")
    assert "401" in exc.value.detail and "không đúng định dạng" in exc.value.message


def test_garbage_answer_is_a_bad_answer_and_counts_for_the_breaker(sandbox, settings):
    from tinhso.integration.registry import service

    settings.TINHSO_NATIONAL_SANDBOX_MODE = "garbage"
    with pytest.raises(outbound.BadAnswer) as exc:
        population.verify(id_number=AN["id_number"], full_name=AN["full_name"], purpose="kiểm thử")
    assert "CSDL quốc gia về dân cư" in exc.value.message and "không phải JSON" in exc.value.detail
    assert service("population").failures == 1
    with pytest.raises(outbound.BadAnswer):
        business.lookup("1801234567", purpose="kiểm thử")


def test_garbage_again_and_again_opens_the_breaker_and_is_logged_as_a_bad_answer(sandbox, settings):
    """A system answering garbage is as unusable as one that is down: the
    failures add up across calls (a 200 of garbage is not a success), the
    breaker opens, and the log rows say bad_answer, not ok."""
    from tinhso.integration.models import Breaker, MessageLog
    from tinhso.integration.registry import service

    settings.TINHSO_REGISTRY_CACHE_SECONDS = 0
    settings.TINHSO_NATIONAL_SANDBOX_MODE = "garbage"
    threshold = service("population").failure_threshold
    for n in range(threshold):
        with pytest.raises(outbound.BadAnswer):
            population.verify(id_number=AN["id_number"], full_name=f"Người {n}", purpose="kiểm thử")
    svc = service("population")
    assert svc.failures == threshold and svc.breaker == Breaker.OPEN
    rows = MessageLog.objects.filter(service="population").order_by("seq")
    assert [r.outcome for r in rows] == ["bad_answer"] * threshold and all(r.status == 200 for r in rows)
    with pytest.raises(outbound.Unavailable):  # not called while open
        population.verify(id_number=AN["id_number"], full_name="Người khác", purpose="kiểm thử")
    assert MessageLog.objects.filter(service="population").order_by("seq").last().outcome == "circuit_open"


def test_a_fake_path_answering_html_is_a_bad_answer(sandbox, settings):
    settings.TINHSO_CIVIL_STATUS_URL = "http://testserver/khong-co"  # Django's 404 page, HTML
    with pytest.raises(outbound.BadAnswer):
        civil.verify("birth", BIRTH_REF, purpose="kiểm thử")


def test_down_raises_unavailable_and_not_configured_is_said(sandbox, settings):
    sandbox.down.add("/sandbox/national/population/")
    with pytest.raises(outbound.Unavailable):
        population.verify(id_number=AN["id_number"], full_name=AN["full_name"], purpose="kiểm thử")
    settings.TINHSO_BUSINESS_REGISTRY_SANDBOX = False
    with pytest.raises(NotConfigured) as exc:
        business.lookup("1801234567", purpose="kiểm thử")
    assert "Chưa cấu hình" in exc.value.message


def test_a_second_identical_lookup_is_served_from_the_cache(sandbox):
    for _ in range(2):
        population.verify(id_number=AN["id_number"], full_name=AN["full_name"], purpose="kiểm thử")
    assert len(sandbox.calls) == 1


def test_every_exchange_is_in_the_message_log_without_personal_data(sandbox):
    population.verify(id_number=AN["id_number"], full_name=AN["full_name"], purpose="kiểm thử", subject="consent:7")
    business.lookup("1801234567", purpose="kiểm thử")
    rows = list(MessageLog.objects.filter(direction="out").order_by("seq"))
    assert [r.service for r in rows] == ["population", "business-registry"]
    assert rows[0].outcome == "ok" and rows[0].subject == "consent:7" and len(rows[0].request_digest) == 64
    flat = " ".join(f"{r.operation} {r.purpose} {r.subject}" for r in rows)
    assert AN["id_number"] not in flat and "Nguyễn" not in flat
