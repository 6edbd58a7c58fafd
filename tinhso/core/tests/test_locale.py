"""The site opens in Vietnamese whatever the browser's language, and keeps the
language the user chose."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/dvc/", "/accounts/login/", "/tra-cuu/"])
def test_an_english_browser_gets_vietnamese(client, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert 'lang="vi"' in response.content.decode()
    assert response["Content-Language"] == "vi"
    assert "Accept-Language" not in response.get("Vary", "")


@pytest.mark.django_db
def test_the_choice_of_english_is_remembered(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/dvc/"}, HTTP_ACCEPT_LANGUAGE="vi")
    for _ in range(2):
        html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
        assert 'lang="en"' in html and "Sign in" in html
    client.post("/i18n/setlang/", {"language": "vi", "next": "/dvc/"})
    assert 'lang="vi"' in client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_vietnamese(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert 'lang="vi"' in client.get("/dvc/").content.decode()
