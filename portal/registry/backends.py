"""The login backend: Django's ModelBackend, with the user of every signed-in request loaded
in one plain SQL statement together with the user's member and the member's origin and host
organisations.

Django asks ``get_user`` once per signed-in request. Built with the ORM, that query and the
member's cost about a quarter of a one-event study progress request's CPU (docs/
benchmarks.md); written once (``portal.registry.rows``), one statement reads them all, and
every member page finds the member it shows (``member_for_user``) already loaded. Everything
else (passwords, permissions, ``is_active``, the session's hash check) is Django's own.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from portal.models import Member, Organization
from portal.registry.rows import database, kept, reader

MEMBER_KEYS = ("id", "origin", "host")


def _statement(db):
    user_model = get_user_model()
    user, member = reader(db, user_model), reader(db, Member)
    origin, host = reader(db, Organization), reader(db, Organization)
    quote = db.ops.quote_name
    organizations = quote(Organization._meta.db_table)
    member_column = f"m.{quote(Member._meta.get_field('user').column)}"
    user_pk = f"u.{quote(user_model._meta.pk.column)}"
    shape = (
        "SELECT {}, {}, {}, {} FROM {} u LEFT JOIN {} m ON {} = {}"
        " LEFT JOIN {} o ON o.{} = m.{} LEFT JOIN {} h ON h.{} = m.{} WHERE {} = %s"
    )
    sql = shape.format(  # the models' quoted names only
        user.columns(db, "u"),
        member.columns(db, "m"),
        origin.columns(db, "o"),
        host.columns(db, "h"),
        quote(user_model._meta.db_table),
        quote(Member._meta.db_table),
        member_column,
        user_pk,
        organizations,
        quote(Organization._meta.pk.column),
        quote(Member._meta.get_field("origin").column),
        organizations,
        quote(Organization._meta.pk.column),
        quote(Member._meta.get_field("host").column),
        user_pk,
    )
    return sql, (user, member, origin, host)


def _split(row, readers) -> list:
    parts, start = [], 0
    for part in readers:
        parts.append(row[start : start + len(part.attnames)])
        start += len(part.attnames)
    return parts


def user_with_member(user_id):
    """The user with this key, its member cached on it as ``user.member`` (with ``origin``
    and ``host`` loaded); None if there is no such user."""
    db = database()
    sql, readers = kept(db, ("user-with-member-organizations",), lambda: _statement(db))
    pk = get_user_model()._meta.pk
    with db.cursor() as cursor:
        cursor.execute(sql, [pk.get_db_prep_value(pk.to_python(user_id), db)])
        row = cursor.fetchone()
    if row is None:
        return None
    user_row, member_row, origin_row, host_row = _split(row, readers)
    user = readers[0].instance(db, user_row)
    member = None
    if member_row[0] is not None:
        member = readers[1].instance(db, member_row)
        Member._meta.get_field("user").set_cached_value(member, user)
        for name, reader_, values in (
            ("origin", readers[2], origin_row),
            ("host", readers[3], host_row),
        ):
            organization = reader_.instance(db, values) if values[0] is not None else None
            Member._meta.get_field(name).set_cached_value(member, organization)
    # A user without a member caches None: asking ``user.member`` raises DoesNotExist at once.
    Member._meta.get_field("user").remote_field.set_cached_value(user, member)
    return user


def user_member(user) -> Member | None:
    """The signed-in user's member, with at least its keys: the one ``get_user`` loaded, or
    one query for a user loaded another way."""
    relation = Member._meta.get_field("user").remote_field
    if relation.is_cached(user):
        return relation.get_cached_value(user)
    return Member.objects.filter(user=user).only(*MEMBER_KEYS).order_by().first()


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        user = user_with_member(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
