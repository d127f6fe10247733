"""The login backend: Django's ModelBackend, with the user of every signed-in request loaded
in one plain SQL statement together with the keys of the user's member.

Django asks ``get_user`` once per signed-in request. Built with the ORM, that query and the
member's cost about a quarter of a one-event study progress request's CPU (docs/
benchmarks.md); written once (``portal.registry.rows``), one statement reads both. Everything
else (passwords, permissions, ``is_active``, the session's hash check) is Django's own.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from portal.models import Member
from portal.registry.rows import database, kept, reader

MEMBER_KEYS = ("id", "origin", "host")


def _statement(db):
    user_model = get_user_model()
    user, member = reader(db, user_model), reader(db, Member, MEMBER_KEYS)
    quote = db.ops.quote_name
    link = Member._meta.get_field("user")
    sql = "SELECT {}, {} FROM {} u LEFT JOIN {} m ON {} = {} WHERE {} = %s".format(  # noqa: S608
        user.columns(db, "u"),
        member.columns(db, "m"),
        quote(user_model._meta.db_table),
        quote(Member._meta.db_table),
        f"m.{quote(link.column)}",
        f"u.{quote(user_model._meta.pk.column)}",
        f"u.{quote(user_model._meta.pk.column)}",
    )
    return sql, user, member


def user_with_member(user_id):
    """The user with this key, its member (keys only) cached on it as ``user.member``; None
    if there is no such user."""
    db = database()
    sql, user_reader, member_reader = kept(db, ("user-with-member",), lambda: _statement(db))
    pk = get_user_model()._meta.pk
    with db.cursor() as cursor:
        cursor.execute(sql, [pk.get_db_prep_value(pk.to_python(user_id), db)])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(user_reader.attnames)
    user = user_reader.instance(db, row[:split])
    member = None
    if row[split] is not None:
        member = member_reader.instance(db, row[split:])
        Member._meta.get_field("user").set_cached_value(member, user)
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
