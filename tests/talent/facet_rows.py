"""What a talent search should find, worked out from the profiles' rows in Python, without the
search index: the facet and filter tests compare the desk's and the API's numbers with it."""

import dataclasses

from talent.desk.regions import city_key, place_of
from talent.desk.search_query import TalentQuery
from talent.selectors import profiles_visible_to


def _province(profile):
    place = place_of(profile.person_city)
    return place.province if place else None


# Facet name -> the value a profile holds for it (None: none).
FACET_KEYS = {
    "township": lambda profile: profile.hometown_township_id,
    "village": lambda profile: profile.hometown_village_id,
    "gender": lambda profile: profile.person_gender or None,
    "education": lambda profile: profile.education,
    "industry": lambda profile: profile.industry or None,
    "willingness": lambda profile: profile.willingness or None,
    "reserve_cadre_trained": lambda profile: profile.reserve_cadre_trained,
    "grade": lambda profile: profile.latest_grade or None,
    "city": lambda profile: city_key(profile.person_city) or None,
    "province": _province,
}
# Facet name -> the query's field that filters on it.
QUERY_FIELDS = {
    "township": "townships",
    "village": "villages",
    "gender": "genders",
    "education": "education_min",
    "industry": "industries",
    "willingness": "willingness",
    "reserve_cadre_trained": "reserve_cadre_trained",
    "grade": "grades",
    "city": "cities",
    "province": "provinces",
}


def _holds(name: str, profile, chosen) -> bool:
    value = FACET_KEYS[name](profile)
    if name == "education":
        return value is not None and value >= chosen
    if name == "reserve_cadre_trained":
        return value == chosen
    return value in chosen


def passes(profile, query: TalentQuery) -> bool:
    """The query's filters (not its text, age or base search) hold for the profile."""
    for name, field in QUERY_FIELDS.items():
        chosen = getattr(query, field)
        if chosen not in ((), None) and not _holds(name, profile, chosen):
            return False
    if query.trainings and not any(word in profile.trainings for word in query.trainings):
        return False
    return not (query.exclude_negative and profile.on_negative_list)


def rows(user, query: TalentQuery) -> list:
    """The profiles the user may see that pass the query's filters."""
    visible = profiles_visible_to(user).select_related("member")
    return [profile for profile in visible if passes(profile, query)]


def facet_count(user, query: TalentQuery, name: str, value) -> int:
    """How many rows a facet value should show: those passing the query's other filters that
    hold the value (education: at least it)."""
    others = dataclasses.replace(query, **{QUERY_FIELDS[name]: _unset(name)})
    chosen = value if name in ("education", "reserve_cadre_trained") else (value,)
    return sum(_holds(name, profile, chosen) for profile in rows(user, others))


def _unset(name: str):
    return None if name in ("education", "reserve_cadre_trained") else ()
