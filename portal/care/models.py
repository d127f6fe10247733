"""Looking after members: 1+N liaisons and their talks, the care ledger, and transfers of
the membership relation (组织关系转接)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.registry.models import Member, Organization


class Liaison(models.Model):
    """1+N: one liaison (a user with a login) keeps in touch with N members.

    Appointed by an org admin of the organisation; a member has at most one current liaison.
    Ending the pairing keeps it as history.
    """

    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison"),
        on_delete=models.CASCADE,
        related_name="liaison_pairings",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="liaisons"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("appointed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_on = models.DateField(_("since"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("liaison pairing")
        verbose_name_plural = _("liaison pairings")
        ordering = ["liaison__username", "member__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(ended_on__isnull=True),
                name="liaison_one_current_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.liaison} → {self.member}"


class Talk(models.Model):
    """谈心谈话: a talk between a liaison (or secretary) and a member."""

    class Way(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        VIDEO = "video", _("By video call")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="talks"
    )
    talked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("talked with by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    held_on = models.DateField(_("date"))
    way = models.CharField(_("how"), max_length=10, choices=Way.choices)
    summary = models.TextField(_("what was talked about"), max_length=2000)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["member", "-held_on"])]

    def __str__(self) -> str:
        return f"{self.member} · {self.held_on}"


class CareCase(models.Model):
    """A member in hardship (困难党员) on the care ledger, open until the case is closed."""

    class Hardship(models.TextChoices):
        ILLNESS = "illness", _("Illness or injury")
        INCOME = "income", _("Low income or lost work")
        FAMILY = "family", _("Family hardship")
        DISASTER = "disaster", _("Disaster or accident")
        OTHER = "other", _("Other")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="care_cases"
    )
    hardship = models.CharField(_("hardship"), max_length=10, choices=Hardship.choices)
    description = models.TextField(_("situation"), max_length=2000)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("care case")
        verbose_name_plural = _("care ledger")
        ordering = ["closed_on", "-opened_on"]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_hardship_display()}"


class CareVisit(models.Model):
    """A visit (走访慰问) on a care case, and the help given."""

    case = models.ForeignKey(
        CareCase, verbose_name=_("care case"), on_delete=models.CASCADE, related_name="visits"
    )
    visited_on = models.DateField(_("visited on"))
    visitors = models.CharField(_("visited by"), max_length=200)
    help_given = models.TextField(_("help given"), max_length=2000)
    amount = models.DecimalField(
        _("money given (yuan)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("care visit")
        verbose_name_plural = _("care visits")
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0),
                name="care_visit_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.visited_on}"


class Transfer(models.Model):
    """组织关系转接: moving a member's membership relation from one organisation to another.

    submitted → accepted → completed, or submitted → rejected; every step in TransferStep.
    Completing it moves the member's origin.
    """

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        COMPLETED = "completed", _("Completed")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="transfers"
    )
    source = models.ForeignKey(
        Organization,
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        related_name="transfers_out",
    )
    destination = models.ForeignKey(
        Organization,
        verbose_name=_("to"),
        on_delete=models.PROTECT,
        related_name="transfers_in",
    )
    reason = models.CharField(_("reason"), max_length=300)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.SUBMITTED
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership transfer")
        verbose_name_plural = _("membership transfers")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(state__in=["submitted", "accepted"]),
                name="transfer_one_open_per_member",
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("destination")),
                name="transfer_goes_somewhere_else",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.source} → {self.destination}"


class TransferStep(models.Model):
    """Who moved a transfer to which state, when, and why."""

    transfer = models.ForeignKey(
        Transfer, verbose_name=_("transfer"), on_delete=models.CASCADE, related_name="steps"
    )
    state = models.CharField(_("state"), max_length=10, choices=Transfer.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.CharField(pgettext_lazy("transfer", "comment"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("transfer step")
        verbose_name_plural = _("transfer steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.transfer_id} · {self.state}"
