"""Drafts change only through tinhso/portal/actions.py: owner-checked, and
claiming and submitting are audited."""

import pytest

from tinhso.audit.models import AuditEvent
from tinhso.core.errors import PermissionDenied
from tinhso.portal import actions
from tinhso.portal.models import Draft


@pytest.fixture
def citizens(db):
    from tinhso.accounts.models import User

    return (User.objects.create_user(username="cd-a", is_citizen=True, id_number="092085000001"),
            User.objects.create_user(username="cd-b", is_citizen=True, id_number="092085000002"))


@pytest.fixture
def case(world):
    return world.case


def test_only_the_owner_saves_a_draft(citizens, case):
    owner, other = citizens
    draft = actions.open_draft(acting_user=owner, case=case)
    actions.save_draft(acting_user=owner, draft=draft, data={"owner_name": "An"})
    with pytest.raises(PermissionDenied):
        actions.save_draft(acting_user=other, draft=draft, data={"owner_name": "Kẻ khác"})
    draft.refresh_from_db()
    assert draft.data == {"owner_name": "An"}
    assert actions.open_draft(acting_user=owner, case=case) == draft  # the same open draft comes back


def test_an_anonymous_draft_is_claimed_once_after_sign_in_and_audited(citizens, case):
    owner, other = citizens
    anonymous = actions.save_anonymous_draft(case=case, token="", data={"owner_name": "Bình"})
    assert anonymous.owner_id is None
    claimed = actions.open_draft(acting_user=owner, case=case, token=anonymous.token)
    assert claimed.pk == anonymous.pk and claimed.owner == owner and claimed.data == {"owner_name": "Bình"}
    assert AuditEvent.objects.filter(action="portal.draft.claimed", object_id=str(claimed.pk)).exists()
    # Someone else bringing the same token back gets their own new draft, not the claimed one.
    assert actions.open_draft(acting_user=other, case=case, token=anonymous.token).pk != claimed.pk
    assert Draft.objects.get(pk=claimed.pk).owner == owner


def test_staff_cannot_open_a_citizen_draft(world, case):
    with pytest.raises(PermissionDenied):
        actions.open_draft(acting_user=world.clerk, case=case)
