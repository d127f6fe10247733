"""The content rules' part of ``seed_demo``: the built-in rules (as the migration makes them)
and one a township admin would write: a notice in the township's section tells the
secretaries of its villages."""

from portal.registry.models import Organization

from .defaults import rules_defaults_create
from .models import Rule

DEMO_RULE_TITLE = "本镇栏目发布通知时，告知各村支部书记"


def demo_rules_build(*, township_code: str) -> None:
    rules_defaults_create(Rule)
    township = Organization.objects.get(code=township_code)
    rule = Rule(
        title=DEMO_RULE_TITLE,
        trigger="page_published",
        organization=township,
        conditions=[{"key": "page_type", "params": {"page_types": ["portal.noticepage"]}}],
        actions=[
            {
                "key": "notify_role",
                "params": {
                    "recipients": "secretary",
                    "reach": "below",
                    "level": Organization.Level.VILLAGE,
                    "title": "新通知：{title}",
                    "body": "{section}发布了通知，请及时传达。",
                },
            }
        ],
    )
    rule.full_clean()
    rule.save()
