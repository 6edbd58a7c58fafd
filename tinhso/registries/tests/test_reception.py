"""The registries at reception: consent, the counter round trip, papers taken
from a national database, the system down and the job that checks later."""

import datetime

import pytest
from django.urls import reverse

from tinhso.audit.models import AuditEvent
from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.dossiers.models import Dossier, DossierEvent
from tinhso.integration.models import MessageLog
from tinhso.registries import actions, reception
from tinhso.registries.models import CheckStatus, Consent, RegistryCheck
from tinhso.registries.tests.conftest import AN, BIRTH_REF

pytestmark = pytest.mark.django_db


def _post(w, **extra):
    data = {"case": w.case.pk, "token": "tok-1", "agency": w.centre.pk, "owner_name": "NGUYỄN VĂN AN",
            "owner_id_type": "cccd", "owner_id_number": AN["id_number"], "owner_birth_date": AN["birth_date"],
            "owner_phone": "0901234567", "subject": "Đăng ký kết hôn", "sets": "1",
            f"received_{w.case.components.get(order=1).pk}": "on"}
    data.update(extra)
    return data


def test_lookup_without_consent_is_refused(sandbox, world):
    with pytest.raises(InvalidInput) as exc:
        actions.check_citizen(acting_user=world.clerk, consent=None, id_number=AN["id_number"],
                              full_name=AN["full_name"])
    assert exc.value.code == "consent_required"
    other = actions.give_consent(acting_user=world.clerk, id_number="092192004567", purpose="x", channel="counter")
    with pytest.raises(InvalidInput):  # a consent for another number does not cover this one
        actions.check_citizen(acting_user=world.clerk, consent=other, id_number=AN["id_number"],
                              full_name=AN["full_name"])
    with pytest.raises(InvalidInput):
        reception.check_for_reception(acting_user=world.clerk, channel="counter", id_number=AN["id_number"],
                                      full_name=AN["full_name"], consented=False)
    assert sandbox.calls == [] and not MessageLog.objects.exists()


def test_consent_keeps_a_hash_and_last_digits_and_is_audited(sandbox, world):
    consent = actions.give_consent(acting_user=world.clerk, id_number=AN["id_number"], purpose="Tiếp nhận",
                                   channel="counter")
    row = Consent.objects.get(pk=consent.pk)
    assert row.id_last4 == "1234" and AN["id_number"] not in row.id_hash and row.covers(AN["id_number"])
    assert AuditEvent.objects.filter(action="registries.consent", personal_data=True).exists()
    with pytest.raises(PermissionDenied):  # online, only for one's own number
        actions.give_consent(acting_user=world.clerk, id_number=AN["id_number"], purpose="x", channel="online")


def test_counter_check_prefills_the_owner_and_shows_the_badge(sandbox, world, client):
    client.force_login(world.clerk)
    page = client.post(reverse("dossiers:receive"), _post(world, op="verify", national_consent="on",
                                                          owner_address=""))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Đã xác minh với CSDL quốc gia về dân cư" in html
    assert 'value="Nguyễn Văn An"' in html and "Phường Ninh Kiều, Thành phố Cần Thơ" in html
    check = RegistryCheck.objects.get()
    assert check.status == CheckStatus.MATCH and f'value="{check.pk}"' in html
    assert AuditEvent.objects.filter(action="registries.check.population", personal_data=True).exists()

    done = client.post(reverse("dossiers:receive"), _post(world, op="receive", registry_checks=str(check.pk),
                                                          owner_name="Nguyễn Văn An"))
    assert done.status_code == 302
    dossier = Dossier.objects.get()
    check.refresh_from_db()
    assert check.dossier == dossier and check.consent.dossier == dossier
    event = dossier.events.get(action="national_check")
    assert event.data["sources"][0]["source"] == "population" and event.data["sources"][0]["status"] == "match"
    assert "CSDL quốc gia về dân cư" in event.comment and "…1234" in event.comment
    detail = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
    assert "CSDL quốc gia về dân cư" in detail


def test_counter_check_without_the_consent_tick_says_so(sandbox, world, client):
    client.force_login(world.clerk)
    html = client.post(reverse("dossiers:receive"), _post(world, op="verify")).content.decode()
    assert "Công dân đồng ý tra cứu" in html and not RegistryCheck.objects.exists() and sandbox.calls == []


def test_population_down_reception_goes_on_and_the_job_checks_later(sandbox, world, client):
    sandbox.down.add("/sandbox/national/population/")
    client.force_login(world.clerk)
    html = client.post(reverse("dossiers:receive"), _post(world, op="verify", national_consent="on")).content.decode()
    assert "CSDL dân cư đang không kết nối được; vẫn tiếp nhận hồ sơ, hệ thống sẽ kiểm tra lại sau" in html
    check = RegistryCheck.objects.get()
    assert check.status == CheckStatus.PENDING and check.next_attempt_at is not None

    done = client.post(reverse("dossiers:receive"), _post(world, op="receive", registry_checks=str(check.pk),
                                                          owner_name="Nguyễn Văn An"))
    assert done.status_code == 302
    dossier = Dossier.objects.get()
    assert "chưa kiểm tra được" in dossier.events.get(action="national_check").comment

    later = check.next_attempt_at + datetime.timedelta(seconds=1)
    assert reception.retry_pending(later) == 0  # still down: tried again later
    check.refresh_from_db()
    assert check.status == CheckStatus.PENDING and check.attempts == 2

    sandbox.down.clear()
    from django.core.cache import cache

    cache.clear()
    assert reception.retry_pending(check.next_attempt_at + datetime.timedelta(seconds=1)) == 1
    check.refresh_from_db()
    assert check.status == CheckStatus.MATCH and check.checked_at is not None
    events = list(dossier.events.filter(action="national_check").order_by("id"))
    assert len(events) == 2 and events[1].data["retried"] and "Kiểm tra lại sau khi tiếp nhận" in events[1].comment
    assert events[1].sender_name == "Hệ thống"
    outcomes = list(MessageLog.objects.filter(direction="out", service="population").values_list("outcome", flat=True))
    assert "ok" in outcomes and "unavailable" in outcomes


