"""The quarterly publication page (季公示), read on a phone by the members it lists."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from . import selectors


@login_required
@require_GET
def publication_detail(request, pk: int):
    """The quarter's list for the organisation; a 404 for anyone it does not concern."""
    publication = get_object_or_404(selectors.publications_visible_to(request.user), pk=pk)
    context = {
        "publication": publication,
        "rows": selectors.publication_rows(publication=publication),
    }
    return render(request, "learning/publication.html", context)
