from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("compliance", "0003_flag_kind_risk_pattern"),
    ]

    operations = [
        migrations.AddField(
            model_name="scanrun",
            name="failed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="failed at"),
        ),
        migrations.AddField(
            model_name="scanrun",
            name="failure",
            field=models.CharField(blank=True, max_length=255, verbose_name="failure"),
        ),
    ]
