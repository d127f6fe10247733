"""Cells written to a spreadsheet for people to open: text a spreadsheet program would run as
a formula is written as plain text. Every export uses it, the admin's listings as much as the
ledger's own files (``portal.registry.viewsets.FormulaSafeExportMixin``)."""

import csv
import io
import re

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[-+]?\d+(\.\d+)?")


def cell_safe(value):
    """Text a spreadsheet would run as a formula is written as plain text (quote-prefixed)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_line_safe(line: str) -> str:
    """One CSV record (as Wagtail's exports stream them, a record a chunk) with every cell
    made formula-safe; a record without such a cell comes back unchanged."""
    cells = next(csv.reader(io.StringIO(line)), [])
    if all(_csv_cell_safe(cell) == cell for cell in cells):
        return line
    out = io.StringIO()
    csv.writer(out).writerow([_csv_cell_safe(cell) for cell in cells])
    return out.getvalue()


def _csv_cell_safe(cell: str) -> str:
    """A CSV cell holds text only: a plain number (-3, +1.5) is no formula and stays."""
    return cell if NUMBER.fullmatch(cell) else cell_safe(cell)


class CsvFormulaGuardMiddleware:
    """Every CSV the site sends is formula-safe, Wagtail's own exports included (its reports'
    and listings' CSV write cells as they are; its XLSX already writes formulas as text)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.get("Content-Type", "").startswith("text/csv"):
            return response
        if response.streaming:
            response.streaming_content = (
                csv_line_safe(_text(chunk)) for chunk in response.streaming_content
            )
        else:
            text = response.content.decode(response.charset or "utf-8")
            lines = csv.reader(io.StringIO(text))
            out = io.StringIO()
            csv.writer(out).writerows([_csv_cell_safe(cell) for cell in row] for row in lines)
            response.content = out.getvalue().encode(response.charset or "utf-8")
        return response


def _text(chunk) -> str:
    return chunk.decode("utf-8") if isinstance(chunk, bytes) else chunk
