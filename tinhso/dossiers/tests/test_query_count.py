"""The number of queries of one complete dossier lifecycle is pinned, so that
an N+1 (a query per component, per step, per recipient...) or a new
redundant read fails here instead of slowing every transition down
(bench/bench_lifecycle.py measures the same path on PostgreSQL)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tinhso.accounts.models import User
from tinhso.accounts.permissions import forget_roles
from tinhso.dossiers import actions
from tinhso.dossiers.actions import ComponentInput
from tinhso.dossiers.models import DossierEvent, Status
from tinhso.dossiers.tests.conftest import APPLICANT, PDF, pdf
from tinhso.notifications.models import Notification, OutgoingMessage

# Queries of the lifecycle below, after-commit notifications and (tests run
# Huey tasks inline) their e-mail/SMS tasks included. Lower it when a change
# saves queries; raise it only with a reason. 85 -> 95: a result file is now required for a procedure with a
# named result (issue 17), so the lifecycle signs one (signing credentials, the registered signed document,
# the result file row).
# 106 -> 109: the applicant's address is read by the address recognition in the reception action (the commune by
# name, its successors, the registered address) on every channel, not only at the counter's form.
LIFECYCLE_QUERIES = 109  # +1: the tracking book's entry number (a locked counter) at reception
# 96 -> 103: each of the 7 transitions writes its national-portal sync outbox row (one INSERT in the event's
# transaction, tinhso/nationalportal/outbox.py; issue 13).
# 103 -> 106: each of the 3 citizen messages looks up the citizen's push subscriptions once (one SELECT,
# tinhso/citizenapp/push.py for_citizen_message; issue 15).


def _lifecycle(w, citizen, components, capture, key="form-1"):
    """Each step as its own request: roles read again, and the after-commit
    notifications run when the step's transaction commits."""
    def step(action, user, **kwargs):
        forget_roles(user)
        with capture(execute=True):
            return action(acting_user=user, **kwargs)

    d = step(actions.submit_online, citizen, receiving_agency=w.centre, case=w.case,
             applicant={**APPLICANT, "owner_email": "an@example.vn"}, area=w.commune,
             components=[ComponentInput(required_component_id=c.pk, originals=1,
                                        files=[SimpleUploadedFile(f"{c.pk}.pdf", PDF)]) for c in components],
             idempotency_key=key)
    d = step(actions.accept_online, w.clerk, dossier=d, version=d.version)
    d = step(actions.forward, w.clerk, dossier=d, receiver=w.specialist, version=d.version)
    d = step(actions.forward, w.specialist, dossier=d, version=d.version)
    d = step(actions.forward, w.head, dossier=d, version=d.version)
    d = step(actions.finish, w.leader, dossier=d, result_summary="Giấy chứng nhận kết hôn", result_number="12/GCNKH",
             version=d.version, result_files=[pdf()])
    return step(actions.return_result, w.clerk, dossier=d, method="counter", returned_to=APPLICANT["owner_name"],
                version=d.version)


def test_one_lifecycle_takes_a_fixed_number_of_queries(world, django_capture_on_commit_callbacks):
    for user in (world.clerk, world.specialist, world.head, world.leader):
        user.email = f"{user.username}@example.vn"
        user.save(update_fields=["email"])
    citizen = User.objects.create_user(username="congdan", password="Matkhau-2026!", full_name="Nguyễn Văn An",
                                       is_citizen=True, email="an@example.vn", phone="0912345678")
    components = list(world.case.components.order_by("order"))  # both papers, one file each
    _lifecycle(world, citizen, components, django_capture_on_commit_callbacks, key="warm-up")  # process caches
    with CaptureQueriesContext(connection) as queries:
        d = _lifecycle(world, citizen, components, django_capture_on_commit_callbacks)
    assert d.status == Status.RETURNED
    assert list(DossierEvent.objects.filter(dossier=d).order_by("id").values_list("action", flat=True)) == [
        "submit", "accept", "forward", "forward", "forward", "finish", "return_result"]
    assert list(Notification.objects.filter(url=f"/dossiers/{d.code}/").order_by("id")
                .values_list("kind", "recipient__username")) == [
        ("dossier.submit", "motcua"), ("dossier.forward", "chuyenvien"), ("dossier.forward", "truongphong"),
        ("dossier.forward", "lanhdao"), ("dossier.finish", "motcua")]
    assert OutgoingMessage.objects.filter(dossier=d).count() >= 2  # the citizen is told (e-mail and SMS)
    assert d.files.count() == len(components) + 1  # and the signed result
    assert len(queries) <= LIFECYCLE_QUERIES, "\n".join(q["sql"][:200] for q in queries.captured_queries)


def test_the_query_count_does_not_grow_with_the_number_of_papers(world, django_capture_on_commit_callbacks):
    """Two more papers in the list cost no more queries: components and their
    files are written in bulk."""
    from tinhso.catalogue import refcache
    from tinhso.catalogue.models import RequiredComponent

    refcache.reset()  # nothing cached by an earlier test under the same (rolled-back) token
    citizen = User.objects.create_user(username="congdan", password="Matkhau-2026!", full_name="Nguyễn Văn An",
                                       is_citizen=True, phone="0912345678")
    counts = []
    # The first run fills the process caches; adding papers changes the
    # catalogue, so the next run reads the reference data again (the cache is
    # invalidated) and the one after it is measured.
    for extra in (0, 0, 2, 0):
        base = RequiredComponent.objects.filter(case=world.case).order_by("order").first()
        for i in range(extra):
            RequiredComponent.objects.create(case=world.case, order=10 + i, name=f"Giấy tờ thêm {i}",
                                             required=False, originals=1)
        components = list(world.case.components.order_by("order"))
        assert base in components
        with CaptureQueriesContext(connection) as queries:
            _lifecycle(world, citizen, components, django_capture_on_commit_callbacks, key=f"form-{len(counts)}")
        # the result's signing reads credentials through a per-process cache whose state other tests share;
        # what this test measures is the papers
        counts.append(sum(1 for q in queries.captured_queries if "signatures_" not in q["sql"]))
    assert counts[2] > counts[1]  # the change was seen at once: reference rows read again
    # two more papers (each with a file) would cost at least two more queries if they were not written in bulk;
    # one query of slack: in a full run the count was seen once to differ by one between identical lifecycles
    # (not reproduced alone; noted in the session notes)
    assert abs(counts[3] - counts[1]) <= 1
