"""The returning-talent pool (人才库): profiles, the negative list and the base searches
recruiters start from."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from learning.models.periods import Grade
from portal.models import Member, Organization
from portal.registry.identity import (
    id_number_normalize,
    id_number_parse,
    mask_id_number,
    mask_phone,
    phone_normalize,
    validate_id_number,
    validate_phone,
)

VILLAGE_LEVELS = (Organization.Level.VILLAGE, Organization.Level.COMMUNITY)
# Grades from best to worst: "at least qualified" compares positions in this tuple.
GRADE_ORDER = (Grade.EXCELLENT, Grade.QUALIFIED, Grade.BASIC, Grade.UNQUALIFIED)


def township_of(village: Organization) -> Organization | None:
    """The township a village or community lies in."""
    return village.get_ancestors().filter(level=Organization.Level.TOWNSHIP).last()


class Education(models.IntegerChoices):
    """Ordered, so "at least 高中" is a comparison."""

    JUNIOR = 1, _("Junior middle school or below")
    SENIOR = 2, _("Senior high or technical secondary school")
    COLLEGE = 3, _("Junior college")
    BACHELOR = 4, _("Bachelor's degree")
    POSTGRADUATE = 5, _("Postgraduate")


class Industry(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture and breeding")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    CONSTRUCTION = "construction", _("Construction")
    TRADE = "trade", _("Trade and e-commerce")
    TRANSPORT = "transport", _("Transport and logistics")
    SERVICES = "services", _("Catering and services")
    IT = "it", _("Information technology")
    EDUCATION = "education", _("Education and health")
    OTHER = "other", _("Other")


class Willingness(models.TextChoices):
    YES = "yes", _("Willing to return")
    MAYBE = "maybe", _("Would consider returning")
    NO = "no", _("Not willing to return")
    UNKNOWN = "unknown", _("Not asked yet")


class CommitteeRole(models.TextChoices):
    SECRETARY = "secretary", _("Village party secretary")
    DIRECTOR = "director", _("Villagers' committee director")
    MEMBER = "member", _("Village committee member")
    RESERVE = "reserve", _("Reserve cadre")


class TalentSkill(TaggedItemBase):
    content_object = models.ForeignKey(
        "talent.TalentProfile", on_delete=models.CASCADE, related_name="skill_items"
    )


class TalentProfileQuerySet(models.QuerySet):
    def in_pool(self) -> "TalentProfileQuerySet":
        """Profiles a recruiter may see: a member's only while their consent stands."""
        return self.filter(
            Q(member__isnull=True)
            | Q(consented_at__isnull=False, consent_withdrawn_at__isnull=True)
        )


