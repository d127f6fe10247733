"""The demo talent pool: bounded, valid, and built only once."""

from talent.demo import NON_MEMBER_PROFILES, demo_talent_build
from talent.models import TalentProfile


def test_the_demo_pool_is_bounded_valid_and_built_once(tree, members):
    """Every demo profile passes validation; a second build adds nothing."""
    made = demo_talent_build(county=tree.county)
    assert made == NON_MEMBER_PROFILES + 3
    assert TalentProfile.objects.in_pool().count() == made
    for profile in TalentProfile.objects.all()[:50]:
        profile.full_clean()
        assert profile.skills.count() == 2
    assert demo_talent_build(county=tree.county) == 0
    assert TalentProfile.objects.count() == made
