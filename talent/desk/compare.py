"""Candidates side by side: what the recruiter's desk compares, up to four people at a time.

Each row is one aspect (home, work, schooling, signals from the member record); each column
a candidate. What the record does not say is shown as "unknown", never as an empty cell.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talent.models import CommitteeRole, TalentProfile
from talent.selectors import profiles_visible_to

COMPARE_MAX = 4
# The GET parameter that brings a refused comparison's ticks back to the list they came from.
TICKED_PARAM = "ticked"
UNKNOWN = gettext_lazy("Unknown")


@dataclass(frozen=True)
class CompareRow:
    label: str
    values: list[str]


def compare_keys_parse(values: Iterable[str]) -> list[int]:
    """Profile ids from the request, in the order given, duplicates dropped; Chinese errors."""
    keys: list[int] = []
    for value in values:
        try:
            key = int(value)
        except (TypeError, ValueError):
            raise ValidationError(
                {"profile": _("Candidates are chosen from the list; this one is not valid.")}
            ) from None
        if key not in keys:
            keys.append(key)
    if not keys:
        raise ValidationError({"profile": _("Choose at least one candidate to compare.")})
    if len(keys) > COMPARE_MAX:
        raise ValidationError(
            {
                "profile": _("Compare at most %(max)s candidates at a time; you chose %(count)s.")
                % {"max": COMPARE_MAX, "count": len(keys)}
            }
        )
    return keys


def ticked_keys(values: Iterable[str]) -> list[int]:
    """The profile ids among ticked values, in order, duplicates and junk dropped (a list
    shows them ticked again; nothing is refused here)."""
    keys = [int(value) for value in values if str(value).isdecimal() and len(str(value)) < 10]
    return list(dict.fromkeys(keys))


def compare_profiles(user, keys: Sequence[int]) -> list[TalentProfile]:
    """The chosen profiles the user may see, in the order chosen; any other is refused."""
    found = {
        profile.pk: profile
        for profile in profiles_visible_to(user)
        .select_related("hometown_township")
        .prefetch_related("skills")
        .filter(pk__in=keys)
    }
    if len(found) != len(keys):
        raise ValidationError(
            {"profile": _("Some of the chosen candidates are not in the pool you may see.")}
        )
    return [found[key] for key in keys]


def _text(value) -> str:
    if value is None:
        return str(UNKNOWN)
    text = str(value).strip()
    return text or str(UNKNOWN)


def _hometown(profile: TalentProfile) -> str:
    parts = [org.name for org in (profile.hometown_township, profile.hometown_village) if org]
    return " · ".join(parts) if parts else str(UNKNOWN)


def _roles(profile: TalentProfile) -> str:
    labels = dict(CommitteeRole.choices)
    return "、".join(str(labels.get(role, role)) for role in profile.roles or []) or str(UNKNOWN)


def _venture(profile: TalentProfile) -> str:
    if not profile.venture:
        return str(UNKNOWN)
    return _("%(venture)s (employs %(count)s)") % {
        "venture": profile.venture,
        "count": profile.venture_employees,
    }


FACT_LABELS = (
    gettext_lazy("home"),
    gettext_lazy("current city"),
    gettext_lazy("employer"),
    gettext_lazy("industry"),
    gettext_lazy("occupation"),
    gettext_lazy("education"),
    gettext_lazy("skills"),
    gettext_lazy("trainings"),
    gettext_lazy("honours"),
    gettext_lazy("willingness to return"),
    gettext_lazy("roles they could fill"),
    gettext_lazy("study hours this year"),
    gettext_lazy("latest assessment grade"),
    gettext_lazy("completed reserve-cadre training"),
    gettext_lazy("business founded"),
)


def fact_labels() -> list[str]:
    return [str(label) for label in FACT_LABELS]


def profile_fact_values(profile: TalentProfile) -> list[str]:
    """One candidate's values, in the order of ``FACT_LABELS``."""
    skills = "、".join(sorted(tag.name for tag in profile.skills.all()))
    return [
        _hometown(profile),
        _text(profile.person_city),
        _text(profile.employer),
        _text(profile.get_industry_display() if profile.industry else ""),
        _text(profile.occupation),
        _text(profile.get_education_display() if profile.education else ""),
        _text(skills),
        _text(profile.trainings),
        _text(profile.honours),
        str(profile.get_willingness_display()),
        _roles(profile),
        _text(profile.study_hours_this_year),
        _text(profile.get_latest_grade_display() if profile.latest_grade else ""),
        _("Yes") if profile.reserve_cadre_trained else _("No"),
        _venture(profile),
    ]


def profile_facts(profile: TalentProfile) -> list[tuple[str, str]]:
    """(label, value) for one candidate: what the desk shows and the comparison lines up."""
    return list(zip(fact_labels(), profile_fact_values(profile), strict=True))


def compare_rows(profiles: Sequence[TalentProfile]) -> list[CompareRow]:
    """One row per aspect, one value per candidate, in the candidates' order."""
    if not profiles:
        return []
    columns = [profile_fact_values(profile) for profile in profiles]
    return [
        CompareRow(label=label, values=[column[index] for column in columns])
        for index, label in enumerate(fact_labels())
    ]
