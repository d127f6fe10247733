"""search/synonyms.py, models.py and the admin list: abbreviations and synonyms expand at
query time, from the built-in list merged with the rows an admin adds."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.models import Role
from portal.registry.factories import UserFactory
from search.analysis import tokens_for_index
from search.models import Synonym
from search.synonyms import synonym_table, tokens_for_query

pytestmark = pytest.mark.django_db


def finds(query: str, text: str) -> bool:
    return tokens_for_query(query).matches(tokens_for_index(text))


def synonym_add(term: str, equivalents: str) -> Synonym:
    synonym = Synonym(term=term, equivalents=equivalents)
    synonym.full_clean()
    synonym.save()
    return synonym


# --- The built-in list ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("二十大", "认真学习党的二十大报告"),
        ("电商", "返乡从事电子商务"),
        ("电子商务", "返乡发展农村电商"),
        ("支书", "担任党支部书记三年"),
        ("新思想", "深入学习习近平新时代中国特色社会主义思想"),
        ("两委", "参加村党组织和村委会换届"),
        ("后备干部", "列为村级后备干部"),
        ("党章", "学习中国共产党章程"),
    ],
)
def test_a_built_in_abbreviation_finds_its_long_form_and_back(query, text):
    assert finds(query, text)


def test_without_expansion_the_abbreviation_alone_does_not_find_the_long_form():
    """The expansion, not the segmentation, makes 电商 find 电子商务."""
    text_tokens = tokens_for_index("返乡从事电子商务")
    assert not tokens_for_query("电商", synonyms=False).matches(text_tokens)
    assert tokens_for_query("电商").clauses == ((("电商",), ("电子商务",)),)


def test_expansion_keeps_the_other_words_of_the_query_required():
    assert finds("电商 养殖", "电子商务和养殖")
    assert not finds("电商 养殖", "电子商务和种植")


def test_a_traditional_query_expands_too():
    assert finds("電商", "返乡从事电子商务")


# --- Admin rows -----------------------------------------------------------------------


def test_a_synonym_added_by_an_admin_takes_effect_after_save():
    assert not finds("归雁", "鼓励在外人才返乡创业")
    synonym_table()  # cached before the row exists
    synonym = synonym_add("归雁", "返乡创业\n回乡创业")
    assert finds("归雁", "鼓励在外人才返乡创业")
    assert finds("回乡创业", "归雁人才")
    synonym.delete()
    assert not finds("归雁", "鼓励在外人才返乡创业")


def test_an_edited_synonym_takes_effect_after_save():
    synonym = synonym_add("归雁", "返乡创业")
    assert finds("归雁", "返乡创业")
    synonym.equivalents = "致富能手"
    synonym.full_clean()
    synonym.save()
    assert not finds("归雁", "返乡创业")
    assert finds("归雁", "村里的致富能手")


def test_an_admin_row_merges_with_a_built_in_group_of_the_same_term():
    synonym_add("电商", "网店")
    assert finds("电商", "开网店")
    assert finds("电商", "从事电子商务")


def test_the_merged_table_is_read_from_the_cache(django_assert_num_queries):
    synonym_add("归雁", "返乡创业")
    synonym_table()
    with django_assert_num_queries(0):
        assert tuple(
            alternative for alternative in synonym_table()[("归雁",)] if alternative != ("归雁",)
        ) == (("返乡", "创业"),)


def test_a_term_is_stored_simplified_and_its_equivalents_one_a_line():
    synonym = synonym_add("電商", "電子商務，网店, 電商\n网店")
    assert (synonym.term, synonym.equivalents) == ("电商", "电子商务\n网店")


@pytest.mark.parametrize(
    ("term", "equivalents", "field"),
    [
        ("，。", "电子商务", "term"),
        ("电商", "", "equivalents"),
        ("电商", "電商，、", "equivalents"),
    ],
)
def test_a_synonym_without_words_is_refused_naming_the_field(term, equivalents, field):
    with pytest.raises(ValidationError) as caught:
        Synonym(term=term, equivalents=equivalents).full_clean()
    assert field in caught.value.message_dict
    assert not Synonym.objects.exists()


def test_a_term_cannot_be_added_twice_in_another_script():
    synonym_add("电商", "网店")
    with pytest.raises(ValidationError) as caught:
        synonym_add("電商", "网购")
    assert "term" in caught.value.message_dict


# --- Who edits the list in the Wagtail admin ------------------------------------------


@pytest.fixture
def post_synonym(client):
    def post(user, term="归雁"):
        client.force_login(user)
        data = {"term": term, "equivalents": "返乡创业"}
        return client.post(reverse("search_synonym:add"), data)

    return post


def test_a_superuser_adds_a_synonym_in_the_admin_and_search_uses_it(post_synonym):
    superuser = UserFactory(is_superuser=True)
    response = post_synonym(superuser)
    assert response.status_code == 302
    assert Synonym.objects.get().term == "归雁"
    assert finds("归雁", "返乡创业")


def test_a_county_org_admin_edits_the_list(client, tree, user_with_role, post_synonym):
    county_admin = user_with_role(Role.ORG_ADMIN, tree.county)
    assert post_synonym(county_admin).status_code == 302
    synonym = Synonym.objects.get()
    listing = client.get(reverse("search_synonym:index"), {"q": "归雁"})
    assert list(listing.context["object_list"]) == [synonym]
    client.post(reverse("search_synonym:delete", args=[synonym.pk]))
    assert not Synonym.objects.exists()


@pytest.mark.parametrize("role", [Role.ORG_ADMIN, Role.EDITOR, Role.REVIEWER])
def test_admins_below_the_county_and_editors_cannot_touch_the_list(
    client, tree, user_with_role, post_synonym, role
):
    user = user_with_role(role, tree.township_a)
    post_synonym(user)
    assert not Synonym.objects.exists()
    response = client.get(reverse("search_synonym:index"))
    assert response.status_code == 302  # Wagtail sends a refusal back to the dashboard
    assert response.url == reverse("wagtailadmin_home")


def test_a_recruiter_is_refused_the_synonym_list(client, tree, user_with_role, post_synonym):
    """Recruiters enter the admin for the talent pool (talent/apps.py), not for synonyms."""
    recruiter = user_with_role(Role.RECRUITER, tree.county)
    post_synonym(recruiter)
    assert not Synonym.objects.exists()
    response = client.get(reverse("search_synonym:index"))
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")


def test_a_group_given_the_model_permissions_edits_the_list(client, tree, post_synonym):
    """A superuser can delegate the list without a county role, through a plain group."""
    group = Group.objects.create(name="词库维护")
    codenames = ["access_admin", "add_synonym", "change_synonym", "view_synonym"]
    group.permissions.set(Permission.objects.filter(codename__in=codenames))
    keeper = UserFactory()
    keeper.groups.add(group)
    assert post_synonym(keeper).status_code == 302
    assert Synonym.objects.filter(term="归雁").exists()
