"""Worker CPU and queries per admin action: log in, save, submit, approve, and three list pages.

For each backend (PostgreSQL in a scratch database `guiyan_bench_admin` by default, SQLite in a
temporary file with --backend sqlite) the benchmark migrates, loads the demo data
(`seed_demo --members 2000`) and runs itself again as a child with
portal.settings.production (DEBUG off, the production password hasher, locmem cache, no
broker unless --broker is given, so tasks run in the request as on the demo). The child sends
each request in-process through Django's test Client (HTTPS, as behind the proxy), as the
demo's logins:

- login: POST /admin/login/ as the editor; the hasher's share is check_password alone;
- save: the editor saves a draft of a county study material (POST edit);
- submit: the same with "Submit for moderation" (the workflow is cancelled between runs);
- approve: the reviewer approves it (it is submitted again, untimed, before each run);
- dashboard: the admin home, as the editor;
- talent desk: its first page, as the recruiter;
- learning dashboard: as the branch secretary;
- township ledger: the member list, as the township's org admin.

The figure is time.process_time() of the serving process around each request, the median of
--repeat runs after one warm-up: PostgreSQL's own work is not in it, SQLite's is. Queries are
counted once per action with CaptureQueriesContext. Wagtail's own share: the same actions
again with every Wagtail hook and signal receiver defined in this project's apps removed
(the page type, its form and the middleware stay), reported as "wagtail" rows.

    .venv/bin/python bench/admin_actions.py [--backend postgres|sqlite|both] [--repeat 15] [--json]
    .venv/bin/python bench/admin_actions.py --profile approve      # cProfile of one action
"""

import argparse
import contextlib
import json
import statistics
import sys
import time
import weakref

from common import ROOT, backends, child_env, machine, manage, print_table, scratch_database

DATABASE = "guiyan_bench_admin"
PROJECT_APPS = ("portal", "learning", "talent", "search")
PASSWORD = "Guiyan@2026"  # noqa: S105 - the demo's published password
BODY = "流动党员要按时参加组织生活。"
PAGE_SLUG = "dangzhang-bixiuke"  # a county study material of the demo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="postgres")
    parser.add_argument("--members", type=int, default=2000, help="demo members to load")
    parser.add_argument("--repeat", type=int, default=15, help="measured runs per action")
    parser.add_argument("--broker", default="", help="CELERY_BROKER_URL (default: tasks eager)")
    parser.add_argument("--profile", default="", help="print a cProfile of this action")
    parser.add_argument("--queries", default="", help="print the SQL of this action, grouped")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="also write bench/results/*.json")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    facts = machine()
    runs = {backend: run(backend, args) for backend in backends(args.backend)}
    for backend, rows in runs.items():
        print(f"\n{backend}: CPU ms per request (median of {args.repeat}), queries")
        print_table(
            ("action", "CPU ms", "first", "queries", "hooks off", "queries", "Wagtail share"),
            [table_row(name, row) for name, row in rows.items() if name != "hasher"],
        )
        print(f"password hasher alone (check_password): {rows['hasher']['cpu_ms']:.1f} ms")
    if args.json:
        from common import write_results

        data = {"machine": facts, "settings": vars(args), "results": runs}
        print(f"\nwritten to {write_results('admin_actions', data).relative_to(ROOT)}")


def table_row(name: str, row: dict) -> tuple:
    ours, bare = row["ours"], row["wagtail"]
    share = bare["cpu_ms"] / ours["cpu_ms"]
    return (
        name,
        ours["cpu_ms"],
        ours["first_ms"],
        ours["queries"],
        bare["cpu_ms"],
        bare["queries"],
        f"{share:.0%}",
    )


