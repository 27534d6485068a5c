import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('enterprises', '0001_initial'),
        ('sites', '0004_footprints_counter_clockwise'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='contactreveal',
            options={'verbose_name': '场地联系方式查看记录', 'verbose_name_plural': '场地联系方式查看记录'},
        ),
        migrations.AddField(
            model_name='contactreveal',
            name='enterprise',
            field=models.ForeignKey(blank=True, help_text='the organisation the user revealed it for', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='enterprises.enterprise'),
        ),
        migrations.AddField(
            model_name='contactreveal',
            name='network',
            field=models.CharField(blank=True, help_text='IPv4 /24 or IPv6 /64 of the address', max_length=43),
        ),
        migrations.AddField(
            model_name='contactreveal',
            name='repeat',
            field=models.BooleanField(default=False),
        ),
        migrations.AddIndex(
            model_name='contactreveal',
            index=models.Index(fields=['enterprise', 'at'], name='reveal_enterprise_at'),
        ),
        migrations.AddIndex(
            model_name='contactreveal',
            index=models.Index(fields=['network', 'at'], name='reveal_network_at'),
        ),
    ]
