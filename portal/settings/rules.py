"""The product's own rules: study credit, the ledger and the talent pool.

Like every setting, each comes from the environment with a typed default (README.md lists
them); ``base`` imports them all.
"""

import environ

env = environ.Env()

# --- Learning -------------------------------------------------------------------------
# Video: a step completes once this share of the video has really been played; playback
# faster than the cap earns nothing extra.
LEARNING_VIDEO_COVERAGE = env.float("LEARNING_VIDEO_COVERAGE", default=0.9)
LEARNING_PLAYBACK_RATE_CAP = env.float("LEARNING_PLAYBACK_RATE_CAP", default=2.0)
# Reading: time on the visible page needed per character of the material (Chinese text).
LEARNING_READING_CHARS_PER_MINUTE = env.int("LEARNING_READING_CHARS_PER_MINUTE", default=400)
# The attention clock (docs/adr/0012-attention-clock.md): a silence between two contacts from a
# member's study pages longer than this counts as absence, not presence.
LEARNING_ATTENTION_GAP_SECONDS = env.int("LEARNING_ATTENTION_GAP_SECONDS", default=300)
# A reading page reports its visible time this often; a heartbeat claiming more than the
# interval plus the slack covers a hidden or sleeping page and earns nothing.
LEARNING_HEARTBEAT_SECONDS = env.int("LEARNING_HEARTBEAT_SECONDS", default=15)
LEARNING_HEARTBEAT_SLACK_SECONDS = env.int("LEARNING_HEARTBEAT_SLACK_SECONDS", default=5)
# A red-package reading step completes with a reading note of at least this many characters.
LEARNING_READING_NOTE_MIN_CHARS = env.int("LEARNING_READING_NOTE_MIN_CHARS", default=50)
# The yearly requirement of centralised study (at least 32 hours a year).
LEARNING_YEARLY_HOURS = env.float("LEARNING_YEARLY_HOURS", default=32.0)

# --- Organisational life ------------------------------------------------------------
# How often each kind of meeting is due (month or quarter), e.g.
# MEETING_RULES="assembly=quarter,lecture=quarter,theme_day=month" (portal.meetings.oversight).
MEETING_RULES = env.dict(
    "MEETING_RULES", default={"assembly": "quarter", "lecture": "quarter", "theme_day": "month"}
)

# --- Ledger: whereabouts and lost contact (失联) ----------------------------------------
# A floating member with no report and no recorded contact for this many days is flagged.
LEDGER_LOST_CONTACT_DAYS = env.int("LEDGER_LOST_CONTACT_DAYS", default=90)

# --- Ledger: activity certificates (流动党员活动证) ---------------------------------------
# Years a certificate is valid from its day of issue (it ends the day before the anniversary).
LEDGER_CERTIFICATE_YEARS = env.int("LEDGER_CERTIFICATE_YEARS", default=2)

# --- Ledger: importing members (import_members and the admin upload) -------------------
# A file with more rows, or more bytes, is refused as a whole: split it.
LEDGER_IMPORT_MAX_ROWS = env.int("LEDGER_IMPORT_MAX_ROWS", default=100_000)
LEDGER_IMPORT_MAX_BYTES = env.int("LEDGER_IMPORT_MAX_BYTES", default=50 * 1024 * 1024)
# An .xlsx is a zip: one whose parts unpack to more than this is refused before reading
# (the member and the talent ledger alike).
LEDGER_IMPORT_MAX_UNPACKED_BYTES = env.int(
    "LEDGER_IMPORT_MAX_UNPACKED_BYTES", default=200 * 1024 * 1024
)
# A background job (import, export) running longer is stopped and marked failed: Celery's
# time limits on the task, and a periodic sweep for jobs whose worker died.
LEDGER_JOB_TIMEOUT_SECONDS = env.int("LEDGER_JOB_TIMEOUT_SECONDS", default=60 * 60)

# --- Talent pool: the recruiter's desk -------------------------------------------------
# An export of a search's results stops at this many rows (the file says so).
TALENT_EXPORT_MAX_ROWS = env.int("TALENT_EXPORT_MAX_ROWS", default=5000)

# --- Talent pool: importing the talent ledger (import_talent and the admin upload) -------
# A file with more rows, or more bytes, is refused as a whole: split it.
TALENT_IMPORT_MAX_ROWS = env.int("TALENT_IMPORT_MAX_ROWS", default=20_000)
TALENT_IMPORT_MAX_BYTES = env.int("TALENT_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
