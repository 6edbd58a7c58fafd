from django.db import migrations, models
from django.db.models import F
from django.utils import timezone


def mark_published_as_announced(apps, schema_editor):
    """What was already published before pushes existed is not pushed at deploy."""
    Article = apps.get_model("news", "Article")
    Article.objects.filter(published_at__lte=timezone.now()).update(announced_at=F("published_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("news", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="announced_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="đã gửi thông báo đẩy lúc"),
        ),
        migrations.RunPython(mark_published_as_announced, migrations.RunPython.noop),
    ]
