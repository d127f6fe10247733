"""Plone-style publishing: each publishing organisation gets a section of the site, an editor
group and a reviewer group with permissions on that section only, its own image and document
collection, and a moderation workflow in which editors submit and reviewers approve.

The root organisation's reviewers (the county's organisation department) may act on every
section: their group holds the reviewer permissions on the home page, which every section
sits under, and takes part in every section's approval task.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .models import HomePage, Organization, Role, RoleAssignment, SectionPage

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
REVIEWER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _grant_pages(group: Group, page, codenames: list[str]) -> None:
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_permission(f"wagtailcore.{codename}")
        )


def _section_group(organization: Organization, role: Role) -> Group:
    name = f"{organization.name}（{organization.code}）{Role(role).label}"
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(_permission("wagtailadmin.access_admin"))
    return group


def _section_collection(organization: Organization, groups: list[Group]) -> Collection:
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=organization.name).first()
    if collection is None:
        collection = root.add_child(name=organization.name)
    for group in groups:
        for dotted in COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=_permission(dotted)
            )
    return collection


def _county_reviewers(organization: Organization) -> Group | None:
    section = SectionPage.objects.filter(organization=organization.get_root()).first()
    return section.reviewers if section else None


def _section_workflow(section: SectionPage, reviewer_groups: list[Group]) -> Workflow:
    name = _("Review in %(section)s") % {"section": section.title}
    workflow, _created = Workflow.objects.get_or_create(name=name)
    task, _created = GroupApprovalTask.objects.get_or_create(name=name)
    task.groups.add(*reviewer_groups)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=section, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def section_create(*, organization: Organization) -> SectionPage:
    """Create the organisation's section with its groups, permissions and workflow.

    Running it again for the same organisation changes nothing.
    """
    existing = SectionPage.objects.filter(organization=organization).first()
    if existing is not None:
        return existing
    home = HomePage.objects.get()
    section = home.add_child(
        instance=SectionPage(
            title=organization.name, slug=slugify(organization.code), organization=organization
        )
    )
    section.save_revision().publish()
    editors = _section_group(organization, Role.EDITOR)
    reviewers = _section_group(organization, Role.REVIEWER)
    _grant_pages(editors, section, EDITOR_PAGE_PERMISSIONS)
    _grant_pages(reviewers, section, REVIEWER_PAGE_PERMISSIONS)
    _section_collection(organization, [editors, reviewers])
    SectionPage.objects.filter(pk=section.pk).update(editors=editors, reviewers=reviewers)
    section.editors, section.reviewers = editors, reviewers
    if organization.is_root():
        _county_reviewers_everywhere(reviewers, home)
    county = _county_reviewers(organization)
    _section_workflow(section, [reviewers, *([county] if county else [])])
    _section_members_sync(section)
    return section


def _county_reviewers_everywhere(reviewers: Group, home: HomePage) -> None:
    _grant_pages(reviewers, home, REVIEWER_PAGE_PERMISSIONS)
    section_tasks = GroupApprovalTask.objects.filter(
        workflow_tasks__workflow__workflow_pages__page__in=SectionPage.objects.all()
    ).distinct()
    for task in section_tasks:
        task.groups.add(reviewers)


def _section_members_sync(section: SectionPage) -> None:
    """Put the users who hold the editor or reviewer role on this organisation in its groups."""
    for role, group in ((Role.EDITOR, section.editors), (Role.REVIEWER, section.reviewers)):
        users = [
            a.user
            for a in RoleAssignment.objects.filter(
                organization=section.organization, role=role
            ).select_related("user")
        ]
        group.user_set.add(*users)


def section_groups_sync_for(*, user) -> None:
    """Make the user's section-group memberships match their editor and reviewer roles.

    A role on an organisation gives its section's group; roles lower in the tree do not reach
    up, and an organisation's editors do not edit the sections of organisations below it.
    """
    held = set(
        RoleAssignment.objects.filter(user=user, role__in=[Role.EDITOR, Role.REVIEWER]).values_list(
            "organization_id", "role"
        )
    )
    for section in SectionPage.objects.select_related("editors", "reviewers"):
        for role, group in ((Role.EDITOR, section.editors), (Role.REVIEWER, section.reviewers)):
            if group is None:
                continue
            if (section.organization_id, role) in held:
                group.user_set.add(user)
            else:
                group.user_set.remove(user)
