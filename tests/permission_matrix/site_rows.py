"""Rows of the permission matrix (tests/permission_matrix/core.py): the site's pages, the
member's and the liaison's, the public checks, media and /api/v1."""

from .core import row

ROWS = [
    row("care_members", "LDD DDDD DDD OD"),
    row("care_talk", "LDD DDDD DDD OD"),
    row("healthz", "OOO OOOO OOO OO"),
    row("inbox", "LOO OOOO OOO OO"),
    row("learning:certificate_pdf", "LMM DDDD DDD DD"),
    row("learning:publication", "LOM OMOO MMM MO", out="LMO MMMO MMM MO"),
    row("learning:quiz", "LOO DDDD DDD DD"),
    row("learning:quiz_result", "LMM DDDD DDD DD"),
    row("learning:record", "LOO DDDD DDD DD"),
    row("learning:step", "LOO DDDD DDD DD"),
    row("learning:verify", "MMM MMMM MMM MM"),
    row("learning:verify_form", "OOO OOOO OOO OO"),
    row("lecture_mine", "LOO DDDD DDD DD"),
    row("lecture_submit", "LOO DDDD DDD DD"),
    row("me_record", "DOO DDDD DDD DD"),
    row("me", "LOO OOOO OOO OO"),
    row("media", "MMM MMMM MMM MM"),
    row("my_attestation", "LMM DDDD DDD DD"),
    row("my_certificate", "LOO DDDD DDD DD"),
    row("my_certificate_pdf", "LOM DDDD DDD DD"),
    row("my_contact_card", "LOO DDDD DDD DD"),
    # Meetings: a member opens only those they are expected at (T01-V01's, the demo member's).
    row("my_meeting", "LOM MMMM MMM MM"),
    row("my_meeting_document", "LOM MMMM MMM MM"),
    row("my_meeting_scan", "LOO MMMM MMM MM"),
    row("my_meetings", "LOO MMMM MMM MM"),
    row("my_packages", "LOO OOOO OOO OO"),
    row("package_cancel", "LNN NNNN NNN NN"),
    row("package_receive", "LNN NNNN NNN NN"),
    row("package_request", "LNN NNNN NNN NN"),
    row("page_search", "OOO OOOO OOO OO"),
    row("portal:activate", "OOO OOOO OOO OO"),
    row("portal:login", "ORR RRRR RRR RR"),
    row("portal:logout", "NNN NNNN NNN NN"),
    row("schema", "OOO OOOO OOO OO"),
    # The service worker's script: the same for everyone, at the root (docs/adr/0018).
    row("service_worker", "OOO OOOO OOO OO"),
    row("tag", "OOO OOOO OOO OO"),
    row("verify_activity", "OOO OOOO OOO OO"),
    row("verify_activity_form", "OOO OOOO OOO OO"),
    row("whereabouts", "LOO MMMM MMM MM"),
    # issue 14: the file of a members-only micro-lecture, to visitors and readers.
    # The demo's micro-lecture is open to the public: its video is anyone's. Members-only
    # and draft videos are tests/portal/video/test_private_media.py's.
    row("media", "OOO OOOO OOO OO", suffix="public-lecture-video", kwargs_from="video_path"),
]
