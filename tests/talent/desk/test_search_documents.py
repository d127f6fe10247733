"""talent/desk/search_documents.py and the receivers that queue it: what a profile's document
holds, how Chinese text finds it, and that changes reach the index only on commit."""

import os

import pytest
from django.db import transaction
from django.test import override_settings

from portal.registry.factories import OrganizationFactory
from search import selectors
from search.models import IndexEntry, IndexTask
from search.registry import document_spec
from search.selectors import document_search
from search.services import index_queue_drain, index_rebuild
from talent.demo import demo_talent_build
from talent.desk import search_documents
from talent.models import TalentProfile
from talent.services import (
    consent_record,
    consent_withdraw,
    negative_entry_add,
    negative_entry_lift,
    profile_create,
    profile_signals_refresh,
    profile_update,
)
from talent.signal_handlers import demo_built_index_enqueue
from tests.search.helpers import search_backends

from ..search_pool import make_pool, years_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def talent_pool(tree, members):
    return make_pool(tree, members)


ENGINES = [
    "database",
    pytest.param(
        "elasticsearch",
        marks=pytest.mark.skipif(
            not os.environ.get("ELASTICSEARCH_URL"), reason="ELASTICSEARCH_URL is not set"
        ),
    ),
]


def documents(keys=None) -> dict[str, dict]:
    return dict(search_documents.talent_load(keys))


def queued() -> list[tuple[str, str]]:
    return list(IndexTask.objects.filter(index="talent").values_list("key", "action"))


def test_the_talent_document_is_registered_as_the_contract_says():
    spec = document_spec("talent")
    assert spec is search_documents.TALENT_DOCUMENT
    assert spec.name_fields == ("name",)
    assert set(spec.text_fields) == {
        "name",
        "occupation",
        "employer",
        "current_city",
        "skills",
        "venture",
        "honours",
        "trainings",
        "self_introduction",
    }
    assert spec.filter_fields == {
        "training": "keywords",
        "township": "integer",
        "village": "integer",
        "birth_date": "date",
        "gender": "keyword",
        "education": "integer",
        "industry": "keyword",
        "willingness": "keyword",
        "city": "keyword",
        "province": "keyword",
        "reserve_cadre_trained": "boolean",
        "grade": "keyword",
        "study_hours": "integer",
        "negative": "boolean",
    }
    assert set(spec.facets) == {
        "township",
        "village",
        "gender",
        "education",
        "industry",
        "willingness",
        "reserve_cadre_trained",
        "grade",
        "city",
        "province",
    }


def test_the_loader_yields_the_pool_with_labels_and_derived_fields(talent_pool, tree, members):
    """Only profiles in the pool; a member's name and birth date come from the record; the
    township of a profile with only a village is derived; a blank grade is left out."""
    pool = talent_pool
    loaded = documents()
    assert set(loaded) == {str(p.pk) for p in (pool.farmer, pool.shop, pool.colleague)} | {
        str(pool.cad.pk),
        str(pool.member.pk),
    }
    assert search_documents.talent_count() == 5
    farmer = loaded[str(pool.farmer.pk)]
    assert farmer["township"] == tree.township_a.pk  # derived when the profile was cleaned
    assert farmer["village"] == tree.village_a1.pk
    assert "hometown" not in farmer  # the places are filters, not text
    assert "industry_label" not in farmer and farmer["industry"] == "agriculture"  # no text
    assert farmer["skills"] == ["农机", "生态养殖"]
    assert farmer["study_hours"] == 40  # tenths of an hour
    assert farmer["grade"] == "qualified"
    assert farmer["birth_date"] == years_ago(42, days=30).isoformat()
    member = loaded[str(pool.member.pk)]
    assert member["name"] == "甲二党员"
    assert member["birth_date"] == members.a2.birth_date.isoformat()
    assert (member["grade"], member["study_hours"], member["reserve_cadre_trained"]) == (
        "excellent",
        325,
        True,
    )
    cad = loaded[str(pool.cad.pk)]
    assert "grade" not in cad and "village" not in cad
    assert cad["birth_date"] == "1949-12-31"  # from the ID number
    assert cad["gender"] == "female"  # from the ID number too
    assert (cad["township"], cad["negative"]) == (tree.township_a.pk, True)
    assert documents([str(pool.silent.pk), "nonsense"]) == {}


