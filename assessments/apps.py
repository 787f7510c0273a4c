from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Skrining dan Asesmen")

    def ready(self) -> None:
        from assessments import views  # noqa: F401  registers the case-file and today sections
        from rehab.audit import register_action_labels

        register_action_labels(
            {
                "assessments.screening.recorded": _("Skrining ASSIST dicatat"),
                "assessments.urine_test.recorded": _("Tes urine dicatat"),
                "assessments.health_screening.recorded": _("Skrining kesehatan dicatat"),
                "assessments.assessment.created": _("Asesmen dibuat"),
                "assessments.assessment.updated": _("Draf asesmen diubah"),
                "assessments.assessment.signed": _("Asesmen ditandatangani"),
                "assessments.assessment.amended": _("Koreksi asesmen dibuat"),
            }
        )
