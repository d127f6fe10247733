"""A talent search as the desk, the API and saved searches ask it: ``TalentQuery``, read from
GET parameters (``talent_query_from_params``) and written back (``talent_query_params``)."""

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learning.models.periods import Grade
from portal.models import Member
from talent.desk.regions import city_key, province_codes
from talent.models import BaseSearch, Education, Industry, TalentProfile, Willingness

SORTS = ("relevance", "age", "-age", "study_hours", "-study_hours")
# The index's sort field for each sort a user picks; the youngest first is "age".
SORT_FIELDS = {
    "relevance": None,
    "age": "-birth_date",
    "-age": "birth_date",
    "study_hours": "study_hours",
    "-study_hours": "-study_hours",
}
# The search's parameters, as a person reads them (an error on one, a saved search's summary).
SEARCH_PARAM_LABELS = {
    "q": gettext_lazy("search words"),
    "township": gettext_lazy("home township"),
    "village": gettext_lazy("home village"),
    "age_min": gettext_lazy("youngest age"),
    "age_max": gettext_lazy("oldest age"),
    "gender": gettext_lazy("gender"),
    "education": gettext_lazy("education at least"),
    "industry": gettext_lazy("industry"),
    "willingness": gettext_lazy("willingness to return"),
    "city": gettext_lazy("current city"),
    "province": gettext_lazy("current province"),
    "training": gettext_lazy("training"),
    "trained": gettext_lazy("reserve-cadre training"),
    "grade": gettext_lazy("latest assessment grade"),
    "exclude_negative": gettext_lazy("negative list"),
    "base": gettext_lazy("base search"),
    "sort": gettext_lazy("sort by"),
}
# Every parameter a search reads: the labelled ones and the result page.
SEARCH_PARAMS = (*SEARCH_PARAM_LABELS, "page")
PAGE_SIZE = 20
MAX_PAGE = 1000
MAX_TEXT = 200
MAX_AGE = 120
MAX_VALUES = 200
MAX_CITY = TalentProfile._meta.get_field("current_city").max_length
MAX_TRAINING = 50


@dataclass(frozen=True)
class TalentQuery:
    text: str = ""
    townships: tuple[int, ...] = ()
    villages: tuple[int, ...] = ()
    age_min: int | None = None
    age_max: int | None = None
    genders: tuple[str, ...] = ()
    education_min: int | None = None
    industries: tuple[str, ...] = ()
    willingness: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()  # as regions.city_key reads them: 深圳 is 深圳市
    provinces: tuple[str, ...] = ()  # codes, 52 for 贵州省
    trainings: tuple[str, ...] = ()  # words in the profile's trainings, any of
    reserve_cadre_trained: bool | None = None
    grades: tuple[str, ...] = ()  # any of
    exclude_negative: bool = False
    base_search: int | None = None  # a BaseSearch pk; its rules are added on top
    sort: str = "relevance"  # relevance | age | -age | study_hours | -study_hours
    page: int = 1
    page_size: int = PAGE_SIZE


# --- Parameters ------------------------------------------------------------------------


def _values(params: Mapping, name: str) -> list[str]:
    if hasattr(params, "getlist"):
        raw = params.getlist(name)
    else:
        value = params.get(name)
        raw = [] if value is None else value if isinstance(value, list | tuple) else [value]
    # JSON (a base search's filters, a saved search) may hold numbers and booleans.
    texts = [
        ("1" if item else "0") if isinstance(item, bool) else str(item)
        for item in raw
        if item is not None
    ]
    return [text.strip() for text in texts if text.strip()]


def _one(params: Mapping, name: str) -> str:
    values = _values(params, name)
    return values[-1] if values else ""


def _whole_number(text: str, low: int, high: int) -> int | None:
    if not text.isdigit():  # refuses signs and decimals
        return None
    try:
        number = int(text)
    except ValueError:  # digits int() does not read (², ①) or too many of them
        return None
    return number if low <= number <= high else None


class _Parser:
    """Collects one Chinese message per bad parameter, so the form shows them all at once."""

    def __init__(self, params: Mapping) -> None:
        self.params = params
        self.errors: dict[str, str] = {}

    def ids(self, name: str, message: str) -> tuple[int, ...]:
        values = _values(self.params, name)
        numbers = [_whole_number(value, 1, 2**31 - 1) for value in values]
        if None in numbers or len(values) > MAX_VALUES:
            self.errors[name] = message
            return ()
        return tuple(dict.fromkeys(numbers))  # type: ignore[arg-type]

    def choices(self, name: str, allowed: Sequence[str], message: str) -> tuple[str, ...]:
        values = _values(self.params, name)
        if any(value not in allowed for value in values):
            self.errors[name] = message
            return ()
        return tuple(dict.fromkeys(values))

    def texts(self, name: str, max_length: int, message: str, fold=str) -> tuple[str, ...]:
        values = _values(self.params, name)
        if any(len(value) > max_length for value in values) or len(values) > MAX_VALUES:
            self.errors[name] = message
            return ()
        if any(unicodedata.category(char) == "Cc" for value in values for char in value):
            # A database refuses a NUL in a query; nobody types one.
            self.errors[name] = _("Type words only, without control characters.")
            return ()
        return tuple(dict.fromkeys(fold(value) for value in values))

    def number(self, name: str, low: int, high: int, message: str) -> int | None:
        text = _one(self.params, name)
        if not text:
            return None
        number = _whole_number(text, low, high)
        if number is None:
            self.errors[name] = message
        return number

    def flag(self, name: str, message: str) -> bool | None:
        text = _one(self.params, name)
        if not text:
            return None
        if text not in ("1", "0"):
            self.errors[name] = message
            return None
        return text == "1"