def test_the_document_holds_gender_city_and_province_from_the_record_where_blank(
    talent_pool, members
):
    """A profile's own city and gender first; a member's host city and gender stand in for
    blank ones; the city is read as its prefecture-level city, the province as its code."""
    pool = talent_pool
    TalentProfile.objects.filter(pk=pool.farmer.pk).update(current_city="廣東深圳南山區")
    members.a2.host_city = "遵义"
    members.a2.save()
    loaded = documents()
    farmer, shop = loaded[str(pool.farmer.pk)], loaded[str(pool.shop.pk)]
    assert (farmer["city"], farmer["province"]) == ("深圳市", "44")
    assert farmer["current_city"] == "廣東深圳南山區"  # searched as written
    assert (shop["city"], shop["province"]) == ("杭州市", "33")
    assert "gender" not in shop and "city" not in loaded[str(pool.colleague.pk)]
    member = loaded[str(pool.member.pk)]
    assert (member["city"], member["province"]) == ("遵义市", "52")
    assert member["gender"] == members.a2.gender


def test_the_document_holds_each_training_by_name(talent_pool):
    """The "training" filter holds each training a profile lists, once, as search compares
    words (simplified, lower case); a profile with none holds no value."""
    pool = talent_pool
    TalentProfile.objects.filter(pk=pool.farmer.pk).update(
        trainings="村级后备干部培训、電商培训；\n村级后备干部培训, APP运营培训"
    )
    TalentProfile.objects.filter(pk=pool.shop.pk).update(trainings="")
    loaded = documents()
    farmer = loaded[str(pool.farmer.pk)]
    assert farmer["training"] == ["村级后备干部培训", "电商培训", "app运营培训"]
    assert "training" not in loaded[str(pool.shop.pk)]


def test_a_profile_saved_before_the_township_was_derived_is_indexed_under_it(talent_pool, tree):
    TalentProfile.objects.filter(pk=talent_pool.colleague.pk).update(hometown_township=None)
    loaded = documents([str(talent_pool.colleague.pk)])
    assert loaded[str(talent_pool.colleague.pk)]["township"] == tree.township_a.pk


def test_cleaning_a_profile_derives_the_township_from_the_village(tree):
    profile = profile_create(name="李四", hometown_village=tree.village_b1)
    assert profile.hometown_township == tree.township_b


@pytest.fixture(params=ENGINES)
def engine(request, talent_pool):
    with override_settings(WAGTAILSEARCH_BACKENDS=search_backends(request.param)):
        if request.param == "elasticsearch":
            index_rebuild(spec=document_spec("talent"))
            selectors.search_engine().client.indices.refresh(index="guiyan-test-search-talent")
        yield talent_pool


def found(text: str, **options) -> list[str]:
    results = document_search(index="talent", text=text, **options)
    names = TalentProfile.objects.filter(pk__in=[int(key) for key in results.keys])
    return sorted(profile.display_name for profile in names)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("养殖", ["王芳"]),  # not the member who did not consent, though their profile says 养殖
        ("養殖", ["王芳"]),  # traditional input
        ("电商", ["陈刚"]),  # a synonym of 电子商务
        ("合同", ["张伟"]),  # not 配合同事 (配合 / 同事)
        ("同事", ["赵强"]),
        ("excel", ["张伟"]),
        ("CAD", ["张伟"]),
        ("Cad", ["张伟"]),
        ("zhangwei", ["张伟"]),
        ("zw", ["张伟"]),
        ("wangfang", ["王芳"]),
        ("jiaerdangyuan", ["甲二党员"]),  # a member's name, from the member record
        ("直播", ["陈刚"]),  # a skill
        ("杭州", ["陈刚"]),  # the current city
        ("制造业", []),  # the industry is a filter and facet, not text (ADR 0025)
        ("甲一村", []),  # the home village is a filter, not text
        ("电工", ["甲二党员"]),
        ("养殖 杭州", []),  # both of two words must be found
        ("养殖 农机 直播", ["王芳"]),  # two of three words are enough
        ("王芳 电工 直播 杭州 excel", []),  # one of five is not
        ("Wang Fang", ["王芳"]),  # pinyin with a space and capitals
        ("生态养殖需要什么农机", ["王芳"]),  # 需要 and 什么 need not match
        ("，。", []),
    ],
)
def test_chinese_text_finds_profiles_by_their_words(engine, text, expected):
    """Two-character words, synonyms, traditional characters, Latin words in any case and
    names by pinyin and initials find profiles; characters meeting across a word do not."""
    assert found(text) == expected


def test_a_home_village_named_after_a_crop_does_not_make_its_people_growers(engine, tree):
    """苹果种植 finds the apple grower, not the vegetable grower from 苹果村 (whose village
    name holds 苹果 and whose skill holds 种植): the place is a filter, not words."""
    apple_village = OrganizationFactory(parent=tree.township_b, name="苹果村党支部", code="B2")
    villager = profile_create(
        name="刘洋", hometown_village=apple_village, skills=["蔬菜种植"], occupation="菜农"
    )
    grower = profile_create(name="孙丽", hometown_village=tree.village_a1, skills=["苹果种植"])
    index_rebuild(spec=document_spec("talent"))
    if selectors.search_engine().name == "elasticsearch":
        selectors.search_engine().client.indices.refresh(index="guiyan-test-search-talent")
    assert villager.pk < grower.pk  # on a tie the villager would come first
    assert document_search(index="talent", text="苹果种植").keys == [str(grower.pk)]
    assert found("种植") == ["刘洋", "孙丽"]
    assert found("", filters={"village": apple_village.pk}) == ["刘洋"]


