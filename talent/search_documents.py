"""The "talent" search document: what of a profile in the pool is searchable and filterable.

Registered from TalentConfig.ready(). The key is the profile's primary key; ``load`` yields only
profiles in the pool, so a member who withdraws consent drops out of the index the next time
their profile is indexed (talent/signal_handlers.py queues that on commit).
"""

from collections.abc import Iterable, Iterator, Sequence

from django.conf import settings
from django.utils import translation

from search.registry import SearchDocument

INDEX = "talent"
LOAD_BATCH = 500

TEXT_FIELDS = (
    "name",
    "occupation",
    "employer",
    "current_city",
    "skills",
    "venture",
    "honours",
    "trainings",
    "self_introduction",
    "industry_label",
    "hometown",
)
FILTER_FIELDS = {
    "township": "integer",
    "village": "integer",
    "birth_date": "date",
    "education": "integer",
    "industry": "keyword",
    "willingness": "keyword",
    "reserve_cadre_trained": "boolean",
    "grade": "keyword",
    "study_hours": "integer",
    "negative": "boolean",
}
FACETS = (
    "township",
    "village",
    "education",
    "industry",
    "willingness",
    "reserve_cadre_trained",
    "grade",
)


def talent_fields(profile, township=None, skills: Sequence[str] = ()) -> dict:
    """The document of one profile; ``township`` is its home township (given or derived)."""
    village = profile.hometown_village
    birth_date = profile.born_on
    fields = {
        "name": profile.display_name,
        "occupation": profile.occupation,
        "employer": profile.employer,
        "current_city": profile.current_city,
        "skills": list(skills),
        "venture": profile.venture,
        "honours": profile.honours,
        "trainings": profile.trainings,
        "self_introduction": profile.self_introduction,
        "industry_label": str(profile.get_industry_display()) if profile.industry else "",
        "hometown": [org.name for org in (township, village) if org is not None],
        "township": township.pk if township is not None else None,
        "village": village.pk if village is not None else None,
        "birth_date": birth_date.isoformat() if birth_date else None,
        "education": profile.education,
        "industry": profile.industry or None,
        "willingness": profile.willingness or None,
        "reserve_cadre_trained": profile.reserve_cadre_trained,
        "grade": profile.latest_grade or None,
        "study_hours": int(profile.study_hours_this_year * 10),
        "negative": profile.on_negative_list,
    }
    # An absent value is left out, not stored as null: filters and facets then skip it.
    return {name: value for name, value in fields.items() if value is not None}


def _townships_of(villages: Iterable) -> dict[int, object]:
    """Village pk → its home township, for profiles saved with only a village."""
    from portal.models import Organization

    villages = [village for village in villages if village is not None]
    prefixes = {
        village.path[: depth * Organization.steplen]
        for village in villages
        for depth in range(1, village.depth)
    }
    if not prefixes:
        return {}
    townships = list(
        Organization.objects.filter(path__in=prefixes, level=Organization.Level.TOWNSHIP)
    )
    return {
        village.pk: township
        for village in villages
        for township in townships
        if village.path.startswith(township.path)
    }


def _profiles(keys: Sequence[str] | None):
    from .models import TalentProfile

    profiles = (
        TalentProfile.objects.in_pool()
        .select_related("member", "hometown_township", "hometown_village")
        .prefetch_related("skills")
        .order_by("pk")
    )
    if keys is not None:
        profiles = profiles.filter(pk__in=[int(key) for key in keys if str(key).isdigit()])
    return profiles


def talent_load(keys: Sequence[str] | None) -> Iterator[tuple[str, dict]]:
    """Every profile in the pool (keys None) or those of ``keys`` still in it, in batches."""
    profiles = _profiles(keys)
    last_pk = 0
    # Labels are indexed in the site's language, whatever the worker's request was.
    with translation.override(settings.LANGUAGE_CODE):
        while batch := list(profiles.filter(pk__gt=last_pk)[:LOAD_BATCH]):
            last_pk = batch[-1].pk
            derived = _townships_of(
                profile.hometown_village for profile in batch if not profile.hometown_township_id
            )
            for profile in batch:
                township = profile.hometown_township or derived.get(profile.hometown_village_id)
                skills = sorted(tag.name for tag in profile.skills.all())
                yield str(profile.pk), talent_fields(profile, township, skills)


def talent_count() -> int:
    from .models import TalentProfile

    return TalentProfile.objects.in_pool().count()


TALENT_DOCUMENT = SearchDocument(
    name=INDEX,
    load=talent_load,
    text_fields=TEXT_FIELDS,
    name_fields=("name",),
    filter_fields=FILTER_FIELDS,
    facets=FACETS,
    count=talent_count,
)
