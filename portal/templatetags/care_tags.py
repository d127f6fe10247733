"""The header's link to a liaison's members (1+N)."""

from django import template

from portal.care.selectors import is_liaison

register = template.Library()

SESSION_KEY = "portal_liaison_link"


@register.simple_tag(takes_context=True)
def liaison_link_shown(context) -> bool:
    """Asked once per session, as the admin link is: the pages check pairings themselves, so a
    pairing made or ended shows in the header from the next login."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if SESSION_KEY not in request.session:
        request.session[SESSION_KEY] = is_liaison(user)
    return request.session[SESSION_KEY]
