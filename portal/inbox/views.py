"""The notification inbox every logged-in user reads on the site."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.inbox.selectors import notifications_for
from portal.inbox.services import notifications_mark_read

PER_PAGE = 20


@never_cache
@login_required
@require_GET
def inbox(request):
    """Newest first; what was unread is highlighted once and is read from then on."""
    page_obj = Paginator(notifications_for(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    notifications = list(page_obj.object_list)
    notifications_mark_read(
        user=request.user, ids=[n.pk for n in notifications if n.read_at is None]
    )
    context = {"page_obj": page_obj, "notifications": notifications}
    return render(request, "portal/inbox.html", context)
