"""Activity totals per initiative and organisation (see ActivityTotal), counted from the logs there are,
and three indexes for the pages' reads of activity logs."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce


def count_existing_logs(apps, schema_editor):
    ActivityLog = apps.get_model("prevention", "ActivityLog")
    ActivityTotal = apps.get_model("prevention", "ActivityTotal")
    verified = Q(review_state="verified")
    rows = (
        ActivityLog.objects.values("initiative_id", "organisation_id")
        .annotate(
            verified=Count("pk", filter=verified),
            submitted=Count("pk", filter=Q(review_state="submitted")),
            returned=Count("pk", filter=Q(review_state="returned")),
            participants=Coalesce(Sum("participants_total", filter=verified), 0),
            audience=Coalesce(Sum("audience_reached", filter=verified), 0),
        )
        .order_by()
    )
    ActivityTotal.objects.bulk_create((ActivityTotal(**row) for row in rows.iterator()), batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_close_null_gaps_in_constraints"),
        ("prevention", "0006_activity_log_district"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ActivityTotal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("verified", models.PositiveIntegerField(default=0, verbose_name="verified logs")),
                ("submitted", models.PositiveIntegerField(default=0, verbose_name="logs waiting for review")),
                ("returned", models.PositiveIntegerField(default=0, verbose_name="returned logs")),
                (
                    "participants",
                    models.PositiveBigIntegerField(default=0, verbose_name="participants of verified logs"),
                ),
                (
                    "audience",
                    models.PositiveBigIntegerField(default=0, verbose_name="audience of verified logs"),
                ),
            ],
            options={
                "verbose_name": "activity total",
                "verbose_name_plural": "activity totals",
            },
        ),
        migrations.AddIndex(
            model_name="activitylog",
            index=models.Index(fields=["district", "-occurred_on", "-id"], name="log_district_date"),
        ),
        migrations.AddIndex(
            model_name="activitylog",
            index=models.Index(
                fields=["organisation", "review_state", "-occurred_on", "-id"], name="log_org_state_date"
            ),
        ),
        migrations.AddIndex(
            model_name="activitylog",
            index=models.Index(
                fields=[
                    "initiative",
                    "review_state",
                    "occurred_on",
                    "participants_total",
                    "audience_reached",
                ],
                name="log_initiative_reach",
            ),
        ),
        migrations.AddField(
            model_name="activitytotal",
            name="initiative",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="activity_totals",
                to="prevention.initiative",
                verbose_name="initiative",
            ),
        ),
        migrations.AddField(
            model_name="activitytotal",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.AddConstraint(
            model_name="activitytotal",
            constraint=models.UniqueConstraint(
                fields=("initiative", "organisation"), name="activity_total_unique"
            ),
        ),
        migrations.RunPython(count_existing_logs, migrations.RunPython.noop, elidable=True),
    ]
