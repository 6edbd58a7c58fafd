import datetime

import pytest

from tinhso.accounts.models import User
from tinhso.citizenapp.push import generate_keys
from tinhso.citizenapp.tests.pushservice import PushService


@pytest.fixture
def vapid(settings):
    keys = generate_keys()
    settings.TINHSO_VAPID_PRIVATE_KEY = keys["private_key"]
    settings.TINHSO_VAPID_PUBLIC_KEY = keys["public_key"]
    return keys


@pytest.fixture
def push_service():
    service = PushService()
    yield service
    service.close()


@pytest.fixture
def citizen(db):
    return User.objects.create_user(
        username="cccd-092085001234", full_name="Nguyễn Văn An", is_citizen=True, id_number="092085001234",
        birth_date=datetime.date(1985, 3, 12), phone="0901234567", email="an@example.vn")
