"""Error pages people can use: a wrong method gets a page in the site's design, and the
500 page needs neither the database nor the request."""

import pytest
from django.conf import settings
from django.test import Client, RequestFactory

from content.tests.helpers import Elements
from twitchsite.errors import server_error


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/search/", "/conditions/", "/"])
def test_a_post_to_a_read_only_page_gets_a_helpful_page(path: str) -> None:
    response = Client().post(path, {"q": "cramp"})

    assert response.status_code == 405
    assert "GET" in response["Allow"]
    html = response.content.decode()
    assert "<h1>That did not work</h1>" in html
    assert "nothing was changed" in html
    assert 'href="/check/"' in html


@pytest.mark.django_db
def test_the_error_page_is_static_and_needs_no_database(
    rf: RequestFactory, django_assert_num_queries: object
) -> None:
    with django_assert_num_queries(0):  # type: ignore[operator]
        response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, something went wrong" in html
    assert "css/site.css" in html
    assert settings.EMERGENCY_NUMBER in html
    assert Elements(html).count("h1") == 1