def test_filters_narrow_text_and_list_alone(engine, tree):
    assert found("", filters={"township": tree.township_b.pk}) == ["陈刚"]
    assert found("养殖", filters={"township": tree.township_b.pk}) == []
    assert found("", filters={"negative": True}) == ["张伟"]
    assert found("", filters={"grade": ["excellent", "qualified"]}) == ["王芳", "甲二党员"]


def test_a_save_queues_the_profile_and_the_index_sees_it_on_commit(
    tree, django_capture_on_commit_callbacks
):
    """The queue row is written with the change; the engine is reached only on commit."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        profile = profile_create(name="刘洋", hometown_village=tree.village_a1, skills=["养殖"])
    assert (str(profile.pk), "upsert") in queued()
    assert not IndexEntry.objects.filter(index="talent").exists()
    assert callbacks, "the drain is asked for on commit"
    for callback in callbacks:
        callback()
    assert found("养殖") == ["刘洋"]
    assert queued() == []


def test_a_rolled_back_change_leaves_nothing_queued(tree):
    with pytest.raises(RuntimeError), transaction.atomic():
        profile_create(name="刘洋", hometown_village=tree.village_a1)
        raise RuntimeError
    assert queued() == []


def test_skills_consent_negative_list_and_signals_queue_the_profile(tree, members):
    profile = profile_create(member=members.a1, hometown_village=tree.village_a1)

    def regrade():  # the record says no grade; the refresh corrects a stale one
        TalentProfile.objects.filter(pk=profile.pk).update(latest_grade="basic")
        assert profile_signals_refresh(profile_id=profile.pk)

    steps = [
        lambda: profile.skills.add("电焊"),
        lambda: profile_update(profile=profile, skills=["电焊", "养殖"]),
        lambda: profile.skills.clear(),
        lambda: consent_record(profile=profile),
        lambda: consent_withdraw(profile=profile),
        lambda: negative_entry_add(profile=profile, reason="违纪"),
        lambda: negative_entry_lift(entry=profile.negative_entries.get()),
        regrade,
    ]

    for number, step in enumerate(steps):
        IndexTask.objects.all().delete()
        step()
        assert (str(profile.pk), "upsert") in queued(), number


def test_renamed_members_places_and_skills_and_a_deletion_queue_the_profile(tree, members):
    profile = profile_create(member=members.a1, hometown_village=tree.village_a1)
    IndexTask.objects.all().delete()
    members.a1.name = "甲一新名"
    members.a1.save()
    assert queued() == [(str(profile.pk), "upsert")]
    IndexTask.objects.all().delete()
    tree.village_a1.name = "甲一村新名"
    tree.village_a1.save()
    assert queued() == [(str(profile.pk), "upsert")]
    IndexTask.objects.all().delete()
    profile.skills.add("电商")
    IndexTask.objects.all().delete()
    tag = profile.skills.get()
    tag.name = "电子商务"
    tag.save()
    assert queued() == [(str(profile.pk), "upsert")]
    IndexTask.objects.all().delete()
    pk = profile.pk
    profile.delete()
    assert queued() == [(str(pk), "delete")]


def test_a_member_leaves_the_index_when_consent_is_withdrawn(
    talent_pool, django_capture_on_commit_callbacks
):
    assert found("电工") == ["甲二党员"]
    with django_capture_on_commit_callbacks(execute=True):
        consent_withdraw(profile=talent_pool.member)
    assert found("电工") == []
    assert not IndexEntry.objects.filter(index="talent", key=str(talent_pool.member.pk)).exists()
    with django_capture_on_commit_callbacks(execute=True):
        consent_record(profile=talent_pool.member)
    assert found("电工") == ["甲二党员"]


def test_a_lifted_sanction_reaches_the_index(talent_pool, django_capture_on_commit_callbacks):
    assert found("", filters={"negative": True}) == ["张伟"]
    with django_capture_on_commit_callbacks(execute=True):
        negative_entry_lift(entry=talent_pool.cad.negative_entries.get())
    assert found("", filters={"negative": True}) == []
    assert index_queue_drain() == 0


def test_the_demo_pool_is_queued_whole(tree, members, django_capture_on_commit_callbacks):
    """The demo bulk-creates profiles without signals; its receiver queues the pool."""
    made = demo_talent_build(county=tree.county)
    with django_capture_on_commit_callbacks(execute=True):
        demo_built_index_enqueue(sender=None, county=tree.county, member=members.a1)
    assert document_search(index="talent").total == made
