"""Template filters for the site's content pages."""

from django import template

register = template.Library()


@register.filter
def minutes_seconds(seconds) -> str:
    """A duration in seconds as m:ss (h:mm:ss from an hour on); empty when unknown."""
    if seconds is None or seconds == "":
        return ""
    total = max(0, round(float(seconds)))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


@register.filter
def page_kind(page) -> str:
    """What kind of page this is, as its model's verbose name ("study material")."""
    return str(page.specific_class._meta.verbose_name) if page.specific_class else ""
