"""StreamField blocks for study materials."""

from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock


class QuoteBlock(blocks.StructBlock):
    """A passage quoted from a document or a speech, with where it comes from."""

    text = blocks.TextBlock(label=_("quotation"))
    source = blocks.CharBlock(label=_("source"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Quotation")
        template = "portal/blocks/quote.html"


class DocumentBlock(blocks.StructBlock):
    """A document (PDF, Word) to read or download, with a short note on what it is."""

    document = DocumentChooserBlock(label=_("document"))
    note = blocks.CharBlock(label=_("note"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "portal/blocks/document.html"


class MicroLectureBlock(blocks.StructBlock):
    """A micro-lecture shown inside a study material: its poster links to the lecture."""

    lecture = blocks.PageChooserBlock(label=_("micro-lecture"), page_type="portal.MicroLecturePage")

    class Meta:
        icon = "media"
        label = _("Micro-lecture")
        template = "portal/blocks/micro_lecture.html"

    def clean(self, value):
        value = super().clean(value)
        lecture = value.get("lecture")
        if lecture is not None and not lecture.live:
            raise ValidationError(_("Only a published micro-lecture can be embedded."))
        return value


class ParagraphBlock(blocks.RichTextBlock):
    """Rich text that must say something: an editor's empty paragraph is not content."""

    def clean(self, value):
        value = super().clean(value)
        if not strip_tags(value.source).strip() and "<embed" not in value.source:
            raise ValidationError(_("This paragraph is empty: write something or remove it."))
        return value


class LabelledImageBlock(ImageBlock):
    """Wagtail's image block, whose image chooser has no label of its own: the editor showed
    its name, "Image", in English. Deconstructs as Wagtail's block (no migration)."""

    def __init__(self, required=True, **kwargs):
        super().__init__(required=required, **kwargs)
        self.child_blocks["image"].label = _("Image")

    class Meta:
        icon = "image"


class StudyBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock(
        label=_("Text"),
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"],
        icon="pilcrow",
    )
    image = LabelledImageBlock(label=_("Image"))
    document = DocumentBlock()
    quote = QuoteBlock()
    micro_lecture = MicroLectureBlock()

    class Meta:
        label = _("Body")
