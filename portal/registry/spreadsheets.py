"""Cells written to a spreadsheet for people to open: text a spreadsheet program would run as
a formula is written as plain text. Every export uses it, the admin's listings as much as the
ledger's own files (``portal.registry.viewsets.FormulaSafeExportMixin``)."""

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value):
    """Text a spreadsheet would run as a formula is written as plain text (quote-prefixed)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
