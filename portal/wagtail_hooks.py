from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from portal.content.services import page_privacy_default
from portal.content.workflow_views import after_edit_page
from portal.registry.models import Role
from portal.registry.organization_viewsets import RegistryViewSetGroup
from portal.registry.services import LOG_ROLE_GRANT, LOG_ROLE_REVOKE
from portal.registry.site_viewsets import SiteViewSet
from portal.video.viewsets import VideoChooserViewSet, VideoViewSet


@hooks.register("register_admin_viewset")
def register_registry():
    return RegistryViewSetGroup()


# Before Wagtail's own sites viewset (order 0), at its prefix: portal.registry.site_viewsets.
@hooks.register("register_admin_viewset", order=-1)
def register_sites():
    return SiteViewSet()


@hooks.register("register_admin_viewset")
def register_videos():
    return [VideoViewSet("portal_video"), VideoChooserViewSet("portal_video_chooser")]


@hooks.register("insert_editor_js")
def submit_after_autosave():
    """Sending an add form while its autosave is on the way must not create the page twice."""
    return format_html('<script src="{}"></script>', static("portal/submit_after_autosave.js"))


@hooks.register("after_create_page")
def members_only_on_create(request, page):
    page_privacy_default(page=page, user=request.user)


hooks.register("after_edit_page", after_edit_page)


@hooks.register("after_copy_page")
def members_only_on_copy(request, page, new_page):
    page_privacy_default(page=new_page, user=request.user)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    @actions.register_action("portal.activation_code")
    class ActivationCodeIssued(LogFormatter):
        label = _("Issue an activation code")

        def format_message(self, log_entry):
            return _("Issued a one-time activation code")

    @actions.register_action(LOG_ROLE_GRANT)
    class RoleGranted(LogFormatter):
        label = _("Grant a role")

        def format_message(self, log_entry):
            return _("Granted %(role)s on %(organization)s to %(user)s") % _role_facts(log_entry)

    @actions.register_action(LOG_ROLE_REVOKE)
    class RoleRevoked(LogFormatter):
        label = _("Revoke a role")

        def format_message(self, log_entry):
            return _("Revoked %(role)s on %(organization)s from %(user)s") % _role_facts(log_entry)


def _role_facts(log_entry) -> dict:
    data = log_entry.data
    role = data.get("role", "")
    return {
        "role": Role(role).label if role in Role.values else role,
        "organization": data.get("organization", ""),
        "user": data.get("user", ""),
    }


# --- Whereabouts: reports to verify, entries on a member's behalf, lost contact (失联) -----
@hooks.register("register_admin_viewset")
def register_whereabouts():
    from portal.whereabouts.viewsets import WhereaboutsViewSetGroup

    return WhereaboutsViewSetGroup()


# --- Activity certificates and contact cards --------------------------------------------
@hooks.register("register_admin_viewset")
def register_cards():
    from portal.cards.contact_card_viewsets import CardViewSetGroup

    return CardViewSetGroup()


@hooks.register("register_log_actions")
def register_card_log_actions(actions):
    from portal.cards.viewsets import LOG_ATTEST, LOG_RENEW, LOG_REVOKE

    actions.register_action(LOG_RENEW, _("Renew"), _("Renewed the activity certificate"))
    actions.register_action(LOG_REVOKE, _("Revoke"), _("Revoked the activity certificate"))
    actions.register_action(LOG_ATTEST, _("Attest"), _("Issued the activity attestation"))


# --- end of certificates and contact cards ------------------------------------------------


# --- Red packages: requests, dispatch, stock, and the counts on the admin home ----------
@hooks.register("register_admin_viewset")
def register_red_packages():
    from portal.parcels.viewsets import ParcelViewSetGroup

    return ParcelViewSetGroup()


@hooks.register("construct_homepage_panels")
def red_package_counts_panel(request, panels):
    from portal.parcels.panels import PackageCountsPanel
    from portal.parcels.permissions import keeps_members

    if keeps_members(request.user):
        panels.append(PackageCountsPanel(request))


# --- Ledger files: member import, village and township exports, background jobs ---------
@hooks.register("register_admin_viewset")
def register_ledger_files():
    from portal.ledger.viewsets import LedgerFilesViewSetGroup

    return LedgerFilesViewSetGroup()


# --- Care: liaisons (1+N), talks, the care ledger, membership transfers -----------------
@hooks.register("register_admin_viewset")
def register_care():
    from portal.care.transfer_viewsets import CareViewSetGroup
    from portal.care.viewsets import member_chooser_viewset

    return [CareViewSetGroup(), member_chooser_viewset]


# --- Meetings: organisational life (三会一课, 主题党日), closing and correcting -------------
@hooks.register("register_admin_viewset")
def register_meetings():
    from portal.meetings.viewsets import MeetingViewSetGroup

    return MeetingViewSetGroup()


@hooks.register("before_serve_document")
def meeting_document_guard(document, request):
    from portal.meetings.documents import meeting_document_guard as guard

    return guard(document, request)


@hooks.register("register_log_actions")
def register_meeting_log_actions(actions):
    from portal.meetings.services import LOG_CLOSE, LOG_CORRECT

    actions.register_action(LOG_CLOSE, _("Close"), _("Closed the meeting"))
    actions.register_action(LOG_CORRECT, _("Correct"), _("Corrected the closed meeting"))


# --- Content rules: when this happens, if that holds, do this ---------------------------
@hooks.register("register_log_actions")
def register_rule_log_actions(actions):
    from portal.rules.viewsets import RuleNoted

    actions.register_action("portal.rule")(RuleNoted)


@hooks.register("register_admin_viewset")
def register_rules():
    from portal.rules.viewsets import rule_viewset

    return rule_viewset
