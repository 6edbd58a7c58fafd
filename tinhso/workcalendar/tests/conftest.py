import datetime
import importlib

import pytest

from tinhso.workcalendar import engine

SEED = importlib.import_module("tinhso.workcalendar.migrations.0002_seed_2025_2026")


def seeded_calendar() -> engine.WorkCalendar:
    """The engine over the seeded 2025-2026 data, without the database."""
    return engine.WorkCalendar([engine.Schedule.make(datetime.date(2000, 1, 1))],
                               {d: kind for d, kind, _, _ in SEED.DAYS})


@pytest.fixture(autouse=True)
def _fresh_engine_cache():
    engine.reset_cache()
    yield
    engine.reset_cache()


@pytest.fixture(scope="session")
def cal():
    return seeded_calendar()
