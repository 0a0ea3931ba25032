"""Covering indexes for ``InitiativeQuerySet.with_progress()``: a donor's portfolio sums up the milestones
and reads the latest update of thousands of initiatives, from the indexes alone. The latest-update index
replaces the one on (initiative, -reported_on), which it starts with."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("prevention", "0007_activity_totals"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="progressupdate",
            name="prevention__initiat_de7f77_idx",
        ),
        migrations.AddIndex(
            model_name="milestone",
            index=models.Index(
                fields=["initiative"],
                include=("id", "status", "weight", "due_on"),
                name="milestone_progress_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="progressupdate",
            index=models.Index(
                fields=["initiative", "-reported_on", "-id"],
                include=("percent_complete",),
                name="update_latest_idx",
            ),
        ),
    ]
