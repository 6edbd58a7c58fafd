"""Indexes for the dashboard (tinhso/dashboard/queries.py): dossiers received
in a period, dossiers finished in a period, and a covering index (competent
agency + the columns the dashboard reads) for index-only aggregates on
PostgreSQL. See docs/dashboard.md and docs/performance.md."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0002_form_data'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['received_at'], name='dossier_received_at_idx'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['finished_at'], name='dossier_finished_at_idx'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['competent_agency'], include=['received_at', 'finished_at', 'due_at', 'status',
                                                                     'channel', 'outcome'],
                               name='dossier_dashboard_cover_idx'),
        ),
    ]
