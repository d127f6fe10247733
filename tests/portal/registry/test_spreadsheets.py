"""Every CSV the site sends is formula-safe, Wagtail's own report exports included."""

from django.urls import reverse
from wagtail.log_actions import log
from wagtail.models import Page

from portal.registry.factories import UserFactory
from portal.registry.spreadsheets import csv_line_safe

FORMULA = '=HYPERLINK("http://example.com","点击")'


def test_a_record_with_a_formula_cell_is_quoted_and_numbers_stay():
    line = "name,points\r\n"
    assert csv_line_safe(line) == line
    safe = csv_line_safe(f'"{FORMULA.replace(chr(34), chr(34) * 2)}",-3,@SUM(A1)\r\n')
    assert safe.startswith("\"'=HYPERLINK(") and ",-3,'@SUM(A1)" in safe


def test_wagtails_site_history_csv_is_formula_safe(client, db):
    admin = UserFactory(is_superuser=True, is_staff=True)
    home = Page.objects.get(depth=2)
    page = home.add_child(instance=Page(title=FORMULA, slug="formula"))
    log(instance=page, action="wagtail.edit", user=admin)
    client.force_login(admin)
    response = client.get(reverse("wagtailadmin_reports:site_history") + "?export=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(" in text
    assert ',"=HYPERLINK(' not in text and "\n=HYPERLINK(" not in text
