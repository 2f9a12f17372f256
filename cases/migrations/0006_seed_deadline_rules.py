"""Seeds the deadline rules of cases/deadline_rules.py (domain-rules.md section 1).

Later versions are added by an admin or by a new migration; this one only adds what is missing,
so running it again never changes a version already stored."""

from django.db import migrations


def seed_rules(apps, schema_editor):
    from cases.deadline_rules import RULES

    DeadlineRule = apps.get_model("cases", "DeadlineRule")
    DeadlineRuleVersion = apps.get_model("cases", "DeadlineRuleVersion")
    for spec in RULES:
        rule, _created = DeadlineRule.objects.get_or_create(
            code=spec.code, defaults={"title": str(spec.title), "trigger": spec.trigger}
        )
        DeadlineRuleVersion.objects.get_or_create(
            rule=rule,
            effective_from=spec.effective_from,
            defaults={
                "offset": spec.offset,
                "direction": spec.direction,
                "counting": spec.counting,
                "roll_forward": spec.roll_forward,
                "adds_clock_stops": spec.adds_clock_stops,
                "lead_days": list(spec.lead_days),
                "citation": spec.citation,
                "source_url": spec.source_url,
                "source_note": spec.source_note,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_deadline_engine")]

    operations = [migrations.RunPython(seed_rules, migrations.RunPython.noop)]
