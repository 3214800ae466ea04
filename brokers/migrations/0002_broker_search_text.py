# The register's search column, filled for existing brokers, and (PostgreSQL only) a
# trigram GIN index so that ``search_text LIKE '%word%'`` does not scan the table.

from django.db import migrations, models

from brokers.search import broker_search_text


def fill_search_text(apps, schema_editor):
    Broker = apps.get_model("brokers", "Broker")
    brokers = list(Broker.objects.select_related("organization"))
    for broker in brokers:
        broker.search_text = broker_search_text(
            name=broker.organization.name,
            tax_code=broker.organization.tax_code,
            license_number=broker.license_number,
        )
    Broker.objects.bulk_update(brokers, ["search_text"], batch_size=1000)


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS brokers_broker_search_text_trgm "
        "ON brokers_broker USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS brokers_broker_search_text_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ('brokers', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='broker',
            name='search_text',
            field=models.TextField(default='', editable=False, verbose_name='search text'),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
