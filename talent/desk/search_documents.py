"""The "talent" search document: what of a profile in the pool is searchable and filterable.

Registered from TalentConfig.ready(). The key is the profile's primary key; ``load`` yields only
profiles in the pool, so a member who withdraws consent drops out of the index the next time
their profile is indexed (talent/signal_handlers.py queues that on commit).

The home township and village are filters and facets, not text: their names (甲一村党支部,
苹果村) would otherwise make people match words of a topic (党支部, 苹果) through where they
come from (docs/adr/0017-should-match.md). So is the industry: its label (商贸与电商) as
text made a cashier match 电商 and 电子商务; it is a filter and a facet only.
"""

import re
from collections.abc import Iterator, Sequence

from search.analysis import normalize
from search.registry import SearchDocument, Weight
from talent.desk.regions import place_of

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
)
# Ranking: who a person is and what they do above where they work, live, trained or were
# honoured, above what they say of themselves (the self-introduction, weighing least).
WEIGHTS = {
    "name": Weight.HIGH,
    "occupation": Weight.HIGH,
    "skills": Weight.HIGH,
    "venture": Weight.HIGH,
    "employer": Weight.MIDDLE,
    "current_city": Weight.MIDDLE,
    "honours": Weight.MIDDLE,
    "trainings": Weight.MIDDLE,
}
FILTER_FIELDS = {
    "training": "keywords",  # the trainings' names (training_names), filtered by words in them
    "township": "integer",
    "village": "integer",
    "birth_date": "date",
    "gender": "keyword",
    "education": "integer",
    "industry": "keyword",
    "willingness": "keyword",
    "city": "keyword",  # talent.desk.regions: the prefecture-level city, else as written
    "province": "keyword",  # the province's code
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
    "gender",
    "province",
    "city",
)


# The profile's columns the document reads, and the member's that stand in for blank ones.
PROFILE_COLUMNS = (
    "pk",
    "name",
    "gender",
    "birth_date",
    "occupation",
    "employer",
    "current_city",
    "venture",
    "honours",
    "trainings",
    "self_introduction",
    "industry",
    "education",
    "willingness",
    "latest_grade",
    "study_hours_this_year",
    "reserve_cadre_trained",
    "on_negative_list",
    "hometown_township_id",
    "hometown_village_id",
    "member_id",
    "member__name",
    "member__gender",
    "member__birth_date",
    "member__host_city",
)


# Between the trainings a profile lists: 村级后备干部培训、电商培训 are two.
TRAINING_SEPARATORS = re.compile(r"[、,，;；\n\r]+")


def training_names(trainings: str) -> list[str]:
    """The trainings a profile lists, each as search compares words (simplified, lower
    case): the values of the "training" filter, each held once."""
    names = (normalize(name).strip() for name in TRAINING_SEPARATORS.split(trainings or ""))
    return list(dict.fromkeys(name for name in names if name))


def talent_fields(row: dict, places: "Places", skills: Sequence[str] = ()) -> dict:
    """The document of one profile, from its ``PROFILE_COLUMNS`` row.

    A member's profile takes the name and (when not typed in) the birth date from the member
    record, and the gender and current city too when the profile has none (as
    ``TalentProfile.person_gender`` and ``person_city`` do); the home township is the
    profile's, or the village's township when only the village was given."""
    village = places.organization(row["hometown_village_id"])
    township = places.organization(row["hometown_township_id"]) or places.township_of(village)
    member = bool(row["member_id"])
    birth_date = row["birth_date"] or (row["member__birth_date"] if member else None)
    gender = row["gender"] or (row["member__gender"] if member else "")
    city = row["current_city"] or (row["member__host_city"] if member else "")
    place = place_of(city)
    industry = row["industry"]
    fields = {
        "name": row["member__name"] if member else row["name"],
        "occupation": row["occupation"],
        "employer": row["employer"],
        "current_city": city,
        "skills": list(skills),
        "venture": row["venture"],
        "honours": row["honours"],
        "trainings": row["trainings"],
        "self_introduction": row["self_introduction"],
        "training": training_names(row["trainings"]) or None,
        "township": township.pk if township is not None else None,
        "village": village.pk if village is not None else None,
        "birth_date": birth_date.isoformat() if birth_date else None,
        "gender": gender or None,
        "education": row["education"],
        "industry": industry or None,
        "willingness": row["willingness"] or None,
        "city": place.city if place else None,
        "province": place.province if place else None,
        "reserve_cadre_trained": row["reserve_cadre_trained"],
        "grade": row["latest_grade"] or None,
        "study_hours": int(row["study_hours_this_year"] * 10),
        "negative": row["on_negative_list"],
    }
    # An absent value is left out, not stored as null: filters and facets then skip it.
    return {name: value for name, value in fields.items() if value is not None}


class Places:
    """The county's townships, villages and communities, read once for a whole load.

    A county holds a few hundred; reading them once costs less than joining them to every
    profile row."""

    def __init__(self) -> None:
        from portal.models import Organization
        from talent.models import VILLAGE_LEVELS

        levels = (Organization.Level.TOWNSHIP, *VILLAGE_LEVELS)
        self._organizations = {
            org.pk: org
            for org in Organization.objects.filter(level__in=levels).only(
                "pk", "name", "path", "depth", "level"
            )
        }
        self._townships = {
            org.path: org
            for org in self._organizations.values()
            if org.level == Organization.Level.TOWNSHIP
        }
        self._steplen = Organization.steplen

    def organization(self, pk: int | None):
        return self._organizations.get(pk) if pk is not None else None

    def township_of(self, village):
        if village is None:
            return None
        for depth in range(village.depth - 1, 0, -1):
            township = self._townships.get(village.path[: depth * self._steplen])
            if township is not None:
                return township
        return None


def _skills_of(pks: Sequence[int]) -> dict[int, list[str]]:
    from talent.models import TalentSkill

    skills: dict[int, list[str]] = {}
    rows = TalentSkill.objects.filter(content_object_id__in=pks).values_list(
        "content_object_id", "tag__name"
    )
    for pk, name in rows:
        skills.setdefault(pk, []).append(name)
    return {pk: sorted(names) for pk, names in skills.items()}


def talent_load(keys: Sequence[str] | None) -> Iterator[tuple[str, dict]]:
    """Every profile in the pool (keys None) or those of ``keys`` still in it, in batches."""
    from talent.models import TalentProfile

    profiles = TalentProfile.objects.in_pool().order_by("pk").values(*PROFILE_COLUMNS)
    if keys is not None:
        profiles = profiles.filter(pk__in=[int(key) for key in keys if str(key).isdigit()])
    last_pk = 0
    places = Places()
    while batch := list(profiles.filter(pk__gt=last_pk)[:LOAD_BATCH]):
        last_pk = batch[-1]["pk"]
        skills = _skills_of([row["pk"] for row in batch])
        for row in batch:
            yield str(row["pk"]), talent_fields(row, places, skills.get(row["pk"], ()))


def talent_count() -> int:
    from talent.models import TalentProfile

    return TalentProfile.objects.in_pool().count()


TALENT_DOCUMENT = SearchDocument(
    name=INDEX,
    load=talent_load,
    text_fields=TEXT_FIELDS,
    name_fields=("name",),
    weights=WEIGHTS,
    filter_fields=FILTER_FIELDS,
    facets=FACETS,
    count=talent_count,
)
