"""Issuing certificates of completed tracks: one per completion, with a random code anyone
can check (``selectors.certificate_verify``)."""

import secrets

from django.db import IntegrityError, transaction

from ..models import Certificate, TrackCompletion

# No 0/O, 1/I/L: a code read aloud or typed from paper cannot be mistaken.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 31**12, about 2**59 codes


def certificate_code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def certificate_issue(*, completion_id: int) -> Certificate:
    """The completion's certificate, made the first time; running twice returns the same."""
    completion = TrackCompletion.objects.get(pk=completion_id)
    for _try in range(5):
        existing = Certificate.objects.filter(completion=completion).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    completion=completion, code=certificate_code_new()
                )
        except IntegrityError:
            # Issued at the same moment by another worker, or (rarely) a code taken: look again.
            continue
    raise RuntimeError(f"certificate for completion {completion_id} could not be issued")
