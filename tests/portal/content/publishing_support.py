"""Shared set-up for the publishing, privacy, notification and scheduling tests."""

from types import SimpleNamespace

from django.urls import reverse
from django.utils.text import slugify
from wagtail.rich_text import RichText
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from portal.content.services import section_create
from portal.models import SectionPage, StudyMaterialPage


def sections_for(tree) -> SimpleNamespace:
    """Sections for townships A and B, then the county's: the county's reviewers must reach
    sections made before their own (the other order is tested on its own)."""
    a = section_create(organization=tree.township_a)
    b = section_create(organization=tree.township_b)
    county = section_create(organization=tree.county)
    return SimpleNamespace(a=a, b=b, county=county)


def study_material(
    section: SectionPage, title: str = "学习新党章", *, owner=None, publish: bool = False
) -> StudyMaterialPage:
    page = StudyMaterialPage(
        title=title,
        slug=slugify(title) or f"material-{StudyMaterialPage.objects.count() + 1}",
        summary="要点摘编",
        body=[("paragraph", RichText("<p>正文</p>"))],
        owner=owner,
        live=False,
    )
    section.add_child(instance=page)
    revision = page.save_revision(user=owner)
    if publish:
        revision.publish(user=owner)
        page.refresh_from_db()
    return page


def page_form_data(title: str, slug: str, **extra) -> dict:
    """What the admin's study-material form posts."""
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": "摘要",
            "study_hours": "1.0",
            "tags": "",
            "body": streamfield([("paragraph", rich_text("<p>正文</p>"))]),
            "comments": inline_formset([]),
            **extra,
        }
    )


def add_url(section: SectionPage) -> str:
    return reverse("wagtailadmin_pages:add", args=["portal", "studymaterialpage", section.pk])


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def submit(client, page) -> None:
    """Submit the page for moderation through its edit form, as an editor does."""
    response = client.post(
        edit_url(page), page_form_data(page.title, page.slug, **{"action-submit": "1"})
    )
    assert response.status_code == 302, response.content[:500]


def workflow_action(client, page, action: str, comment: str = ""):
    """Approve or reject the page's current task through the admin, as a reviewer does."""
    page.refresh_from_db()
    task_state = page.current_workflow_state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, {"comment": comment})
