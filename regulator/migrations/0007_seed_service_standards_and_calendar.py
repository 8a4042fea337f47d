"""Seed the service standards, the working-day calendar table and the team lead group
(regulator/standards_seed.py holds the rows)."""

from django.db import migrations


def seed(apps, schema_editor):
    from regulator.standards_seed import seed as write_seed

    write_seed(
        apps.get_model("regulator", "ServiceStandard"),
        apps.get_model("regulator", "WorkingDay"),
        apps.get_model("auth", "Group"),
    )


def analyze(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE regulator_workingday")


def unseed(apps, schema_editor):
    apps.get_model("regulator", "WorkingDay").objects.all().delete()
    apps.get_model("regulator", "ServiceStandard").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("regulator", "0006_service_standards_and_work_timers"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
        # The sweep joins the calendar by day and by ordinal: give the planner its statistics now.
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