def run(backend: str, args) -> dict:
    import subprocess

    with scratch_database(backend, DATABASE) as url:
        env = child_env(
            url,
            "portal.settings.production",
            SECRET_KEY="guiyan-bench-only-not-a-secret",  # noqa: S106
            ALLOWED_HOSTS="testserver",
            CELERY_BROKER_URL=args.broker,
            # Nothing is collected here: pages only need their static URLs, which production's
            # hashed storage would look up in a manifest that a build writes.
            STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "seed_demo", "--members", str(args.members))
        command = [sys.executable, __file__, "--child", "--repeat", str(args.repeat)]
        for option in ("profile", "queries"):
            if getattr(args, option):
                command += [f"--{option}", getattr(args, option)]
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            sys.stderr.write(done.stdout[-3000:] + done.stderr[-5000:])
            raise SystemExit(f"{backend}: the child failed with status {done.returncode}")
        lines = done.stdout.strip().splitlines()
        print("\n".join(lines[:-1]))
        return json.loads(lines[-1])


# --- the child: Django in this process ------------------------------------------------


def child(args) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    actions = Actions()
    results = {"hasher": {"cpu_ms": actions.hasher_ms(args.repeat)}}
    for name in actions.names:
        if args.profile == name:
            actions.profile(name)
        if args.queries == name:
            actions.print_queries(name)
        results[name] = {"ours": actions.measure(name, args.repeat)}
    with project_hooks_removed():
        for name in actions.names:
            if args.profile == f"wagtail-{name}":
                actions.profile(name)
            results[name]["wagtail"] = actions.measure(name, args.repeat)
    print(json.dumps(results))


class Actions:
    """Each action is a method returning (request, expected status); prepare_<name>, when
    there is one, runs untimed before each request."""

    names = (
        "login",
        "save",
        "submit",
        "approve",
        "dashboard",
        "talent_desk",
        "learning_dashboard",
        "township_ledger",
    )

    def __init__(self):
        from django.contrib.auth import get_user_model
        from django.test import Client

        from portal.models import StudyMaterialPage

        self.users = {u.username: u for u in get_user_model().objects.all()}
        self.page = StudyMaterialPage.objects.get(slug=PAGE_SLUG)
        self.clients = {}
        for username in ("editor", "reviewer", "recruiter", "secretary", "township_admin"):
            client = Client(secure=True, HTTP_X_FORWARDED_PROTO="https")
            client.force_login(self.users[username])
            self.clients[username] = client

    # --- what is measured ---
    def hasher_ms(self, repeat: int) -> float:
        from django.contrib.auth.hashers import check_password

        encoded = self.users["editor"].password
        return median_ms([timed(lambda: check_password(PASSWORD, encoded)) for _ in range(5)])

    def measure(self, name: str, repeat: int) -> dict:
        first = self.once(name)[0]  # also the warm-up
        cpu = [self.once(name)[0] for _ in range(repeat)]
        return {
            "cpu_ms": median_ms(cpu),
            "first_ms": median_ms([first]),
            "queries": self.once(name, count=True)[1],
        }

    def once(self, name: str, count: bool = False) -> tuple[float, int]:
        """One request, timed (and its queries counted): (CPU seconds, queries)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        prepare = getattr(self, f"prepare_{name}", None)
        if prepare:
            prepare()
        send, expected = getattr(self, name)()
        queries = CaptureQueriesContext(connection) if count else contextlib.nullcontext([])
        with queries as captured:
            start = time.process_time()
            response = send()
            seconds = time.process_time() - start
        if response.status_code != expected:
            raise SystemExit(f"{name}: status {response.status_code}, expected {expected}")
        return seconds, len(captured)

    def profile(self, name: str) -> None:
        import cProfile
        import pstats

        self.once(name)
        profiler = cProfile.Profile()
        profiler.runcall(self.once, name)
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(45)

    def print_queries(self, name: str) -> None:
        """The action's statements, the same statement with other numbers counted together."""
        import re
        from collections import Counter

        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.once(name)
        with CaptureQueriesContext(connection) as captured:
            self.once(name)
        shapes = Counter(re.sub(r"\b\d+\b", "N", q["sql"])[:300] for q in captured)
        for sql, times in shapes.most_common():
            print(f"{times:4d}  {sql}")

    # --- the actions ---
    def login(self):
        from django.test import Client

        client = Client(secure=True, HTTP_X_FORWARDED_PROTO="https")
        data = {"username": "editor", "password": PASSWORD}
        return (lambda: client.post("/admin/login/", data)), 302

    def save(self):
        return self._post_edit({"action-save": ""})

    def prepare_submit(self):
        self._cancel_workflow()

    def submit(self):
        return self._post_edit({"action-submit": "1"})

    def prepare_approve(self):
        self._cancel_workflow()
        send, _expected = self._post_edit({"action-submit": "1"})
        send()

    def approve(self):
        from django.urls import reverse

        self.page.refresh_from_db()
        state = self.page.current_workflow_state.current_task_state
        args = [self.page.pk, "approve", state.pk]
        url = reverse("wagtailadmin_pages:workflow_action", args=args)
        client = self.clients["reviewer"]
        return (lambda: client.post(url, {"comment": ""})), 302

    def dashboard(self):
        return self._get("editor", "/admin/")

    def talent_desk(self):
        return self._get("recruiter", "/admin/talent/desk/")

    def learning_dashboard(self):
        return self._get("secretary", "/admin/learning/dashboard/")

    def township_ledger(self):
        return self._get("township_admin", "/admin/members/")

    # --- helpers ---
    def _get(self, username: str, path: str):
        client = self.clients[username]
        return (lambda: client.get(path)), 200

    def _post_edit(self, action: dict):
        from django.urls import reverse
        from wagtail.test.utils.form_data import (
            inline_formset,
            nested_form_data,
            rich_text,
            streamfield,
        )

        page = self.page
        data = nested_form_data(
            {
                "title": page.title,
                "slug": page.slug,
                "summary": page.summary,
                "study_hours": str(page.study_hours),
                "tags": "党章, 组织生活",
                "body": streamfield([("paragraph", rich_text(f"<p>{BODY}</p>"))]),
                "comments": inline_formset([]),
                **action,
            }
        )
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        client = self.clients["editor"]
        return (lambda: client.post(url, data)), 302

    def _cancel_workflow(self):
        self.page.refresh_from_db()
        state = self.page.current_workflow_state
        if state:
            state.cancel(user=self.users["editor"])


