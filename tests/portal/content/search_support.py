"""What the site search tests share: the search page's URL, reading result titles, making
lectures and notices (the fixtures are in this folder's conftest.py)."""

import re

from portal.models import MicroLecturePage, NoticePage

URL = "/search/"


def _titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<a class="item-title" href="[^"]*">([^<]*)</a>', html)


def _search(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return _titles(response)


def lecture(title: str, **fields) -> MicroLecturePage:
    fields.setdefault("summary", f"{title}的要点。")
    return MicroLecturePage(title=title, **fields)


def notice(title: str, body: str, **fields) -> NoticePage:
    return NoticePage(title=title, body=f"<p>{body}</p>", **fields)
