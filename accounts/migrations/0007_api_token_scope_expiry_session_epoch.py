from datetime import timedelta

from django.db import migrations, models


def tokens_scope_and_expiry(apps, schema_editor):
    """Tokens made before scopes: the customs feed's push declarations, the others read; each
    expires 90 days after it was made (those older than that have expired)."""
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.select_related("user__organization"):
        organization = token.user.organization
        token.scope = "ingest" if organization and organization.kind == "customs" else "read"
        token.expires_at = token.created_at + timedelta(days=90)
        token.save(update_fields=["scope", "expires_at"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_passkeys")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="session_epoch",
            field=models.PositiveIntegerField(default=0, verbose_name="session generation"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("ingest", "Push declarations (ingest)"), ("read", "Read only")],
                default="read",
                max_length=16,
                verbose_name="scope",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires at"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="last_used_ip",
            field=models.GenericIPAddressField(blank=True, null=True, verbose_name="last used from"),
        ),
        migrations.RunPython(tokens_scope_and_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires at"),
        ),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(
                condition=models.Q(("expires_at__gt", models.F("created_at"))),
                name="api_token_expires_after_creation",
                violation_error_message="A token must expire after it is created.",
            ),
        ),
    ]
