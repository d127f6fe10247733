"""Publish one public study material, as an editor would write it, into the benchmark database.

bench/home_page.py --page study-material and bench/versus.py call publish(), which runs the
script below through `manage.py shell`; the script prints the page's URL path and title. The
body has every kind of block a real material carries: paragraphs with headings and lists, an
image, a quotation and a PDF, with tags and study hours.
"""

from common import manage


def publish(env: dict) -> tuple[str, str]:
    """Publish the material into the database of `env`; return its URL path and title."""
    path, title = manage(env, "shell", "-v0", "-c", PAGE_SCRIPT).strip().split("\t")
    return path, title


PAGE_SCRIPT = r"""
import io
from django.core.files.images import ImageFile
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from portal.models import SectionPage, StudyMaterialPage

section = SectionPage.objects.get(organization__code="QX")
buffer = io.BytesIO()
PILImage.new("RGB", (1280, 720), (168, 22, 27)).save(buffer, "JPEG")
image = Image.objects.create(title="学习配图", file=ImageFile(buffer, name="bench.jpg"))
pdf = ContentFile(b"%PDF-1.4\n%%EOF\n", name="bench.pdf")
document = Document.objects.create(title="学习资料原文", file=pdf)
sentence = "流动党员要主动与流出地党组织保持联系，按时参加组织生活，按月报告去向。"
items = "<li>按时交纳党费</li><li>每月更新去向</li><li>参加线上学习</li>"
paragraph = f"<h2>学习要点</h2><p>{sentence * 12}</p><ul>{items}</ul>"
page = StudyMaterialPage(
    title="流动党员组织生活须知",
    slug="bench-study-material",
    summary="流动党员参加组织生活、报告去向和线上学习的要点。",
    study_hours="1.0",
    open_to_public=True,
    body=[
        ("paragraph", paragraph),
        ("image", {"image": image, "alt_text": "学习配图", "decorative": False}),
        ("quote", {"text": "党员无论走到哪里，都不能忘记自己的党员身份。", "source": "学习摘录"}),
        ("document", {"document": document, "note": "原文下载"}),
        ("paragraph", paragraph),
    ],
)
section.add_child(instance=page)
page.tags.add("组织生活", "党章")
page.save_revision().publish()
print(page.url_path.removeprefix("/home"), page.title, sep="\t")
"""