def project_hooks_removed():
    """Every Wagtail hook and signal receiver defined in this project's apps, taken away
    for the duration: what is left is Wagtail's (and Django's) own cost of the action."""
    from django.contrib.auth import signals as auth_signals
    from django.core import signals as core_signals
    from django.db.models import signals as model_signals
    from wagtail import hooks
    from wagtail import signals as wagtail_signals

    def ours(func) -> bool:
        owner = getattr(func, "__self__", None)
        module = (type(owner) if owner is not None else func).__module__ or ""
        return module.split(".")[0] in PROJECT_APPS

    @contextlib.contextmanager
    def removed():
        saved_hooks = {name: list(entries) for name, entries in hooks._hooks.items()}
        all_signals = [
            value
            for module in (model_signals, wagtail_signals, core_signals, auth_signals)
            for value in vars(module).values()
            if hasattr(value, "receivers")
        ]
        saved_receivers = {signal: list(signal.receivers) for signal in all_signals}
        try:
            for name, entries in hooks._hooks.items():
                hooks._hooks[name] = [entry for entry in entries if not ours(entry[0])]
            for signal in all_signals:
                signal.receivers = [r for r in signal.receivers if not _receiver_is_ours(r, ours)]
                signal.sender_receivers_cache.clear()
            menus_rebuilt()
            yield
        finally:
            hooks._hooks.update(saved_hooks)
            menus_rebuilt()
            for signal, receivers in saved_receivers.items():
                signal.receivers = receivers
                signal.sender_receivers_cache.clear()

    return removed()


def menus_rebuilt() -> None:
    """Wagtail reads the menu hooks once per process; make it read them again."""
    from wagtail.admin.menu import admin_menu

    def forget(menu) -> None:
        for item in menu.__dict__.pop("registered_menu_items", []):
            if hasattr(item, "menu"):
                forget(item.menu)

    forget(admin_menu)


def _receiver_is_ours(entry, ours) -> bool:
    reference = entry[1]
    receiver = reference() if isinstance(reference, weakref.ReferenceType) else reference
    return receiver is not None and ours(receiver)


def timed(call) -> float:
    start = time.process_time()
    call()
    return time.process_time() - start


def median_ms(seconds: list[float]) -> float:
    return round(statistics.median(seconds) * 1000, 2)


if __name__ == "__main__":
    main()