def test_the_periodic_job_settles_a_pending_check(sandbox, world, client):
    from django.utils import timezone

    from tinhso.registries import tasks

    sandbox.down.add("/sandbox/national/population/")
    client.force_login(world.clerk)
    client.post(reverse("dossiers:receive"), _post(world, op="verify", national_consent="on"))
    check = RegistryCheck.objects.get()
    client.post(reverse("dossiers:receive"), _post(world, op="receive", registry_checks=str(check.pk),
                                                   owner_name="Nguyễn Văn An"))
    sandbox.down.clear()
    RegistryCheck.objects.filter(pk=check.pk).update(next_attempt_at=timezone.now())
    assert tasks.retry_checks_task.call_local() == 1
    check.refresh_from_db()
    assert check.status == CheckStatus.MATCH
    assert Dossier.objects.get().events.filter(action="national_check", data__retried=True).count() == 1


def test_a_paper_verified_with_civil_status_is_not_asked_as_upload(sandbox, birth_world, client):
    w = birth_world
    client.force_login(w.clerk)
    refs = {f"natref_{w.birth_paper.pk}_{k}": v for k, v in BIRTH_REF.items()}
    # without the check, the required paper is missing
    refused = client.post(reverse("dossiers:receive"), _post(w, op="receive", **refs))
    assert refused.status_code == 200 and "Bản sao Giấy khai sinh" in refused.content.decode()
    assert not Dossier.objects.exists()

    html = client.post(reverse("dossiers:receive"), _post(w, op="verify", national_consent="on", **refs)) \
        .content.decode()
    assert "Lấy từ CSDL quốc gia" in html
    ids = ",".join(str(c.pk) for c in RegistryCheck.objects.order_by("id"))
    paper = RegistryCheck.objects.get(source="civil-status:birth")
    assert paper.status == CheckStatus.VALID and paper.required_component_id == w.birth_paper.pk

    done = client.post(reverse("dossiers:receive"), _post(w, op="receive", registry_checks=ids,
                                                          owner_name="Nguyễn Văn An", **refs))
    assert done.status_code == 302
    dossier = Dossier.objects.get()
    comp = dossier.components.get(required_component=w.birth_paper)
    assert comp.national_source == "civil-status:birth" and "125/2015" in comp.national_reference
    assert comp.national_checked_at is not None and not comp.files.exists()
    event = dossier.events.get(action="national_check")
    assert "thay cho “Bản sao Giấy khai sinh”" in event.comment
    assert {s["source"] for s in event.data["sources"]} == {"population", "civil-status:birth"}
    detail = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
    assert "Lấy từ CSDL quốc gia" in detail  # the paper is marked on the staff page
    from tinhso.nationalportal.models import SyncItem

    assert not SyncItem.objects.filter(event_id=event.pk).exists()  # our own check stays local
    assert SyncItem.objects.filter(dossier_id=dossier.pk).exists()  # the reception itself is synced


def test_an_invalid_reference_does_not_replace_the_paper(sandbox, birth_world):
    w = birth_world
    checked = reception.check_for_reception(
        acting_user=w.clerk, channel="counter", id_number=AN["id_number"], full_name=AN["full_name"], consented=True,
        papers={w.birth_paper.pk: ("civil-status:birth", {**BIRTH_REF, "person": "Người Khác"})})
    assert checked.papers[0].status == CheckStatus.INVALID and "người được đăng ký" in checked.papers[0].message
    checks = reception.usable_checks(w.clerk, checked.ids)
    assert w.birth_paper.pk not in reception.national_components(w.case, checks, AN["id_number"])


def test_checks_of_another_clerk_are_not_usable(sandbox, world):
    checked = reception.check_for_reception(acting_user=world.clerk, channel="counter", id_number=AN["id_number"],
                                            full_name=AN["full_name"], consented=True)
    assert reception.usable_checks(world.outsider, checked.ids) == []
    assert len(reception.usable_checks(world.clerk, checked.ids)) == 1


def test_history_note_does_not_change_the_status(sandbox, world, client):
    client.force_login(world.clerk)
    client.post(reverse("dossiers:receive"), _post(world, op="verify", national_consent="on"))
    check = RegistryCheck.objects.get()
    client.post(reverse("dossiers:receive"), _post(world, op="receive", registry_checks=str(check.pk),
                                                   owner_name="Nguyễn Văn An"))
    event = DossierEvent.objects.get(action="national_check")
    assert event.from_status == event.to_status == Dossier.objects.get().status


def test_crafted_check_ids_are_ignored_not_a_500():
    """A superscript digit passes str.isdigit() but not int(): the ids a form
    carries back are read with isdecimal()."""
    from tinhso.registries.forms import check_ids

    assert check_ids("1,²,3,x, 4 ,٣") == [1, 3, 4, 3]
    assert check_ids(None) == [] and check_ids(",".join(["7"] * 30)) == [7] * 20
