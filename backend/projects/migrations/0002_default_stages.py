from django.db import migrations


def seed(apps, schema_editor):
    from backend.projects.stages import DEFAULT_STAGES

    Stage = apps.get_model("projects", "Stage")
    for order, (code, name, phase, probability, stale, evidence, approval) in enumerate(DEFAULT_STAGES, start=1):
        Stage.objects.get_or_create(
            town=None, code=code,
            defaults=dict(name=name, phase=phase, order=order, probability=probability, stale_days=stale,
                          evidence_required=evidence, needs_approval=approval),
        )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
