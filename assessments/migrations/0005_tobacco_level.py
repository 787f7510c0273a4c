"""Tobacco's band on each screening, and the main substance picked by band before score.

Only a screening whose main substance was alcohol in the low band can change its main substance
under the new rule (alcohol low is 0-10, another drug's moderate band starts at 4), so only those
are recomputed from their stored answers.
"""

from django.db import migrations, models
from django.db.models import Exists, OuterRef

BANDS = {"alcohol": (11, 27)}  # every other substance, tobacco included: 4, 27


def _level(substance, score):
    moderate, high = BANDS.get(substance, (4, 27))
    return "high" if score >= high else "moderate" if score >= moderate else "low"


def forwards(apps, schema_editor):
    Screening = apps.get_model("assessments", "AssistScreening")
    Answer = apps.get_model("assessments", "SubstanceAnswer")
    for level, low, high in (("low", 1, 3), ("moderate", 4, 26), ("high", 27, 99)):
        used = Answer.objects.filter(
            screening=OuterRef("pk"), substance="tobacco", score__gte=low, score__lte=high
        )
        Screening.objects.filter(Exists(used)).update(tobacco_level=level)
    order = ["tobacco", "alcohol", "cannabis", "cocaine", "amphetamines", "inhalants",
             "sedatives", "hallucinogens", "opioids", "other"]  # fmt: skip
    ranks = {"low": 0, "moderate": 1, "high": 2}
    for screening in Screening.objects.filter(main_substance="alcohol", main_level="low"):
        scores = dict(
            Answer.objects.filter(screening=screening).values_list("substance", "score")
        )
        best = max(
            (ranks[_level(s, scores.get(s, 0))], scores.get(s, 0), -i, s)
            for i, s in enumerate(order)
            if s != "tobacco"
        )
        _, score, _, substance = best
        if substance != screening.main_substance:
            screening.main_substance = substance
            screening.main_score = score
            screening.main_level = _level(substance, score)
            screening.save(update_fields=["main_substance", "main_score", "main_level"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_corrections_and_computed_reviews"),
    ]

    operations = [
        migrations.AddField(
            model_name="assistscreening",
            name="tobacco_level",
            field=models.CharField(
                blank=True,
                choices=[
                    ("low", "Risiko rendah"),
                    ("moderate", "Risiko sedang"),
                    ("high", "Risiko tinggi"),
                ],
                max_length=10,
                verbose_name="tingkat risiko tembakau",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
