"""Party organisations as one tree, and the pairings between origin and host organisations."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet


class OrganizationQuerySet(MP_NodeQuerySet):
    def within(self, roots) -> "OrganizationQuerySet":
        """Organisations in the subtrees of the given roots (roots included)."""
        query = Q()
        for root in roots:
            query |= Q(path__startswith=root.path)
        return self.filter(query) if query else self.none()

    def home_side(self) -> "OrganizationQuerySet":
        return self.filter(level__in=Organization.HOME_LEVELS)

    def host_side(self) -> "OrganizationQuerySet":
        return self.filter(level__in=Organization.HOST_LEVELS)


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):
    def get_queryset(self) -> OrganizationQuerySet:
        # MP_NodeManager hard-codes its queryset class; keep its ordering, use ours.
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class Organization(MP_Node):
    """A party organisation: the county committee at the root, then townships and villages
    on the home side, and the county's service centres and temporary branches in host cities.
    """

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Party committee")
        GENERAL_BRANCH = "general_branch", _("General branch")
        BRANCH = "branch", _("Branch")
        TEMPORARY_BRANCH = "temporary_branch", _("Temporary branch")
        GROUP = "group", _("Party group")
        SERVICE_CENTRE = "service_centre", _("Service centre")

    class Level(models.TextChoices):
        COUNTY = "county", _("County")
        TOWNSHIP = "township", _("Township")
        VILLAGE = "village", _("Village")
        COMMUNITY = "community", _("Community")
        HOST_CITY = "host_city", _("Host city")
        HOST_UNIT = "host_unit", _("Host unit")

    HOME_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.COMMUNITY)
    HOST_LEVELS = (Level.HOST_CITY, Level.HOST_UNIT)
    # Which level may sit under which: the home side narrows, the host side hangs off the county.
    CHILD_LEVELS = {
        Level.COUNTY: {Level.TOWNSHIP, Level.HOST_CITY},
        Level.TOWNSHIP: {Level.VILLAGE, Level.COMMUNITY},
        Level.VILLAGE: {Level.VILLAGE},
        Level.COMMUNITY: {Level.COMMUNITY},
        Level.HOST_CITY: {Level.HOST_UNIT},
        Level.HOST_UNIT: {Level.HOST_UNIT},
    }

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        help_text=_("A short code used in imports and exports, such as T03-V12."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    city = models.CharField(
        _("host city"), max_length=50, blank=True, help_text=_("Only for host-side organisations.")
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    publishes = models.BooleanField(
        _("publishes content"),
        default=False,
        help_text=_("Gets its own section of the site, with editor and reviewer groups."),
    )

    node_order_by = ["code"]
    objects = OrganizationManager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def indented_name(self) -> str:
        """The name indented by its depth, for flat lists that should read as a tree."""
        return "\u3000" * (self.depth - 1) + self.name

    @property
    def is_host(self) -> bool:
        return self.level in self.HOST_LEVELS

    def clean(self) -> None:
        if self.is_host and not self.city:
            raise ValidationError({"city": _("A host-side organisation needs its host city.")})
        if not self.is_host and self.city:
            raise ValidationError({"city": _("Only host-side organisations have a host city.")})

    def clean_parent(self, parent: "Organization | None") -> None:
        """Check that this organisation may sit under the given parent."""
        if parent is None:
            if self.level != self.Level.COUNTY:
                raise ValidationError({"level": _("Only a county sits at the top of the tree.")})
            return
        if self.level not in self.CHILD_LEVELS[parent.level]:
            raise ValidationError(
                {
                    "level": _("A %(child)s cannot sit under a %(parent)s.")
                    % {"child": self.get_level_display(), "parent": parent.get_level_display()}
                }
            )


class Pairing(models.Model):
    """Dual management (双向共管): an origin and a host organisation share the work."""

    origin = models.ForeignKey(
        Organization,
        verbose_name=_("origin organisation"),
        on_delete=models.CASCADE,
        related_name="pairings_as_origin",
    )
    host = models.ForeignKey(
        Organization,
        verbose_name=_("host organisation"),
        on_delete=models.CASCADE,
        related_name="pairings_as_host",
    )
    signed_on = models.DateField(_("agreement signed on"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        constraints = [
            models.UniqueConstraint(fields=["origin", "host"], name="pairing_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.origin} ⇄ {self.host}"

    def clean(self) -> None:
        errors = {}
        if self.origin_id and self.origin.is_host:
            errors["origin"] = _("The origin organisation must be on the home side.")
        if self.host_id and not self.host.is_host:
            errors["host"] = _("The host organisation must be on the host side.")
        if errors:
            raise ValidationError(errors)
