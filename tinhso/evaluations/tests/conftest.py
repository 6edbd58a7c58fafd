import pytest

from tinhso.accounts.models import User
from tinhso.dossiers import actions
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.tests.conftest import pdf, receive, vn, world  # noqa: F401  (fixture re-exported)
from tinhso.evaluations.criteria import seed_criteria


@pytest.fixture(autouse=True)
def _criteria(db):
    seed_criteria()  # in case a transactional test flushed the migration's rows


def make_citizen(id_number="092095001234", name="Nguyễn Văn An"):
    return User.objects.create_user(username=id_number, id_number=id_number, full_name=name, is_citizen=True)


@pytest.fixture
def citizen(db):
    return make_citizen()


def returned_dossier(w, citizen=None, day=2):
    """A dossier driven through the whole process to status 10 (result returned)."""
    d = receive(w, at=vn(2026, 3, day, 8, 0))
    d = actions.forward(acting_user=w.clerk, dossier=d, receiver=w.specialist, at=vn(2026, 3, day, 9, 0))
    d = actions.forward(acting_user=w.specialist, dossier=d, receiver=w.head, at=vn(2026, 3, day, 10, 0))
    d = actions.forward(acting_user=w.head, dossier=d, receiver=w.leader, at=vn(2026, 3, day, 11, 0))
    d = actions.finish(acting_user=w.leader, dossier=d, result_summary="Cấp Giấy chứng nhận kết hôn",
                       result_number="12/2026/GCNKH", at=vn(2026, 3, day, 14, 0), result_files=[pdf()])
    d = actions.return_result(acting_user=w.clerk, dossier=d, method="counter", returned_to="Nguyễn Văn An",
                              at=vn(2026, 3, day, 15, 0))
    if citizen is not None:
        Dossier.objects.filter(pk=d.pk).update(citizen=citizen)
        d.refresh_from_db()
    return d


def open_dossier(w, citizen):
    d = receive(w)
    Dossier.objects.filter(pk=d.pk).update(citizen=citizen)
    d.refresh_from_db()
    return d
