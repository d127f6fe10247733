"""Rules made the way an admin would, and the notifications a rule sent."""

from portal.models import Notification, Rule


def notify(recipients: str, *, title: str = "{title}", body: str = "", **params) -> dict:
    return {
        "key": "notify_role",
        "params": {"recipients": recipients, "title": title, "body": body, **params},
    }


def rule_make(trigger: str = "page_published", *, organization=None, actions=None, **fields):
    rule = Rule(
        title=fields.pop("title", "测试规则"),
        trigger=trigger,
        organization=organization,
        actions=actions or [notify("secretary", reach="below")],
        **fields,
    )
    rule.full_clean()
    rule.save()
    return rule


def told(rule) -> set:
    """Who ``rule`` notified."""
    return {
        n.recipient for n in Notification.objects.filter(source_key__startswith=f"rule:{rule.pk}:")
    }
