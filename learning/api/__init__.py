"""The learning part of the JSON API under /api/v1/."""
