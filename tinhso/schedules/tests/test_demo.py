"""The demo seeds the citizen app's content (schedules, market prices, news,
Q&A) once: a second run adds nothing."""

import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.mark.django_db
def test_the_demo_content_is_seeded_once_and_shows_on_the_api(client):
    from tinhso.marketprices.models import PriceEntry
    from tinhso.news.models import Article
    from tinhso.questions.models import Question
    from tinhso.schedules.models import ScheduleEntry

    call_command("seed_demo")
    counts = (ScheduleEntry.objects.count(), PriceEntry.objects.count(), Article.objects.count(),
              Question.objects.count())
    assert all(counts), counts
    call_command("seed_demo")
    assert (ScheduleEntry.objects.count(), PriceEntry.objects.count(), Article.objects.count(),
            Question.objects.count()) == counts
    week = client.get("/api/v1/schedules?agency=000.00.00.H13").json()
    entries = [e for d in week["days"] for e in d["entries"]]
    assert week["published"] and any(e["cancelled"] for e in entries) and any(e["changed_at"] for e in entries)
    boards = client.get("/api/v1/market-prices").json()
    assert {b["market"]["name"] for b in boards} == {"Chợ Cái Răng", "Chợ Tân An", "Chợ Xuân Khánh"}
    assert all(b["prices"] for b in boards)
    news = client.get("/api/v1/news").json()
    assert news["count"] == 4 and "hẹn đăng" not in str(news)
    assert client.get("/api/v1/questions").json()["count"] == 2
    for url in ("/lich-cong-tac/000.00.00.H13/", "/gia-ca/", "/tin-tuc/", "/hoi-dap/"):
        assert client.get(url).status_code == 200
