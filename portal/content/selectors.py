"""Everything that reads CMS pages for the site: always only what the visitor may see.

Visibility follows Wagtail's own privacy settings (``PageViewRestriction``) the way Wagtail
applies them when a page is served: a page under a login restriction is for logged-in users,
one under a group restriction for members of those groups (and superusers), one under a
password for nobody in a list. Wagtail's ``PageQuerySet.public()`` builds one OR term per
restriction, and members-only is the default here, so every page may carry its own
restriction; the same rule is written as one ``EXISTS`` subquery instead, which stays a
single query however many restrictions there are.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from portal.content.middleware import pages_generation
from portal.content.models import (
    LISTABLE_MODELS,
    CollectionPage,
    MicroLecturePage,
    MicroLectureTag,
    NoticePage,
    RedPackageCatalogPage,
    RedPackagePage,
    SectionPage,
    StudyMaterialPage,
    StudyMaterialTag,
)

LATEST_LIMIT = 5
SECTION_LIST_LIMIT = 20
NEWEST_FIRST = ("-first_published_at", "-pk")


def _restrictions_hiding_from(user) -> QuerySet[PageViewRestriction] | None:
    """The restrictions that keep a page out of this user's lists; None when none can."""
    if user is None or not user.is_authenticated:
        return PageViewRestriction.objects.all()
    if user.is_superuser:
        return None
    return PageViewRestriction.objects.exclude(restriction_type=PageViewRestriction.LOGIN).exclude(
        restriction_type=PageViewRestriction.GROUPS,
        groups__in=user.groups.all(),
    )


def _at_or_under(paths: QuerySet, field: str = "path") -> Exists:
    """True for an outer page whose path starts with one of ``paths``' ``field``."""
    prefix = Substr(OuterRef("path"), 1, Length(field))
    return Exists(paths.filter(**{field: prefix}))


def pages_visible_to(pages: QuerySet, user) -> QuerySet:
    """Filter any page queryset down to what ``user`` may open (anonymous when None)."""
    hiding = _restrictions_hiding_from(user)
    if hiding is None:
        return pages
    return pages.exclude(_at_or_under(hiding, "page__path"))


def page_serves_to(request, page: Page) -> bool:
    """Whether Wagtail would serve the page to this request: every restriction on it or an
    ancestor accepts the request (a login, the user's groups, a password already given in
    this session). For one page's files; lists use ``pages_visible_to``."""
    return all(restriction.accept_request(request) for restriction in page.get_view_restrictions())


def latest_study_content(user, *, limit: int = LATEST_LIMIT) -> dict:
    """The newest live study materials and micro-lectures the user may see: a query each."""
    materials = StudyMaterialPage.objects.live().order_by(*NEWEST_FIRST)
    lectures = MicroLecturePage.objects.live().select_related("video").order_by(*NEWEST_FIRST)
    return {
        "latest_materials": list(pages_visible_to(materials, user)[:limit]),
        "latest_lectures": list(pages_visible_to(lectures, user)[:limit]),
    }


def notices_in_effect(pages: QuerySet[NoticePage], day=None) -> QuerySet[NoticePage]:
    day = day or timezone.localdate()
    return pages.filter(effective_from__lte=day).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=day)
    )


def section_listing(section: SectionPage, user) -> dict:
    """A section's live children, by kind, newest first; notices only while in effect."""

    def children(model, limit=None, order=NEWEST_FIRST) -> list:
        pages = model.objects.child_of(section).live()
        if model is NoticePage:
            pages = notices_in_effect(pages)
        elif model is MicroLecturePage:
            pages = pages.select_related("video")
        pages = pages_visible_to(pages, user).order_by(*order)
        return list(pages[:limit] if limit else pages)

    return {
        "notices": children(NoticePage, order=("-effective_from", "-pk")),
        "materials": children(StudyMaterialPage, SECTION_LIST_LIMIT),
        "lectures": children(MicroLecturePage, SECTION_LIST_LIMIT),
        "collections": children(CollectionPage),
        "catalogs": children(RedPackageCatalogPage),
    }


