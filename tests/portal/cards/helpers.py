"""Logging in as one of ``people`` and telling a refusal, for the admin tests of certificates
and cards."""


def login_as(client, people, who):
    if who != "anonymous":
        client.force_login(people[who])
    return client


def refused(status: int) -> bool:
    """Refused: 404 for an admin outside the scope, a login redirect or 403 otherwise."""
    return status in (302, 403, 404)
