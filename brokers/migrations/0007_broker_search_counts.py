# The common search terms of each broker (``brokers.terms``), and (PostgreSQL only, as the
# trigram index) the count of brokers by their combination, kept by statement triggers with
# transition tables: a bulk load costs one statement of them.

import django.db.models.expressions
from django.db import migrations, models


TRIGGERS = """
CREATE FUNCTION brokers_search_count_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM brokers_brokersearchcount;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE brokers_brokersearchcount AS total SET brokers = total.brokers - gone.brokers
        FROM (SELECT search_flags, count(*) AS brokers FROM old_rows GROUP BY search_flags) AS gone
        WHERE total.flags = gone.search_flags;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO brokers_brokersearchcount AS total (flags, brokers)
        SELECT search_flags, count(*) FROM new_rows GROUP BY search_flags
        ON CONFLICT (flags) DO UPDATE SET brokers = total.brokers + excluded.brokers;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM brokers_brokersearchcount WHERE brokers = 0;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER brokers_search_count_insert AFTER INSERT ON brokers_broker
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION brokers_search_count_apply();
CREATE TRIGGER brokers_search_count_update AFTER UPDATE ON brokers_broker
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION brokers_search_count_apply();
CREATE TRIGGER brokers_search_count_delete AFTER DELETE ON brokers_broker
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION brokers_search_count_apply();
CREATE TRIGGER brokers_search_count_truncate AFTER TRUNCATE ON brokers_broker
    FOR EACH STATEMENT EXECUTE FUNCTION brokers_search_count_apply();
"""
TRIGGERS_DROP = """
DROP TRIGGER IF EXISTS brokers_search_count_insert ON brokers_broker;
DROP TRIGGER IF EXISTS brokers_search_count_update ON brokers_broker;
DROP TRIGGER IF EXISTS brokers_search_count_delete ON brokers_broker;
DROP TRIGGER IF EXISTS brokers_search_count_truncate ON brokers_broker;
DROP FUNCTION IF EXISTS brokers_search_count_apply();
"""
def search_counts_rebuild(apps, schema_editor):
    """Count the brokers by their common search terms anew (also after ``search_flags`` is
    added again for other terms: the values of a new column reach no trigger)."""
    schema_editor.execute("DELETE FROM brokers_brokersearchcount")
    schema_editor.execute(
        "INSERT INTO brokers_brokersearchcount (flags, brokers) "
        "SELECT search_flags, COUNT(*) FROM brokers_broker GROUP BY search_flags"
    )


def triggers_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS)
        search_counts_rebuild(apps, schema_editor)


def triggers_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS_DROP)


class Migration(migrations.Migration):

    dependencies = [
        ('brokers', '0006_search_text_padded'),
    ]

    operations = [
        migrations.CreateModel(
            name='BrokerSearchCount',
            fields=[
                ('flags', models.BigIntegerField(primary_key=True, serialize=False, verbose_name='common search terms')),
                ('brokers', models.PositiveIntegerField(verbose_name='brokers')),
            ],
            options={
                'verbose_name': 'count of brokers by common search terms',
                'verbose_name_plural': 'counts of brokers by common search terms',
            },
        ),
        migrations.AddField(
            model_name='broker',
            name='search_flags',
            field=models.GeneratedField(db_persist=True, expression=models.ExpressionWrapper(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.Case(models.When(models.Q(('search_text__contains', 'cty')), then=models.Value(1)), default=models.Value(0)), '+', models.Case(models.When(models.Q(('search_text__contains', 'cong ty')), then=models.Value(2)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'cong')), then=models.Value(4)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'ty')), then=models.Value(8)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'tnhh')), then=models.Value(16)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'trach nhiem huu han')), then=models.Value(32)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'trach')), then=models.Value(64)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'nhiem')), then=models.Value(128)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'huu')), then=models.Value(256)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'han')), then=models.Value(512)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'cp')), then=models.Value(1024)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'co phan')), then=models.Value(2048)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'co')), then=models.Value(4096)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'phan')), then=models.Value(8192)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'tm')), then=models.Value(16384)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'thuong mai')), then=models.Value(32768)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'thuong')), then=models.Value(65536)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'mai')), then=models.Value(131072)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'dv')), then=models.Value(262144)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'dich vu')), then=models.Value(524288)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'dich')), then=models.Value(1048576)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'vu')), then=models.Value(2097152)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'xnk')), then=models.Value(4194304)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'xuat nhap khau')), then=models.Value(8388608)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'xuat')), then=models.Value(16777216)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'nhap')), then=models.Value(33554432)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'khau')), then=models.Value(67108864)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'tp')), then=models.Value(134217728)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'thanh pho')), then=models.Value(268435456)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'thanh')), then=models.Value(536870912)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'pho')), then=models.Value(1073741824)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'dai')), then=models.Value(2147483648)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'ly')), then=models.Value(4294967296)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'hai')), then=models.Value(8589934592)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'quan')), then=models.Value(17179869184)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'giao')), then=models.Value(34359738368)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'nhan')), then=models.Value(68719476736)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'van')), then=models.Value(137438953472)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'tai')), then=models.Value(274877906944)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'tiep')), then=models.Value(549755813888)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'logistics')), then=models.Value(1099511627776)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'quoc')), then=models.Value(2199023255552)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'te')), then=models.Value(4398046511104)), default=models.Value(0))), '+', models.Case(models.When(models.Q(('search_text__contains', 'mtv')), then=models.Value(8796093022208)), default=models.Value(0))), output_field=models.BigIntegerField()), output_field=models.BigIntegerField(), verbose_name='common search terms'),
        ),
        migrations.RunPython(triggers_create, triggers_drop),
    ]