class TalentProfile(models.Model):
    """A person in the talent pool: a member who consented, or a non-member staff entered."""

    member = models.OneToOneField(
        "portal.Member",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="talent_profile",
    )
    consented_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn at"), null=True, blank=True)
    # A non-member's identity; a member's comes from the member record.
    name = models.CharField(_("full name"), max_length=50, blank=True, db_index=True)
    gender = models.CharField(
        _("gender"),
        max_length=6,
        blank=True,
        choices=Member.Gender.choices,
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    id_number = models.CharField(
        _("ID number"), max_length=18, blank=True, validators=[validate_id_number]
    )
    phone = models.CharField(_("phone"), max_length=11, blank=True, validators=[validate_phone])
    hometown_township = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("home township"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hometown_village = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("home village"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="talent_profiles",
    )
    current_city = models.CharField(_("current city"), max_length=50, blank=True)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices, blank=True)
    occupation = models.CharField(_("occupation"), max_length=50, blank=True)
    education = models.PositiveSmallIntegerField(
        _("education"), choices=Education.choices, null=True, blank=True
    )
    skills = TaggableManager(through=TalentSkill, blank=True, verbose_name=_("skills"))
    venture = models.CharField(_("business founded"), max_length=200, blank=True)
    venture_employees = models.PositiveIntegerField(_("people it employs"), default=0)
    honours = models.TextField(_("honours"), blank=True)
    trainings = models.TextField(_("trainings"), blank=True)
    willingness = models.CharField(
        _("willingness to return"),
        max_length=10,
        choices=Willingness.choices,
        default=Willingness.UNKNOWN,
    )
    roles = models.JSONField(_("roles they could fill"), default=list, blank=True)
    self_introduction = models.TextField(_("self-introduction"), blank=True)
    # Signals from the member record, kept current by talent.tasks.profile_signals_refresh.
    study_hours_this_year = models.DecimalField(
        _("study hours this year"), max_digits=6, decimal_places=1, default=0
    )
    latest_grade = models.CharField(
        _("latest assessment grade"), max_length=12, choices=Grade.choices, blank=True
    )
    reserve_cadre_trained = models.BooleanField(
        _("completed reserve-cadre training"), default=False
    )
    on_negative_list = models.BooleanField(_("on the negative list"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TalentProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("talent profile")
        verbose_name_plural = _("talent profiles")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~Q(id_number=""),
                name="talent_profile_unique_id_number",
                violation_error_message=_("A profile with this ID number is already in the pool."),
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.member.name if self.member_id else self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.member.phone if self.member_id else self.phone)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.member.id_number if self.member_id else self.id_number)

    @property
    def born_on(self) -> datetime.date | None:
        """The birth date, from the member record for a member's profile when not typed in."""
        if self.birth_date or not self.member_id:
            return self.birth_date
        return self.member.birth_date

    @property
    def age(self) -> int | None:
        """Full years today (Asia/Shanghai), or None when the birth date is unknown."""
        born = self.born_on
        if born is None:
            return None
        today = timezone.localdate()
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @property
    def person_gender(self) -> str:
        if self.gender or not self.member_id:
            return self.gender
        return self.member.gender

    @property
    def person_city(self) -> str:
        """The city they live in: a member's host city when the profile names none."""
        if self.current_city or not self.member_id:
            return self.current_city
        return self.member.host_city

    @property
    def in_pool(self) -> bool:
        return not self.member_id or bool(self.consented_at and not self.consent_withdrawn_at)

    def clean_fields(self, exclude=None) -> None:
        self.id_number = id_number_normalize(self.id_number)
        self.phone = phone_normalize(self.phone)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict = {}
        if not self.member_id and not self.name:
            errors["name"] = _("A profile without a member needs a name.")
        if self.member_id and (self.id_number or self.phone):
            errors["member"] = _("A member's ID number and phone come from the member record.")
        self._clean_identity(errors)
        self._clean_hometown(errors)
        if not isinstance(self.roles, list) or set(self.roles) - set(CommitteeRole.values):
            errors["roles"] = _("Choose roles from the list.")
        if errors:
            raise ValidationError(errors)

    def _clean_identity(self, errors: dict) -> None:
        if not self.id_number:
            return
        duplicates = TalentProfile.objects.filter(id_number=self.id_number).exclude(pk=self.pk)
        if duplicates.exists():
            errors["id_number"] = _("A profile with this ID number is already in the pool.")
        try:
            facts = id_number_parse(self.id_number)
        except ValidationError:
            return  # reported by the field's validator
        self.birth_date = self.birth_date or facts.birth_date
        self.gender = self.gender or facts.gender
        if self.birth_date != facts.birth_date:
            errors["birth_date"] = _("The birth date does not match the ID number.")

    def _clean_hometown(self, errors: dict) -> None:
        township, village = self.hometown_township, self.hometown_village
        if village and not township and village.level in VILLAGE_LEVELS:
            # Searches and a township's recruiters filter on the township: derive it.
            self.hometown_township = township = township_of(village)
        if township and township.level != Organization.Level.TOWNSHIP:
            errors["hometown_township"] = _("Choose a township.")
        if village and village.level not in (
            Organization.Level.VILLAGE,
            Organization.Level.COMMUNITY,
        ):
            errors["hometown_village"] = _("Choose a village or community.")
        elif village and township and not village.path.startswith(township.path):
            errors["hometown_village"] = _("The village is not in the chosen township.")


class NegativeListEntry(models.Model):
    """A sanction that keeps a person off village committees until it is lifted."""

    profile = models.ForeignKey(
        TalentProfile,
        verbose_name=_("talent profile"),
        on_delete=models.CASCADE,
        related_name="negative_entries",
    )
    reason = models.TextField(_("reason"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    added_on = models.DateField(_("added on"))
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)

    class Meta:
        verbose_name = _("negative list entry")
        verbose_name_plural = _("negative list entries")
        ordering = ["-added_on"]

    def __str__(self) -> str:
        return f"{self.profile} · {self.added_on}"

    def clean(self) -> None:
        if self.lifted_on and self.added_on and self.lifted_on < self.added_on:
            raise ValidationError({"lifted_on": _("A sanction is lifted after it was added.")})


class BaseSearch(models.Model):
    """A 两委 eligibility rule a county admin keeps and a recruiter starts a search from."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    max_age = models.PositiveSmallIntegerField(_("age limit"), null=True, blank=True)
    min_education = models.PositiveSmallIntegerField(
        _("minimum education"), choices=Education.choices, null=True, blank=True
    )
    min_grade = models.CharField(
        _("grade at least"), max_length=12, choices=Grade.choices, default=Grade.QUALIFIED
    )
    exclude_negative_list = models.BooleanField(_("nothing on the negative list"), default=True)
    filters = models.JSONField(
        _("further filters"),
        default=dict,
        blank=True,
        help_text=_("Filters the recruiter's search starts with, such as a willingness."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The daily check of new matches (as a saved search's): the profiles that matched at the
    # last check, for the content rules' "a profile newly matches a base search".
    last_checked_at = models.DateTimeField(_("last checked at"), null=True, blank=True)
    seen_keys = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("base search")
        verbose_name_plural = _("base searches")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not isinstance(self.filters, dict):
            raise ValidationError({"filters": _("The filters must be a JSON object.")})

    def grades_allowed(self) -> list[str]:
        """The grades at least as good as the minimum."""
        return list(GRADE_ORDER[: GRADE_ORDER.index(self.min_grade) + 1])
