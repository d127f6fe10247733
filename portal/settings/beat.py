"""The periodic tasks Celery beat sends (in CELERY_TIMEZONE, Asia/Shanghai); ``base`` imports
the schedule. Every task is idempotent: a second run in the same period changes nothing."""

from datetime import timedelta

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    "purge-expired-activation-codes": {
        "task": "portal.registry.tasks.activation_codes_purge",
        "schedule": timedelta(hours=6),
    },
    # The 12-point deductions, then the tally of the month that just ended (1st of the month).
    "learning-deductions-apply": {
        "task": "learning.periods.tasks.deductions_apply",
        "schedule": crontab(day_of_month="1", hour="0", minute="30"),
    },
    "learning-monthly-tally": {
        "task": "learning.periods.tasks.monthly_tally",
        "schedule": crontab(day_of_month="1", hour="1", minute="0"),
    },
    "learning-monthly-packs": {
        "task": "learning.tracks.tasks.monthly_packs_create",
        "schedule": crontab(day_of_month="1", hour="0", minute="10"),
    },
    "learning-pace-reminders": {
        "task": "learning.pace.tasks.pace_reminders_send",
        "schedule": crontab(day_of_week="1", hour="9", minute="0"),
    },
    # Jobs whose worker died (or whose task was lost) are failed once past their time limit.
    "ledger-stale-jobs-fail": {
        "task": "portal.ledger.tasks.jobs_stale_fail",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 290},
    },
    # Organisational life: tell the members expected at tomorrow's meetings, once each.
    "meetings-reminders-send": {
        "task": "portal.meetings.tasks.meeting_reminders_send",
        "schedule": crontab(hour="18", minute="0"),
    },
    # Ledger: flag members out of contact (失联), daily; a second run flags nobody twice.
    "ledger-lost-contacts-flag": {
        "task": "portal.whereabouts.tasks.lost_contacts_flag",
        "schedule": crontab(hour="2", minute="15"),
    },
    # Ledger: whereabouts reports overdue, for the content rules that listen (once per rule,
    # member and month whatever the number of runs).
    "ledger-whereabouts-overdue": {
        "task": "portal.whereabouts.tasks.whereabouts_overdue_raise",
        "schedule": crontab(hour="2", minute="45"),
    },
    # Wagtail's go-live and expiry times, instead of a cron job running publish_scheduled.
    "publish-scheduled-pages": {
        "task": "portal.content.tasks.pages_publish_scheduled",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
    # Search: what the on-commit drain left behind (broker or engine down) goes out here.
    "search-index-queue-drain": {
        "task": "search.tasks.index_queue_drain",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
    # Talent: tell recruiters of new matches for their saved searches, each morning.
    "talent-saved-searches-notify": {
        "task": "talent.saved_searches.tasks.saved_searches_notify",
        "schedule": crontab(hour="7", minute="30"),
    },
    # Talent: recompute every member's profile signals from the record, nightly, in batches
    # (the on-save refresh can miss a change made in bulk); a second run changes nothing.
    "talent-signals-refresh": {
        "task": "talent.tasks.profile_signals_refresh_all",
        "schedule": crontab(hour="3", minute="30"),
    },
}
