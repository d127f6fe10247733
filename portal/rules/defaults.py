"""The built-in rules: what the site did before rules were configurable, now rows an admin
can read, edit or switch off. The migration ``0014`` creates them (``0015`` adds the
absences one and ``0017`` the members' weekly pace reminder to a site migrated before them),
and so does every migrate on a database with no rules at all (a new site, a test database
after a flush)."""

PAGE_TYPES = ["portal.studymaterialpage", "portal.microlecturepage", "portal.noticepage"]

DEFAULT_RULES = [
    {
        "builtin_key": "publication",
        "title": "发布学习资料、微党课或通知时，告知本栏目的党员",
        "trigger": "page_published",
        "conditions": [{"key": "page_type", "params": {"page_types": PAGE_TYPES}}],
        "actions": [
            {
                "key": "notify_role",
                "params": {
                    "recipients": "members",
                    "reach": "below",
                    "title": "{title}",
                    "body": "{summary}",
                },
            }
        ],
    },
    {
        "builtin_key": "rejection",
        "title": "退回修改时，告知作者和提交人退回原因",
        "trigger": "page_rejected",
        "conditions": [],
        "actions": [
            {
                "key": "notify_role",
                "params": {"recipients": "author", "title": "{title}", "body": "{comment}"},
            }
        ],
    },
    {
        "builtin_key": "lost_contact",
        "title": "党员被标记为失联时，告知其所在支部书记",
        "trigger": "member_lost_contact",
        "conditions": [],
        "actions": [
            {
                "key": "notify_role",
                "params": {
                    "recipients": "secretary",
                    "title": "{title}",
                    "body": "已 {days} 天未联系，请尽快联系并记录。",
                },
            }
        ],
    },
    {
        "builtin_key": "absent_in_a_row",
        "title": "党员连续三次缺席组织生活时，告知其所在支部书记",
        "trigger": "member_absent_in_a_row",
        "conditions": [],
        "actions": [
            {
                "key": "notify_role",
                "params": {
                    "recipients": "secretary",
                    "title": "{title}",
                    "body": "在{branch}连续 {absences} 次缺席（最近一次：{meeting}），请了解情况。",
                },
            }
        ],
    },
    {
        "builtin_key": "pace_reminder",
        "title": "每周提醒学时落后于进度的党员",
        "trigger": "members_behind_pace_weekly",
        "conditions": [],
        "actions": [
            {
                "key": "notify_role",
                "params": {
                    "recipients": "member",
                    "title": "您本年度的学时进度落后了",
                    "body": "按进度，您目前应完成本年度 {yearly} 学时中的约 {target} 学时。"
                    "请打开学习档案查看接下来的学习任务。",
                },
            }
        ],
    },
    {
        "builtin_key": "approval",
        "title": "审核通过时，告知提交人",
        "trigger": "page_approved",
        "conditions": [],
        "actions": [{"key": "notify_role", "params": {"recipients": "author", "title": "{title}"}}],
    },
]


def rules_defaults_create(rule_model) -> int:
    """Create the built-in rules with ``rule_model`` (the historical one in a migration)."""
    created = 0
    for definition in DEFAULT_RULES:
        _rule, made = rule_model.objects.get_or_create(
            builtin_key=definition["builtin_key"], defaults=definition
        )
        created += made
    return created


def rule_default_create(rule_model, builtin_key: str) -> bool:
    """Create one built-in rule if absent (for a migration that adds a built-in later)."""
    definition = next(d for d in DEFAULT_RULES if d["builtin_key"] == builtin_key)
    _rule, made = rule_model.objects.get_or_create(builtin_key=builtin_key, defaults=definition)
    return made


def rules_defaults_ensure() -> None:
    """On a database without any rule (new, or flushed by a test), create the built-ins."""
    from portal.rules.models import Rule

    if not Rule.objects.exists():
        rules_defaults_create(Rule)
