import base64
import re
import zlib

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.models import Certificate, TrackCompletion
from learning.record.pdf import certificate_pdf
from learning.record.selectors import certificate_verify
from learning.record.services import CODE_ALPHABET, certificate_issue

from ..quiz_helpers import member_login, ordered_setup, track_complete

ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
SHOWN = re.compile(rb"\(((?:\\.|[^\\)])*)\) Tj", re.S)


def _unescape(match) -> bytes:
    escaped = match.group(1)
    if escaped[:1].isdigit():
        return bytes([int(escaped, 8)])
    return {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(escaped, escaped)


def pdf_lines(data: bytes) -> list[str]:
    """The strings the PDF shows, decoded: reportlab writes its pages ASCII85 and Flate
    encoded, and text in the CID font as UTF-16 literals."""
    lines = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        stream = stream.strip()
        if stream.endswith(b"~>"):
            stream = base64.a85decode(stream[:-2])
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        for shown in SHOWN.findall(content):
            lines.append(ESCAPE.sub(_unescape, shown).decode("utf-16-be"))
    return lines


@pytest.fixture
def setup(tree):
    return ordered_setup(tree.township_a)


@pytest.fixture
def completed(setup, members):
    track_complete(members.a1, setup)
    return TrackCompletion.objects.get(member=members.a1)


def test_completing_a_track_issues_its_certificate_once(completed):
    """The completion's on-commit task (eager in tests) issued it; issuing again returns it."""
    certificate = Certificate.objects.get(completion=completed)
    assert certificate_issue(completion_id=completed.pk) == certificate
    assert Certificate.objects.count() == 1
    assert len(certificate.code) == 12 and set(certificate.code) <= set(CODE_ALPHABET)
    assert not set(certificate.code) & set("01OIL")


def test_codes_are_random(setup, members):
    track_complete(members.a1, setup)
    track_complete(members.a2, setup)
    first, second = Certificate.objects.values_list("code", flat=True)
    assert first != second


def test_the_pdf_holds_the_name_track_hours_date_issuer_code_and_url(completed):
    certificate = completed.certificate
    data = certificate_pdf(certificate=certificate)
    assert data.startswith(b"%PDF")
    text = "\n".join(pdf_lines(data))
    for expected in (
        completed.member.name,
        "十一月学习包",
        "甲镇党委",
        certificate.code,
        f"http://testserver/learning/verify/{certificate.code}/",
        timezone.localdate(completed.completed_at).strftime("%Y-%m-%d"),
    ):
        assert expected in text, expected


def test_only_the_owner_downloads_it(client, completed, members):
    url = reverse("learning:certificate_pdf", kwargs={"code": completed.certificate.code})
    assert client.get(url).status_code == 302  # anonymous: to the login page
    member_login(client, members.a2)
    assert client.get(url).status_code == 404
    member_login(client, members.a1)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_public_page_says_genuine_and_nothing_about_the_member(client, completed):
    member = completed.member
    code = completed.certificate.code
    response = client.get(reverse("learning:verify", kwargs={"code": code}))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="valid"' in html
    assert "十一月学习包" in html
    assert timezone.localdate(completed.completed_at).strftime("%Y-%m-%d") in html
    for personal in (member.name, member.phone, member.id_number, member.masked_phone):
        assert personal not in html


def test_a_revoked_or_unknown_code_is_not_genuine(client, completed):
    certificate = completed.certificate
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now())
    response = client.get(reverse("learning:verify", kwargs={"code": certificate.code}))
    assert 'data-status="revoked"' in response.content.decode()
    response = client.get(reverse("learning:verify", kwargs={"code": "ABCDEFGHJKMN"}))
    assert response.status_code == 404
    assert 'data-status="missing"' in response.content.decode()
    assert certificate_verify(code="").status == "missing"


def test_the_form_takes_a_typed_code_in_any_case_with_spaces(client, completed):
    code = completed.certificate.code
    typed = f" {code[:4].lower()} {code[4:8]}-{code[8:]} "
    response = client.get(reverse("learning:verify_form"), {"code": typed}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("learning:verify", kwargs={"code": code})
    assert 'data-status="valid"' in response.content.decode()
    assert client.get(reverse("learning:verify_form")).status_code == 200


def test_an_id_number_typed_as_a_code_is_not_put_into_a_url(client, db):
    """An ID number typed into the check is answered "missing" on the form's own page: no
    redirect carries the number into a path (and the access log)."""
    response = client.get(reverse("learning:verify_form"), {"code": "11010519491231002X"})
    assert response.status_code == 404
    assert 'data-status="missing"' in response.content.decode()
    assert "11010519491231002X" not in response.content.decode()
