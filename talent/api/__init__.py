"""The talent part of the JSON API under /api/v1/."""
