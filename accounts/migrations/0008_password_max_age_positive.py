from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def zero_means_never(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # 0 was read as "never expires" without saying so: keep that meaning, in the form that
    # now states it (empty).
    Organization = apps.get_model("accounts", "Organization")
    Organization.objects.filter(password_max_age_days=0).update(password_max_age_days=None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_api_token_scope_expiry_session_epoch"),
    ]

    operations = [
        migrations.RunPython(zero_means_never, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("password_max_age_days__isnull", True),
                    ("password_max_age_days__gte", 1),
                    _connector="OR",
                ),
                name="organization_password_max_age_positive",
                violation_error_message="A maximum password age of 0 days would make every password expire at once: give at least 1 day, or leave the field empty so that passwords never expire.",
            ),
        ),
    ]
