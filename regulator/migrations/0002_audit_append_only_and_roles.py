"""The database refuses any UPDATE or DELETE of an audit row (append-only beyond the ORM too),
and the role groups exist from the start.

TRUNCATE is not trapped: the test suite's flush uses it. In production the application's database
role is granted no TRUNCATE privilege (docs/decisions/0003-append-only-audit-trail.md)."""

from django.db import migrations

ROLES = [
    "registrant", "registration_officer", "ftp_case_handler", "case_examiner", "adjudications_officer",
    "education_qa_officer", "education_provider", "complaints_officer", "executive", "administrator",
]

POSTGRES_TRIGGER = """
CREATE OR REPLACE FUNCTION regulator_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER regulator_auditevent_append_only
    BEFORE UPDATE OR DELETE ON regulator_auditevent
    FOR EACH ROW EXECUTE FUNCTION regulator_audit_append_only();
"""
SQLITE_TRIGGERS = [
    "CREATE TRIGGER regulator_auditevent_no_update BEFORE UPDATE ON regulator_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: UPDATE is not allowed'); END;",
    "CREATE TRIGGER regulator_auditevent_no_delete BEFORE DELETE ON regulator_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: DELETE is not allowed'); END;",
]


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_TRIGGER, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


def remove_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS regulator_auditevent_append_only ON regulator_auditevent;"
                              "")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS regulator_auditevent_no_update")
        schema_editor.execute("DROP TRIGGER IF EXISTS regulator_auditevent_no_delete")


def add_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("regulator", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        migrations.RunPython(add_triggers, remove_triggers),
        migrations.RunPython(add_roles, migrations.RunPython.noop),
    ]
