"""Template context every site page shares: whether the header links to the admin."""

ADMIN_LINK_SESSION_KEY = "portal_admin_link"


def admin_link(request) -> dict:
    """Whether the header offers a link to the admin: asked once per session, not per page.

    The link is only a convenience (the admin checks permissions itself), so a role granted
    or taken away shows in the header from the next login.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show_admin_link": False}
    session = request.session
    if ADMIN_LINK_SESSION_KEY not in session:
        session[ADMIN_LINK_SESSION_KEY] = user.has_perm("wagtailadmin.access_admin")
    return {"show_admin_link": session[ADMIN_LINK_SESSION_KEY]}
