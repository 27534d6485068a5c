import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """The demands ledger: Demand and its append-only DemandTransition (0004 copies VisitDemand in, 0005 drops it)."""

    dependencies = [
        ('accounts', '0004_memberships_moved_out'),
        ('demands', '0002_own_table_name'),
        ('enterprises', '0002_enterprise_member'),
        ('visits', '0008_visit_demand_moved_to_demands'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Demand',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('category', models.CharField(choices=[('labour', '用工'), ('finance', '融资'), ('site', '场地'), ('policy', '政策'), ('approvals', '审批'), ('logistics', '物流'), ('energy', '能源'), ('other', '其他')], max_length=12)),
                ('description', models.TextField()),
                ('channel', models.CharField(choices=[('visit', '走访收集'), ('app', '企业在线提出'), ('phone', '电话代为登记')], max_length=8)),
                ('status', models.CharField(choices=[('pending', '待交办'), ('assigned', '已交办'), ('verifying', '核查研判'), ('handling', '处办中'), ('resolved', '已办结'), ('closed', '已回访')], default='pending', max_length=10)),
                ('rating', models.CharField(blank=True, choices=[('satisfied', '满意'), ('basically_satisfied', '基本满意'), ('unsatisfied', '不满意')], max_length=20)),
                ('resolution', models.TextField(blank=True)),
                ('deadline', models.DateTimeField(blank=True, null=True)),
                ('deadline_explained', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('assignee', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='demands_assigned', to=settings.AUTH_USER_MODEL)),
                ('assignee_unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='demands_assigned', to='accounts.orgunit')),
                ('enterprise', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='demands', to='enterprises.enterprise')),
                ('raised_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='demands_raised', to=settings.AUTH_USER_MODEL)),
                ('visit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='demands', to='visits.visit')),
            ],
        ),
        migrations.CreateModel(
            name='DemandTransition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
                ('action', models.CharField(max_length=10)),
                ('from_status', models.CharField(blank=True, max_length=10)),
                ('to_status', models.CharField(max_length=10)),
                ('rating', models.CharField(blank=True, max_length=20)),
                ('comment', models.TextField(blank=True)),
                ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('demand', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='transitions', to='demands.demand')),
            ],
        ),
        migrations.AddIndex(
            model_name='demand',
            index=models.Index(fields=['enterprise', 'created_at'], name='demand_enterprise_time'),
        ),
        migrations.AddIndex(
            model_name='demand',
            index=models.Index(fields=['status', 'created_at'], name='demand_status_time'),
        ),
        migrations.AddIndex(
            model_name='demand',
            index=models.Index(fields=['assignee', 'status'], name='demand_assignee_status'),
        ),
        migrations.AddIndex(
            model_name='demand',
            index=models.Index(fields=['raised_by', 'created_at'], name='demand_raiser_time'),
        ),
        migrations.AddConstraint(
            model_name='demand',
            constraint=models.CheckConstraint(condition=models.Q(('assignee__isnull', True), ('assignee_unit__isnull', True), _connector='OR'), name='demand_one_assignee'),
        ),
        migrations.AddIndex(
            model_name='demandtransition',
            index=models.Index(fields=['demand', 'at'], name='demand_transition_time'),
        ),
    ]
