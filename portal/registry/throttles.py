"""Wrong activation codes, counted per client in the cache: a client address that sent too
many in the window, or too many for one phone, is held back (429) until the window passes.

The member's code itself is never worn out by wrong tries, so a stranger cannot lock a member
out; guessing stays hopeless (32⁸ codes, a few tries an hour per address, a week's life)."""

import hashlib

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache

from portal.registry.identity import phone_normalize


def client_address(request) -> str:
    """The client's address as django-axes reads it (behind ``PROXY_COUNT`` proxies)."""
    return get_client_ip_address(request) or "unknown"


def _keys(address: str, phone: str) -> tuple[str, str]:
    # The phone is hashed: cache keys show up in a cache server's monitoring.
    digest = hashlib.sha256(phone_normalize(phone).encode()).hexdigest()[:24]
    return f"activation-fail:{address}", f"activation-fail:{address}:{digest}"


def activation_held_back(*, address: str, phone: str) -> bool:
    """Has this address sent too many wrong codes, overall or for this phone?"""
    by_address, by_phone = _keys(address, phone)
    counts = cache.get_many([by_address, by_phone])
    return (
        counts.get(by_address, 0) >= settings.ACTIVATION_FAILURES_PER_ADDRESS
        or counts.get(by_phone, 0) >= settings.ACTIVATION_FAILURES_PER_PHONE
    )


def activation_failure_record(*, address: str, phone: str) -> None:
    """Count a wrong code; the window starts at the first one."""
    timeout = int(settings.ACTIVATION_THROTTLE_WINDOW.total_seconds())
    for key in _keys(address, phone):
        if not cache.add(key, 1, timeout=timeout):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=timeout)


def throttle_minutes() -> int:
    return int(settings.ACTIVATION_THROTTLE_WINDOW.total_seconds() // 60)