def talent_query_from_params(params: Mapping[str, str | list[str]]) -> TalentQuery:
    """A query from GET parameters (or a saved search's, or a base search's filters).

    Empty values are ignored, as an unselected form field sends them; any bad value raises
    ValidationError with a Chinese message keyed by the parameter."""
    parse = _Parser(params)
    text = _one(params, "q")
    if len(text) > MAX_TEXT:
        parse.errors["q"] = _("The search text may be at most %(limit)d characters.") % {
            "limit": MAX_TEXT
        }
    townships = parse.ids("township", _("Choose townships from the list."))
    villages = parse.ids("village", _("Choose villages from the list."))
    age_message = _("Enter an age as a whole number from 0 to %(limit)d.") % {"limit": MAX_AGE}
    age_min = parse.number("age_min", 0, MAX_AGE, age_message)
    age_max = parse.number("age_max", 0, MAX_AGE, age_message)
    if age_min is not None and age_max is not None and age_min > age_max:
        parse.errors["age_max"] = _("The highest age must not be below the lowest age.")
    genders = parse.choices("gender", Member.Gender.values, _("Choose a gender from the list."))
    education = parse.number(
        "education", 1, max(Education.values), _("Choose an education level from the list.")
    )
    industries = parse.choices("industry", Industry.values, _("Choose industries from the list."))
    willingness = parse.choices(
        "willingness", Willingness.values, _("Choose willingness to return from the list.")
    )
    cities = parse.texts(
        "city",
        MAX_CITY,
        _("A city is at most %(limit)d characters.") % {"limit": MAX_CITY},
        fold=city_key,
    )
    provinces = parse.choices("province", province_codes(), _("Choose provinces from the list."))
    trainings = parse.texts(
        "training",
        MAX_TRAINING,
        _("A training's name is at most %(limit)d characters.") % {"limit": MAX_TRAINING},
    )
    trained = parse.flag("trained", _("Reserve-cadre training is 1 (completed) or 0 (not)."))
    grades = parse.choices("grade", Grade.values, _("Choose grades from the list."))
    exclude_negative = parse.flag(
        "exclude_negative", _("Leaving out the negative list is 1 (yes) or 0 (no).")
    )
    base = parse.number("base", 1, 2**31 - 1, _("Choose a base search from the list."))
    if base is not None and not BaseSearch.objects.filter(pk=base).exists():
        parse.errors["base"] = _("Choose a base search from the list.")
    sort = _one(params, "sort") or "relevance"
    if sort not in SORTS:
        parse.errors["sort"] = _("Sort by relevance, age or study hours.")
    page = parse.number(
        "page", 1, MAX_PAGE, _("Enter a page number from 1 to %(limit)d.") % {"limit": MAX_PAGE}
    )
    if parse.errors:
        raise ValidationError(parse.errors)
    return TalentQuery(
        text=text,
        townships=townships,
        villages=villages,
        age_min=age_min,
        age_max=age_max,
        genders=genders,
        education_min=education,
        industries=industries,
        willingness=willingness,
        cities=cities,
        provinces=provinces,
        trainings=trainings,
        reserve_cadre_trained=trained,
        grades=grades,
        exclude_negative=bool(exclude_negative),
        base_search=base,
        sort=sort,
        page=page or 1,
    )


def talent_query_params(query: TalentQuery) -> dict[str, list[str]]:
    """The GET parameters of a query (what talent_query_from_params reads), defaults left out."""
    params: dict[str, list[str]] = {
        "q": [query.text] if query.text else [],
        "township": [str(pk) for pk in query.townships],
        "village": [str(pk) for pk in query.villages],
        "age_min": [] if query.age_min is None else [str(query.age_min)],
        "age_max": [] if query.age_max is None else [str(query.age_max)],
        "gender": list(query.genders),
        "education": [] if query.education_min is None else [str(query.education_min)],
        "industry": list(query.industries),
        "willingness": list(query.willingness),
        "city": list(query.cities),
        "province": list(query.provinces),
        "training": list(query.trainings),
        "trained": (
            [] if query.reserve_cadre_trained is None else [str(int(query.reserve_cadre_trained))]
        ),
        "grade": list(query.grades),
        "exclude_negative": ["1"] if query.exclude_negative else [],
        "base": [] if query.base_search is None else [str(query.base_search)],
        "sort": [query.sort] if query.sort != "relevance" else [],
        "page": [str(query.page)] if query.page != 1 else [],
    }
    return {name: values for name, values in params.items() if values}
