"""The transitions read reference data (catalogue, agencies, role
assignments, role holders, message templates) from a per-process cache
(tinhso/catalogue/refcache.py) under a revision token read in their own
transaction. A change must be seen by the next transition, whichever process
made it: the only thing this process learns of another's change is the token
in the database, which these tests change behind its back."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tinhso.accounts.models import RoleAssignment, User
from tinhso.accounts.permissions import forget_roles
from tinhso.catalogue.models import ReferenceRevision
from tinhso.core.errors import PermissionDenied
from tinhso.testing import make_staff
from tinhso.dossiers import actions
from tinhso.dossiers.actions import ComponentInput
from tinhso.dossiers.tests.conftest import APPLICANT, receive


def _role_reads(queries) -> int:
    return sum('"accounts_roleassignment"' in q["sql"] for q in queries.captured_queries)


def _forward_as(user, d, **kwargs):
    forget_roles(user)  # a new request
    return actions.forward(acting_user=user, dossier=d, version=d.version, **kwargs)


def test_roles_come_from_the_cache_until_an_assignment_is_revoked(world):
    d = receive(world)
    d = _forward_as(world.clerk, d, receiver=world.specialist)  # fills the cache
    d2 = receive(world, key="second")
    forget_roles(world.clerk)
    with CaptureQueriesContext(connection) as queries:
        d2 = _forward_as(world.clerk, d2, receiver=world.specialist)
    assert _role_reads(queries) == 0  # the clerk's roles were not read again: they were cached

    RoleAssignment.objects.get(user=world.clerk, role="clerk").delete()  # revoked (signals bump the token)
    d3 = receive_as_someone_else(world)
    with pytest.raises(PermissionDenied):
        _forward_as(world.clerk, d3, receiver=world.specialist)


def receive_as_someone_else(world):
    other = make_staff("motcua2", roles=[("clerk", world.centre)], full_name="Trần Văn Ba")
    components = [ComponentInput(required_component_id=world.case.components.get(order=1).pk, originals=1)]
    d = actions.receive_at_counter(acting_user=other, receiving_agency=world.centre, case=world.case,
                                   applicant=dict(APPLICANT), components=components, area=world.commune)
    # The dossier waits for a clerk (no handler) so that any clerk may forward it.
    d.current_handler = None
    d.save(update_fields=["current_handler"])
    return d


def test_a_role_revoked_by_another_process_is_refused_on_the_next_transition(world):
    d = receive(world)
    d = _forward_as(world.clerk, d, receiver=world.specialist)  # the specialist's roles are cached next
    _forward_as(world.specialist, d)  # cached now
    d = receive(world, key="second")
    d = _forward_as(world.clerk, d, receiver=world.specialist)
    # Another process deletes the assignment and bumps the revision in its
    # transaction: no signal runs here.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_roleassignment WHERE user_id = %s", [world.specialist.pk])
    ReferenceRevision.objects.filter(pk=1).update(token="changed-elsewhere")
    with pytest.raises(PermissionDenied):
        _forward_as(world.specialist, d)


def test_without_a_new_token_the_cache_is_used(world):
    """The converse of the test above (so that it can fail): the same delete
    without a token change is not seen, proving the roles came from the cache."""
    d = receive(world)
    d = _forward_as(world.clerk, d, receiver=world.specialist)
    _forward_as(world.specialist, d)
    d = receive(world, key="second")
    d = _forward_as(world.clerk, d, receiver=world.specialist)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_roleassignment WHERE user_id = %s", [world.specialist.pk])
    _forward_as(world.specialist, d)  # stale on purpose: nothing told this process


def test_a_step_renamed_elsewhere_is_seen_by_the_next_transition(world):
    d = receive(world)
    d = _forward_as(world.clerk, d, receiver=world.specialist)
    step = d.current_step
    d2 = receive(world, key="second")
    with connection.cursor() as cursor:  # another process renames the step
        cursor.execute("UPDATE catalogue_processstep SET name = %s WHERE id = %s", ["Thẩm định (mới)", step.pk])
    ReferenceRevision.objects.filter(pk=1).update(token="changed-elsewhere")
    d2 = _forward_as(world.clerk, d2, receiver=world.specialist)
    assert d2.current_step.name == "Thẩm định (mới)"
    assert d2.events.order_by("-id").first().step_name == "Thẩm định (mới)"


def test_saving_a_catalogue_row_or_a_user_bumps_the_revision(world):
    def token():
        return ReferenceRevision.current_token()

    before = token()
    step = world.case.steps.order_by("order").first()
    step.save()
    assert token() != before
    before = token()
    world.clerk.save(update_fields=["last_login"])  # a login: not a change of what is cached
    assert token() == before
    world.clerk.is_active = False
    world.clerk.save(update_fields=["is_active"])  # a role holder: cached in the staff notifications' holders
    assert token() != before
    before = token()
    citizen = User.objects.create_user(username="congdan", full_name="Nguyễn Văn An", is_citizen=True)
    citizen.phone = "0912345678"
    citizen.save()  # holds no role: not cached, no bump (citizens are saved at every sign-in)
    assert token() == before


def test_a_deactivated_holder_is_no_longer_notified(world, django_capture_on_commit_callbacks):
    from tinhso.notifications.models import Notification

    for key in ("first", "second"):
        d = receive(world, key=key)
        d = _forward_as(world.clerk, d, receiver=world.specialist)
        d = _forward_as(world.specialist, d)  # to the head of division's step, no named receiver
        with django_capture_on_commit_callbacks(execute=True):
            d = _forward_as(world.head, d)  # to the leader's step: every leader is told
        leaders = set(Notification.objects.filter(url=f"/dossiers/{d.code}/", kind="dossier.forward")
                      .values_list("recipient__username", flat=True))
        if key == "first":
            assert leaders == {"lanhdao"}  # the holders are cached now
            world.leader.is_active = False
            world.leader.save(update_fields=["is_active"])
        else:
            assert leaders == set()


@pytest.mark.django_db
def test_migrate_marks_reference_data_changed():
    """Data migrations write through historical models (no signals): after
    `migrate` every process must reload its reference snapshot."""
    from django.core.management import call_command

    from tinhso.catalogue.models import ReferenceRevision

    ReferenceRevision.bump()
    before = ReferenceRevision.current_token()
    call_command("migrate", verbosity=0)
    assert ReferenceRevision.current_token() not in ("", before)


def test_citizens_are_not_kept_in_the_shared_role_cache():
    """A citizen holds no roles; one snapshot entry per citizen would fill the
    shared cache and drop it for everyone."""
    from tinhso.accounts.models import User
    from tinhso.accounts.permissions import use_cached_roles

    class Snapshot:
        def role_paths(self, user_id):
            raise AssertionError("a citizen's roles were put in the shared cache")

    use_cached_roles(User(username="congdan", is_citizen=True), Snapshot())
    staff = User(username="canbo")
    with pytest.raises(AssertionError):
        use_cached_roles(staff, Snapshot())
