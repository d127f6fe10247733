"""The pages' search document: what the loader yields, the rebuild, the Elasticsearch query's
filters, and the durable queue that keeps the index in step with publishing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.content.search_documents import PAGES, Audience, pages_load
from portal.content.search_selectors import page_search
from portal.models import (
    RedPackageCatalogPage,
)
from portal.registry.factories import UserFactory
from search.models import IndexTask
from search.services import index_queue_drain

from .helpers import material, publish
from .search_support import _search

pytestmark = pytest.mark.usefixtures("media_in_tmp")


def test_the_loader_yields_live_pages_with_their_section_audience_and_type(sections, library):
    fields = dict(pages_load(None))
    assert set(fields) == {str(page.pk) for page in library.values()}
    charter = fields[str(library["charter"].pk)]
    assert charter["type"] == "study_material"
    assert charter["section"] == sections.county.pk
    assert charter["public"] is True and charter["audience"] == Audience.PUBLIC
    assert charter["published"] == timezone.localdate().isoformat()
    private = fields[str(library["private"].pk)]
    assert private["public"] is False and private["audience"] == Audience.MEMBERS
    package = fields[str(library["package"].pk)]
    assert package["type"] == "red_package" and package["section"] == sections.county.pk
    assert fields[str(library["lecture"].pk)]["speaker"] == "吕思远"


def test_search_reindex_rebuilds_the_pages_index(library):
    """manage.py search_reindex rebuilds every registered document, this one included."""
    from io import StringIO

    out = StringIO()
    call_command("search_reindex", stdout=out)
    assert f"pages: {len(library)} documents indexed" in out.getvalue()
    assert PAGES.count() == len(library)


def test_the_elasticsearch_query_carries_the_privacy_and_notice_filters(db):
    """The same filters build an Elasticsearch body (its engine is tested without a server)."""
    from django.contrib.auth.models import AnonymousUser

    from portal.content.search_selectors import _audience_any_of, _base_filters
    from search.engines.base import SearchRequest
    from search.engines.elasticsearch import index_body, search_body

    mapping = index_body("guiyan-search-pages", PAGES)["mappings"]["properties"]
    assert mapping["public"] == {"type": "boolean"} and mapping["section"] == {"type": "integer"}
    request = SearchRequest(filters=_base_filters(AnonymousUser()), facets=("type",))
    body = search_body("guiyan-search-pages", PAGES, request)
    filters = body["query"]["bool"]["filter"]
    today = timezone.localdate().isoformat()
    assert {"term": {"public": True}} in filters
    assert {"range": {"shown_from": {"lte": today}}} in filters
    assert {"range": {"shown_until": {"gte": today}}} in filters
    member = UserFactory(username="13900000009")
    request = SearchRequest(filters=_base_filters(member), any_of=_audience_any_of(member))
    body = search_body("x", PAGES, request)
    either = {"terms": {"audience": ["public", "members"]}}, {"terms": {"restrictions": []}}
    assert {"bool": {"should": list(either), "minimum_should_match": 1}} in body["query"]["bool"][
        "filter"
    ]


# --- Changes reach the index --------------------------------------------------------------


def test_publishing_enqueues_the_page_and_the_commit_indexes_it(
    client, sections, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = publish(sections.county, material("村级后备干部培训"))
    assert IndexTask.objects.count() == 0
    assert _search(client, q="后备干部") == [page.title]


def test_publishing_writes_queue_rows_in_the_transaction(sections):
    page = publish(sections.county, material("村级后备干部培训"))
    assert IndexTask.objects.filter(index="pages", key=str(page.pk)).exists()


def test_an_unpublished_page_leaves_the_results(client, library):
    library["charter"].unpublish()
    index_queue_drain()
    assert _search(client, q="党章") == []


def test_a_deleted_page_leaves_the_results(client, library):
    key = str(library["contract"].pk)
    library["contract"].delete()
    assert IndexTask.objects.filter(key=key, action=IndexTask.Action.DELETE).exists()
    index_queue_drain()
    assert _search(client, q="合同") == []


def test_a_new_revision_is_searched_once_published(visitor, member_client, library):
    """Republished without "open to the public", a study page goes back behind the login."""
    page = library["charter"]
    page.title = "学习新党章（修订）"
    page.summary = "新增廉洁纪律内容"
    page.save_revision().publish()
    index_queue_drain()
    assert _search(member_client, q="廉洁纪律") == ["学习新党章（修订）"]
    assert _search(visitor, q="廉洁纪律") == []

    page.open_to_public = True
    page.save_revision().publish()
    index_queue_drain()
    assert _search(visitor, q="廉洁纪律") == ["学习新党章（修订）"]


def test_a_moved_page_is_reindexed_with_its_new_section(sections, library):
    package = library["package"]
    catalog = publish(sections.township, RedPackageCatalogPage(title="乡镇红色包裹"))
    package.move(catalog, pos="last-child")
    index_queue_drain()
    results = page_search(user=None, text="人民出版社")
    assert [hit.page.pk for hit in results.hits] == [package.pk]
    assert [(value.value, value.count) for value in results.sections] == [(sections.township.pk, 1)]


# --- Privacy ------------------------------------------------------------------------------
