"""The permission matrix's vocabulary: the outcomes and their letters, a row, the kinds of
object a URL names (see the package's docstring)."""

from dataclasses import dataclass, field

from tests.permission_world import ROLES

OK, LOGIN, DENIED, MISSING, REDIRECT, NOT_ALLOWED, BAD, SERVER_ERROR_ = (
    "ok",
    "login",
    "denied",
    "missing",
    "redirect",
    "not allowed",
    "400",
    "500",
)
ANY_REFUSAL = "refused"
LETTERS = {
    "O": OK,
    "L": LOGIN,
    "D": DENIED,
    "M": MISSING,
    "R": REDIRECT,
    "N": NOT_ALLOWED,
    "B": BAD,
    "E": SERVER_ERROR_,
    "X": ANY_REFUSAL,
}
# X: the rows of rules still being built say only that the answer is no (L, D or M).
REFUSALS = {LOGIN, DENIED, MISSING}
IN, OUT = "in", "out"

# Namespace → the kind of object its <pk> names (tests/permission_world.py builds them).
KINDS = {
    "portal_member": "member",
    "portal_care_member_chooser": "member",
    "portal_organization": "organization",
    "portal_pairing": "pairing",
    "portal_role": "role",
    "portal_sites": "site",
    "portal_video": "video",
    "portal_video_chooser": "video",
    "portal_whereabouts": "whereabouts",
    "portal_lost_contact": "lost_contact",
    "portal_certificate": "certificate",
    "portal_contact_card": "contact_card",
    "portal_parcel_request": "parcel_request",
    "portal_stock": "stock",
    "portal_stock_movement": "stock_movement",
    "portal_jobs": "job",
    "portal_liaison": "liaison",
    "portal_talk": "talk",
    "portal_care_case": "care_case",
    "portal_transfer": "transfer",
    "portal_meeting": "meeting",
    "portal_meeting:member": "member",
    "learning_assignment": "assignment",
    "learning_credit_entry": "credit",
    "talent_profile": "talent_profile",
    "talent_desk": "talent_profile",
    "learning_assessment": "assessment",
    "learning_assessment_policy": "assessment_policy",
    "learning_deduction_rule": "deduction_rule",
    "learning_points_rule": "points_rule",
    "learning_publication": "publication",
    "learning:publication": "publication",
    "talent_desk:shortlist_export": "shortlist",
    "talent_shortlists": "shortlist",
    "talent_saved_searches": "saved_search",
    "search_synonym": "synonym",
    "portal_rules": "rule",
    "talent_base_search": "base_search",
}
# URL arguments read from another of the world's extras than their own name.
PARAMS = {
    "my_certificate_pdf": {"code": "card_code"},
    "verify_activity": {"code": "card_code"},
    "learning:certificate_pdf": {"code": "learning_code"},
    "learning:verify": {"code": "learning_code"},
    "learning:quiz": {"track_id": "quiz_track_id", "step_id": "quiz_step_id"},
    "learning:quiz_result": {"track_id": "quiz_track_id", "step_id": "quiz_step_id"},
    "learning_attendance:step": {"step_id": "offline_step_id"},
    "learning_monthly:create": {"page_id": "template_page_id"},
    "package_request": {"page_id": "package_page_id"},
    "package_receive": {"pk": "package_request_id"},
    "package_cancel": {"pk": "package_request_id"},
    "portal_contact_card:countersign": {"activity_pk": "contact_activity"},
    "portal_contact_card:reject": {"activity_pk": "contact_activity"},
    "my_meeting": {"pk": "meeting_id"},
    "my_meeting_document": {"pk": "closed_meeting_id", "document_pk": "meeting_document_id"},
    "portal_meeting:document": {"pk": "closed_meeting_id", "document_pk": "meeting_document_id"},
}

# Kinds with an out-of-scope object in the world.
SCOPED_KINDS = {
    "member",
    "meeting",
    "organization",
    "pairing",
    "role",
    "assessment",
    "lost_contact",
    "transfer",
    "points_rule",
    "deduction_rule",
    "assessment_policy",
    "publication",
    "job",
    "shortlist",
    "saved_search",
    "rule",
}


@dataclass(frozen=True)
class Row:
    name: str
    # role → outcome, or role → (in scope, out of scope) for object URLs
    expect: dict
    method: str = "GET"
    # for a POST: (world, user) → the form's data
    data: object = None
    query: str = ""
    kwargs: dict = field(default_factory=dict)
    # a key of the world's extras holding the URL's one argument (``path``)
    kwargs_from: str = ""
    xfail: str = ""
    # a known failure for the out-of-scope object only
    xfail_out: str = ""

    # a second row for the same URL name (a POST, another object) adds a suffix
    suffix: str = ""

    @property
    def key(self) -> str:
        return f"{self.name}#{self.suffix}" if self.suffix else self.name

    @property
    def kind(self) -> str | None:
        return KINDS.get(self.name) or KINDS.get(self.name.split(":")[0])

    def expected(self, scope: str) -> dict:
        index = 0 if scope == IN else 1
        return {
            role: value[index] if isinstance(value, tuple) else value
            for role, value in self.expect.items()
        }


def row(name: str, statuses: str, *, out: str = "", **options) -> Row:
    """A row from its letters, in ``ROLES`` order; ``out`` for the out-of-scope object."""
    inside = [LETTERS[letter] for letter in statuses.replace(" ", "")]
    outside = [LETTERS[letter] for letter in out.replace(" ", "")] if out else inside
    assert len(inside) == len(outside) == len(ROLES), name
    expect = dict(zip(ROLES, zip(inside, outside, strict=True), strict=True))
    return Row(name, expect, **options)


def self_grant(world, user, role: str) -> dict:
    if user is None:
        return {}
    organization = world.extra["own_organization"].get(user.username, 0)
    return {"user": user.pk, "role": role, "organization": organization}
