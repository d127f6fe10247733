"""Documents attached to a section's pages are for members: Wagtail's document view applies
the section collection's privacy, and ``/media/documents/`` serves nothing."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import override_settings
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction

from portal.content.services import section_collections_restrict
from portal.registry.factories import UserFactory

pytestmark = pytest.mark.usefixtures("media_in_tmp")
BYTES = b"%PDF-1.4\n" + b"0" * 2000 + b"\n%%EOF\n"


def _collection(section) -> Collection:
    return Collection.objects.get(name__endswith=f"（{section.organization.code}）")


@pytest.fixture
def document(sections):
    """A PDF an editor of the township uploaded to the township's collection."""
    return Document.objects.create(
        title="支部工作手册",
        file=ContentFile(BYTES, "handbook.pdf"),
        collection=_collection(sections.township),
    )


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_every_sections_collection_is_behind_the_login(sections):
    for section in (sections.county, sections.township, sections.other):
        restrictions = _collection(section).get_view_restrictions()
        assert [r.restriction_type for r in restrictions] == [CollectionViewRestriction.LOGIN]


def test_an_anonymous_reader_gets_the_login_not_the_document(client, document):
    assert document.url.startswith("/documents/")
    response = client.get(document.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert BYTES not in _body(response)


def test_a_member_reads_the_sections_document(member_client, document):
    response = member_client.get(document.url)
    assert response.status_code == 200 and _body(response) == BYTES
    assert response["Cache-Control"] == "private"


def test_a_group_restriction_keeps_out_a_member_outside_the_group(client, sections, document):
    """A reviewer narrows a section's documents to a group: an unrelated member gets no
    document, a member of the group does."""
    collection = _collection(sections.township)
    collection.get_view_restrictions().delete()
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    group = Group.objects.create(name="甲镇支委")
    restriction.groups.add(group)
    outsider, insider = UserFactory(username="13900000002"), UserFactory(username="13900000003")
    insider.groups.add(group)
    client.force_login(outsider)
    response = client.get(document.url)
    assert response.status_code != 200 and BYTES not in _body(response)
    client.force_login(insider)
    assert _body(client.get(document.url)) == BYTES


def test_the_media_url_of_a_document_is_a_404_for_everyone(client, document):
    url = f"/media/{document.file.name}"
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(username="root", is_superuser=True))
    assert client.get(url).status_code == 404


def test_sections_made_before_collection_privacy_get_it_after_migrate(sections):
    for section in (sections.county, sections.township):
        _collection(section).get_view_restrictions().delete()
    section_collections_restrict()
    section_collections_restrict()  # runs after every migrate: no second restriction
    for section in (sections.county, sections.township):
        assert _collection(section).get_view_restrictions().count() == 1


def test_a_stronger_restriction_set_in_the_admin_is_kept(sections):
    collection = _collection(sections.other)
    collection.get_view_restrictions().delete()
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD, password="x"
    )
    section_collections_restrict()
    restrictions = collection.get_view_restrictions()
    assert [r.restriction_type for r in restrictions] == [CollectionViewRestriction.PASSWORD]


@override_settings(MEDIA_ACCEL_REDIRECT_PREFIX="/protected-media")
def test_in_production_the_proxy_sends_the_document(member_client, document):
    response = member_client.get(document.url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{document.file.name}"
    assert "handbook.pdf" in response["Content-Disposition"]
