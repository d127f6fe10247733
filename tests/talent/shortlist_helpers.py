"""People and profiles for the shortlist and saved-search tests: two township recruiting
departments, a county org admin, a member, and profiles from both townships."""

from types import SimpleNamespace

from portal.models import Role
from portal.registry.factories import UserFactory
from talent.services import profile_create

PHONE = "13900000088"


def make_people(tree, user_with_role) -> SimpleNamespace:
    """Recruiters A and A2 share township A's department; B recruits for township B."""
    member_user = UserFactory(username="member_user")
    return SimpleNamespace(
        recruiter_a=user_with_role(Role.RECRUITER, tree.township_a, "recruiter_a"),
        colleague_a=user_with_role(Role.RECRUITER, tree.township_a, "colleague_a"),
        recruiter_b=user_with_role(Role.RECRUITER, tree.township_b, "recruiter_b"),
        county_admin=user_with_role(Role.ORG_ADMIN, tree.county, "county_admin"),
        township_admin=user_with_role(Role.ORG_ADMIN, tree.township_a, "township_admin"),
        member=member_user,
    )


def make_profiles(tree) -> SimpleNamespace:
    """Two people from township A's villages, one from township B's."""
    return SimpleNamespace(
        a1=profile_create(
            name="甲一人才",
            phone=PHONE,
            hometown_township=tree.township_a,
            hometown_village=tree.village_a1,
        ),
        a2=profile_create(name="甲二人才", hometown_village=tree.village_a2),
        b1=profile_create(name="乙一人才", hometown_village=tree.village_b1),
    )


def reindex() -> None:
    """Bring the "talent" index up to date (tests do not run the on-commit queue drain)."""
    from django.test import override_settings

    from search.registry import document_spec
    from search.services import index_rebuild
    from tests.search.helpers import search_backends

    with override_settings(WAGTAILSEARCH_BACKENDS=search_backends("database")):
        index_rebuild(spec=document_spec("talent"))
