# The search column gets a space at each end (brokers.search.broker_search_text), so that a
# whole word is found as " word " without building a padded copy of every row.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("brokers", "0005_identifier_formats"),
    ]

    operations = [
        migrations.RunSQL(
            "UPDATE brokers_broker SET search_text = ' ' || search_text || ' ' "
            "WHERE search_text NOT LIKE ' %'",
            reverse_sql="UPDATE brokers_broker SET search_text = trim(search_text)",
        ),
    ]
