import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a [^>]*href="([^"]*)" lang="(\w+)" hreflang="\w+"')


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", [("/es/", "es")]),
        ("/es/", [("/", "en")]),
        ("/es/outreach/?page=2", [("/outreach/?page=2", "en")]),
        ("/community-prosecution/", [("/es/community-prosecution/", "es")]),
        ("/accounts/login/", [("/es/accounts/login/", "es")]),
    ],
)
def test_language_switcher_links_to_this_page_in_the_other_language(path, expected):
    response = Client().get(path)
    assert response.status_code == 200
    assert LINK.findall(response.content.decode()) == expected


def test_language_switcher_on_a_missing_page_links_to_the_other_home():
    response = Client().get("/es/no-such-page/")
    assert response.status_code == 404
    assert LINK.findall(response.content.decode()) == [("/", "en")]


def test_following_the_link_switches_the_page_language():
    client = Client()
    spanish = client.get("/es/about/privacy/")
    assert b'<html lang="es">' in spanish.content
    english = client.get(LINK.findall(spanish.content.decode())[0][0])
    assert b'<html lang="en">' in english.content
