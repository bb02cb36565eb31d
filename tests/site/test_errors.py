"""Error pages people can use: a wrong method gets a page in the site's design."""

import pytest
from django.test import Client


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
