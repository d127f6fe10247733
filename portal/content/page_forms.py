"""The admin's form for the project's page types."""

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page

from search.analysis import pinyin_slug


def slug_available(base: str, *, parent, page) -> str:
    """The base slug, or the first of base-2, base-3… that no sibling uses."""
    candidate, suffix = base, 1
    while not Page._slug_is_available(candidate, parent, page):
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


class PinyinSlugPageForm(WagtailAdminPageForm):
    """A slug left empty, or holding the Chinese title Wagtail's editor copied into it, is
    made from the title's pinyin before Wagtail checks that it is unique under the parent."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False

    def clean(self):
        slug, title = self.cleaned_data.get("slug") or "", self.cleaned_data.get("title") or ""
        if "slug" in self.fields and (not slug or not slug.isascii()):
            base = (pinyin_slug(title) or pinyin_slug(slug))[:200].strip("-")
            if base:
                self.cleaned_data["slug"] = slug_available(
                    base, parent=self.parent_page, page=self.instance
                )
        return super().clean()