def site_shortcuts(home: Page, user) -> dict:
    """What a member can open from the home page in one tap: the collections (本月学习),
    the red-package catalogs and the sections the user may see, in one query.

    Sections and collections are children of the home page, catalogs and a section's own
    collections its grandchildren: the query reads two levels of the tree, nothing deeper.
    """
    kinds = {
        ContentType.objects.get_for_model(model).pk: key
        for key, model in (
            ("collections", CollectionPage),
            ("catalogs", RedPackageCatalogPage),
            ("sections", SectionPage),
        )
    }
    pages = Page.objects.live().filter(
        path__startswith=home.path, depth__in=(home.depth + 1, home.depth + 2)
    )
    # The home page's own collections (本月学习) first, then the sections' in tree order.
    pages = pages.filter(content_type_id__in=kinds).order_by("depth", "path")
    shortcuts = {key: [] for key in kinds.values()}
    fields = ("pk", "title", "url_path", "path", "depth", "content_type_id")
    for page in pages_visible_to(pages, user).only(*fields):
        shortcuts[kinds[page.content_type_id]].append(page)
    return shortcuts


def red_package_catalogs(user) -> list[RedPackageCatalogPage]:
    """The live catalogs the user may see, in tree order: where to choose a package."""
    catalogs = RedPackageCatalogPage.objects.live().only("pk", "title", "url_path", "path")
    return list(pages_visible_to(catalogs, user).order_by("path"))


RED_PACKAGES_SECONDS = 600


def red_packages_in(catalog: RedPackageCatalogPage, user) -> list[RedPackagePage]:
    """The catalog's live packages the user may see, with their covers, books and eligible
    organisations: kept per user and content generation (a package, its books and its
    eligibility are saved with the page, so any change starts a new generation)."""
    user_pk = user.pk if user is not None and user.is_authenticated else None
    key = f"portal:red-packages:{pages_generation()}:{catalog.pk}:{user_pk}"
    found = cache.get(key)
    if found is None:
        packages = RedPackagePage.objects.child_of(catalog).live().select_related("cover")
        packages = packages.prefetch_related("books", "eligible_organizations")
        found = list(pages_visible_to(packages, user).order_by("path"))
        cache.set(key, found, RED_PACKAGES_SECONDS)
    return found


def _tagged_q(tags) -> Q:
    """Pages tagged with any of ``tags`` (a queryset or a list of taggit tags)."""
    materials = StudyMaterialTag.objects.filter(tag__in=tags).values("content_object_id")
    lectures = MicroLectureTag.objects.filter(tag__in=tags).values("content_object_id")
    return Q(pk__in=materials) | Q(pk__in=lectures)


def collection_pages(collection: CollectionPage, *, user=None) -> QuerySet[Page]:
    """The pages pinned to the collection, in their order, then the live pages matching its
    criteria, newest first, as their own types.

    Only what ``user`` may see: anonymous readers (``user`` None) get public pages only.
    Tags match any of them; an organisation covers its own sections and those of every
    organisation below it; the window applies to when a page was first published. A pinned
    page is listed whatever the criteria, if live and of a listable kind.
    """
    listable = ContentType.objects.filter(app_label="portal", model__in=LISTABLE_MODELS)
    types = list(collection.page_types.all()) or listable
    criteria = Q(content_type__in=types)
    tags = list(collection.tags.all())
    if tags:
        criteria &= _tagged_q(tags)
    if collection.organization_id:
        sections = SectionPage.objects.filter(
            organization__path__startswith=collection.organization.path
        )
        criteria &= Q(_at_or_under(sections))
    if collection.published_from:
        criteria &= Q(first_published_at__date__gte=collection.published_from)
    if collection.published_until:
        criteria &= Q(first_published_at__date__lte=collection.published_until)
    # The in-memory pins, so a preview of a draft shows its own.
    pinned = [pin.page_id for pin in collection.pinned_pages.all()]
    pages = Page.objects.live().filter(criteria | Q(pk__in=pinned, content_type__in=listable))
    order = Case(
        *(When(pk=pk, then=Value(position)) for position, pk in enumerate(pinned)),
        default=Value(len(pinned)),
        output_field=IntegerField(),
    )
    return (
        pages_visible_to(pages, user)
        .annotate(pin_order=order)
        .order_by("pin_order", *NEWEST_FIRST)
        .specific()
    )


def tagged_pages(tag, *, user) -> QuerySet[Page]:
    """Live study materials and micro-lectures with this tag that ``user`` may see."""
    pages = Page.objects.live().filter(_tagged_q([tag]))
    return pages_visible_to(pages, user).order_by(*NEWEST_FIRST).specific()


def page_of(items, number, per_page: int) -> PaginatorPage:
    """One page of a list; a missing or bad number gives the first page, too large the last.

    The page's items are fetched, with the videos of its micro-lectures in one more query.
    """
    page = Paginator(items, per_page).get_page(number)
    page.object_list = list(page.object_list)
    lectures = [item for item in page.object_list if isinstance(item, MicroLecturePage)]
    prefetch_related_objects(lectures, "video")
    return page
