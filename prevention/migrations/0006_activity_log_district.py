"""Keep the district on each activity log (see ActivityLog.district): added empty, filled from the log's
initiative → priority → plan in one UPDATE per table, then required."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_districts(apps, schema_editor):
    Initiative = apps.get_model("prevention", "Initiative")
    district_of = Initiative.objects.filter(pk=OuterRef("initiative_id")).values(
        "priority__plan__district_id"
    )[:1]
    for name in ("ActivityLog", "HistoricalActivityLog"):
        model = apps.get_model("prevention", name)
        # A historical row of a log whose initiative was deleted since keeps no district.
        model.objects.filter(district__isnull=True).update(district_id=Subquery(district_of))


class Migration(migrations.Migration):
    dependencies = [
        ("prevention", "0005_activity_log_kind_date_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="activitylog",
            name="district",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="activity_logs",
                to="prevention.district",
                verbose_name="district",
            ),
        ),
        migrations.AddField(
            model_name="historicalactivitylog",
            name="district",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="prevention.district",
                verbose_name="district",
            ),
        ),
        migrations.RunPython(fill_districts, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="activitylog",
            name="district",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="activity_logs",
                to="prevention.district",
                verbose_name="district",
            ),
        ),
    ]
