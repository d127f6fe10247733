"""Plone-style publishing: each publishing organisation gets a section of the site, an editor
group and a reviewer group with permissions on that section only, its own image and document
collection, and a moderation workflow in which editors submit and reviewers approve.

The root organisation's reviewers (the county's organisation department) may act on every
section: their group holds the reviewer permissions on each section page and takes part in
each section's approval task. It holds none on the home page, so nobody but a superuser adds
pages beside the sections (a section made by hand would have no groups and no workflow).
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    PageViewRestriction,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from portal.content.models import (
    HomePage,
    MicroLecturePage,
    SectionApprovalTask,
    SectionPage,
    StudyMaterialPage,
)
from portal.registry.models import Organization, Role, RoleAssignment

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
# Study content is for party members: it starts behind the login until a reviewer opens it.
# These two follow their "open to the public" box when published (page_privacy_apply).
PUBLIC_ON_REQUEST_PAGE_TYPES = (StudyMaterialPage, MicroLecturePage)


def members_only_page_types() -> tuple[type[Page], ...]:
    """Page types created behind the login: portal's own, and those other apps add through
    the ``register_members_only_page_types`` hook (a function returning page models)."""
    registered = [
        model for hook in hooks.get_hooks("register_members_only_page_types") for model in hook()
    ]
    return (*PUBLIC_ON_REQUEST_PAGE_TYPES, *registered)


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _grant_pages(group: Group, page, codenames: list[str]) -> None:
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_permission(f"wagtailcore.{codename}")
        )


def _label(organization: Organization) -> str:
    """Names are unique by the code: two villages may share a name, never a code."""
    return f"{organization.name}（{organization.code}）"


def _section_group(organization: Organization, role: Role) -> Group:
    group, _created = Group.objects.get_or_create(name=f"{_label(organization)}{Role(role).label}")
    group.permissions.add(_permission("wagtailadmin.access_admin"))
    return group


def _section_collection(organization: Organization, groups: list[Group]) -> Collection:
    root = Collection.get_first_root_node()
    name = _label(organization)
    collection = root.get_children().filter(name=name).first()
    if collection is None:
        collection = root.add_child(name=name)
    for group in groups:
        for dotted in COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=_permission(dotted)
            )
    section_collection_restrict(collection=collection)
    return collection


def section_collection_restrict(*, collection: Collection) -> None:
    """Put a section's documents behind the login, as its study content is by default.

    Wagtail's document view (``WAGTAILDOCS_SERVE_METHOD = "serve_view"``) applies collection
    privacy; a stronger restriction set in the admin (groups, password) is left as it is, and
    a section that publishes documents for everyone can lift it there (Collections → Privacy).
    """
    if not collection.get_view_restrictions().exists():
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.LOGIN
        )


def section_collections_restrict() -> None:
    """Give the sections made before collection privacy their restriction (after migrate)."""
    root = Collection.get_first_root_node()
    if root is None:
        return
    names = {
        _label(section.organization)
        for section in SectionPage.objects.select_related("organization")
    }
    for collection in root.get_children().filter(name__in=names):
        section_collection_restrict(collection=collection)


def _county_reviewers(organization: Organization) -> Group | None:
    section = SectionPage.objects.filter(organization=organization.get_root()).first()
    return section.reviewers if section else None


def _section_workflow(
    section: SectionPage, organization: Organization, reviewer_groups: list[Group]
) -> Workflow:
    name = _("Review in %(section)s") % {"section": _label(organization)}
    workflow, _created = Workflow.objects.get_or_create(name=name)
    task, _created = SectionApprovalTask.objects.get_or_create(name=name)
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
    county = _county_reviewers(organization)
    _section_workflow(section, organization, [reviewers, *([county] if county else [])])
    if organization.is_root():
        _county_reviewers_everywhere(reviewers)
    elif county is not None:
        _grant_pages(county, section, REVIEWER_PAGE_PERMISSIONS)
    _section_members_sync(section)
    return section


def _county_reviewers_everywhere(reviewers: Group) -> None:
    """Give the county's reviewers every section made before the county's own."""
    for section in SectionPage.objects.all():
        _grant_pages(reviewers, section, REVIEWER_PAGE_PERMISSIONS)
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


def page_privacy_default(*, page: Page, user=None) -> PageViewRestriction | None:
    """Put a new study material or micro-lecture behind the login, unless it already is.

    A restriction on the page or an ancestor already covers it; other page types stay public.
    Returns the restriction made, if any.
    """
    if not isinstance(page.specific, members_only_page_types()):
        return None
    if page.get_view_restrictions().exists():
        return None
    restriction = PageViewRestriction(page=page, restriction_type=PageViewRestriction.LOGIN)
    restriction.save(user=user)
    return restriction


def page_privacy_apply(*, page: Page) -> None:
    """On publication, make the page's own login restriction follow its "open to the public"
    box: an editor asks for a public page in the form, and it goes through moderation like any
    other change. A restriction on an ancestor still applies.
    """
    specific = page.specific
    if not isinstance(specific, PUBLIC_ON_REQUEST_PAGE_TYPES):
        return
    own = PageViewRestriction.objects.filter(page=page, restriction_type=PageViewRestriction.LOGIN)
    if specific.open_to_public:
        own.delete()
    else:
        page_privacy_default(page=page)


def pages_publish_scheduled() -> None:
    """Publish the revisions whose go-live time has come and unpublish expired pages.

    Wagtail's own command does the work; Celery beat runs it every minute instead of cron.
    """
    call_command("publish_scheduled", verbosity=0)


# The home page's first words, until an editor changes them (content, so not translated).
# --- The site: its home page -------------------------------------------------------------

HOME_TITLE = "归雁 · 流动党员之家"
# The page tree's root and the root collection, which Wagtail creates as "Root"
# (migration 0011 renames those of older databases).
ROOT_TITLE = "根目录"


HOME_INTRO = (
    "<p>离乡不离党，流动不流失。在这里学习微党课、领取红色包裹、记录学时积分，"
    "与家乡党组织保持联系。</p>"
)


def site_home_ensure() -> HomePage:
    """Make sure the page tree has its root, the home page, and a default site serving it.

    Runs after every migrate (and after a test flush): on a new database it replaces
    Wagtail's placeholder welcome page; where a home page exists it changes nothing.
    """
    home = HomePage.objects.first()
    if home is None:
        language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        locale, _created = Locale.objects.get_or_create(language_code=language)
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title=ROOT_TITLE, slug="root", locale=locale)
        )
        for placeholder in root.get_children().filter(content_type__app_label="wagtailcore"):
            placeholder.delete()
        home = root.add_child(
            instance=HomePage(title=HOME_TITLE, slug="home", intro=HOME_INTRO, locale=locale)
        )
    if Collection.get_first_root_node() is None:
        # Wagtail makes the root collection in a data migration, which a test flush undoes.
        Collection.add_root(name=ROOT_TITLE)
    if not Site.objects.filter(is_default_site=True, root_page=home).exists():
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "归雁"},
        )
    return home
