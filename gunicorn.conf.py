"""Gunicorn reads this file from the working directory (docs/deployment.md)."""

# ID and phone numbers masked in access-log lines (a chooser's ?q=<phone>, a referer).
logger_class = "portal.registry.access_log.MaskingLogger"
