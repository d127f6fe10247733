"""The desk's fixtures, for every test in this folder."""

from .fixtures import desk_pool, people  # noqa: F401 - fixtures pytest finds by name
from .wide_pool import wide_pool  # noqa: F401
