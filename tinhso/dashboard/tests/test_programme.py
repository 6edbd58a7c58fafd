import datetime

import pytest
from django.utils import timezone

from tinhso.dashboard import programme
from tinhso.dashboard.models import ProgrammeTarget


@pytest.fixture
def provider():
    def figures():
        return [programme.Figure("email_accounts", "Hộp thư công vụ", 6000, "tài khoản"),
                programme.Figure("unknown_key", "Không có chỉ tiêu", 3)]

    def broken():
        raise RuntimeError("defect in an app")

    programme.register(figures)
    programme.register(broken)
    yield
    programme._PROVIDERS.remove(figures)
    programme._PROVIDERS.remove(broken)


@pytest.mark.django_db
def test_figures_meet_their_dated_targets_and_a_broken_provider_is_left_out(provider):
    got = {f.key: f for f in programme.figures()}
    assert got["email_accounts"].target == 8000 and got["email_accounts"].share == 75.0
    assert got["email_accounts"].met is False and got["unknown_key"].target is None
    later = timezone.localdate() + datetime.timedelta(days=30)
    ProgrammeTarget.objects.create(key="email_accounts", label="Hộp thư", target=5000, valid_from=later)
    assert {f.key: f for f in programme.figures()}["email_accounts"].target == 8000  # not yet in force
    got = {f.key: f for f in programme.figures(later)}
    assert got["email_accounts"].target == 5000 and got["email_accounts"].met is True
