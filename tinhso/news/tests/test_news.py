import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from tinhso.audit.models import AuditEvent
from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.news import actions
from tinhso.news.models import Article, ArticleImage

from .conftest import png

pytestmark = pytest.mark.django_db


def test_communication_staff_publish_and_an_outsider_is_refused(article, outsider, office, client):
    assert AuditEvent.objects.filter(action="news.article.created").count() == 1
    with pytest.raises(PermissionDenied):
        actions.save_article(acting_user=outsider, agency_id=office.pk, title="x", body="y")
    with pytest.raises(PermissionDenied):
        actions.withdraw_article(acting_user=outsider, article_id=article.pk)
    with pytest.raises(PermissionDenied):
        actions.add_image(acting_user=outsider, article_id=article.pk, upload=png())
    assert Article.objects.count() == 1 and client.get(f"/tin-tuc/{article.pk}/").status_code == 200


@pytest.mark.parametrize("changes, field", [
    ({"title": "  "}, "title"), ({"body": ""}, "body"), ({"kind": "gossip"}, "kind"),
    ({"category_id": "abc"}, "category"), ({"published_at": "mai"}, "published_at"),
    ({"target_commune_ids": ["99999999"]}, "target_communes"), ({"title": "x" * 301}, "title"),
])
def test_bad_input_is_refused_and_nothing_is_saved(editor, office, changes, field):
    values = {"agency_id": office.pk, "title": "Tin", "body": "Nội dung"}
    values.update(changes)
    with pytest.raises(InvalidInput) as exc:
        actions.save_article(acting_user=editor, **values)
    assert exc.value.errors[0]["field"] == field and not Article.objects.exists()


def test_a_scheduled_article_is_invisible_until_its_moment(editor, office, category, client):
    later = timezone.now() + datetime.timedelta(hours=2)
    scheduled = actions.save_article(acting_user=editor, agency_id=office.pk, title="Thông báo lịch cắt điện",
                                     body="Nội dung", kind="announcement", published_at=later)
    draft = actions.save_article(acting_user=editor, agency_id=office.pk, title="Bản nháp", body="Nội dung")
    for pk in (scheduled.pk, draft.pk):
        assert client.get(f"/tin-tuc/{pk}/").status_code == 404
        assert client.get(f"/api/v1/news/{pk}").status_code == 404
    assert client.get("/api/v1/news").json()["count"] == 0
    assert list(Article.objects.public(now=later + datetime.timedelta(seconds=1))) == [scheduled]
    Article.objects.filter(pk=scheduled.pk).update(published_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/api/v1/news").json()["results"][0]["title"] == "Thông báo lịch cắt điện"
    actions.withdraw_article(acting_user=editor, article_id=scheduled.pk)
    assert client.get(f"/tin-tuc/{scheduled.pk}/").status_code == 404


def test_the_body_is_escaped_and_images_get_a_thumbnail(article, editor, client):
    image = actions.add_image(acting_user=editor, article_id=article.pk, upload=png(2400, 1800), caption="Hội nghị")
    with Image.open(image.thumbnail.open("rb")) as thumb:
        assert max(thumb.size) == 480 and thumb.format == "JPEG"
    assert (image.width, image.height) == (1600, 1200)
    page = client.get(f"/tin-tuc/{article.pk}/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page and page.count("<p>Đoạn") == 2
    assert client.get(f"/tin-tuc/anh/{image.pk}/nho/").status_code == 200
    with pytest.raises(InvalidInput):
        actions.add_image(acting_user=editor, article_id=article.pk,
                          upload=SimpleUploadedFile("anh.png", b"%PDF-1.4 fake", content_type="image/png"))
    assert ArticleImage.objects.count() == 1


def test_the_api_paginates_and_filters_by_category(article, editor, office, category, client):
    for n in range(21):
        actions.save_article(acting_user=editor, agency_id=office.pk, title=f"Tin {n}", body="Nội dung",
                             published_at=timezone.now())
    data = client.get("/api/v1/news").json()
    assert data["count"] == 22 and data["pages"] == 2 and len(data["results"]) == 20
    assert len(client.get("/api/v1/news?page=2").json()["results"]) == 2
    only = client.get(f"/api/v1/news?category={category.slug}").json()
    assert [a["id"] for a in only["results"]] == [article.pk]
    assert client.get("/api/v1/news?page=0").status_code == 422
    detail = client.get(f"/api/v1/news/{article.pk}").json()
    assert detail["paragraphs"][1] == "Đoạn hai <script>alert(1)</script>."  # JSON text, escaped by the client
    assert "Cần Thơ triển khai" in client.get(f"/tin-tuc/?chuyen-muc={category.slug}").content.decode()


def test_the_back_office_form_saves_and_reports_errors(editor, office, client):
    client.force_login(editor)
    assert client.get("/tin-tuc/quan-ly/moi/").status_code == 200
    bad = client.post("/tin-tuc/quan-ly/moi/", {"which": "article", "agency": office.pk, "kind": "news",
                                               "title": "", "body": ""})
    assert bad.status_code == 422 and not Article.objects.exists()
    ok = client.post("/tin-tuc/quan-ly/moi/", {"which": "article", "agency": office.pk, "kind": "news",
                                              "title": "Tin mới", "body": "Nội dung"})
    assert ok.status_code == 302 and Article.objects.get().published_at is None
    assert "Tin mới" in client.get("/tin-tuc/quan-ly/").content.decode()
