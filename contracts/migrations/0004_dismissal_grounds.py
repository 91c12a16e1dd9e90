"""Seed 001's nine grounds for dismissal (辞退), verbatim, in the order the policy lists them."""

from django.db import migrations

GROUNDS = [
    ("lagging", "工作责任心不强，人口计生工作连续2年落后的", "lagging"),
    ("illegal_births", "连续两年出现违法生育或一年内出现两例违法生育的", "illegal_births"),
    ("major_error", "在工作中出现重大失误的", ""),
    ("own_violation", "本人违反计划生育政策的", ""),
    ("false_information", "提供虚假人口计生工作信息的", ""),
    ("ledger_disorder", "计划生育台帐管理混乱的", ""),
    ("missed_refresher", "连续两年未参加知识更新培训的", "missed_refresher"),
    ("shielding_relatives", "利用职权包庇子女、亲属超生的", ""),
    ("corruption", "有贪污、受贿等违法违纪行为的", ""),
]


def add_grounds(apps, schema_editor):
    DismissalGround = apps.get_model("contracts", "DismissalGround")
    for position, (code, text, detector) in enumerate(GROUNDS, start=1):
        DismissalGround.objects.update_or_create(
            code=code, defaults={"text": text, "detector": detector, "position": position}
        )


def remove_grounds(apps, schema_editor):
    apps.get_model("contracts", "DismissalGround").objects.filter(
        code__in=[code for code, _text, _detector in GROUNDS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("contracts", "0003_term")]

    operations = [migrations.RunPython(add_grounds, remove_grounds)]
