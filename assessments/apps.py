from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Skrining dan Asesmen")

    def ready(self) -> None:
        from assessments import notifications as assessment_notifications
        from rehab import notifications

        notifications.register(assessment_notifications.reviews_due)
        from assessments import views  # noqa: F401  registers the case-file and today sections
        from assessments.models import Assessment, Tier
        from assessments.services import handover_clinical, transfer_summary
        from inmates import listing
        from inmates.services import register_handover_step, register_transfer_summary
        from rehab.audit import (
            EXTRA_FIELD_LABELS,
            register_access_labels,
            register_action_labels,
        )

        register_transfer_summary(transfer_summary)
        register_handover_step(handover_clinical)
        # The WBP list, its print view and its export: the tier for every case reader (and a
        # filter over it); the diagnosis for the clinical roles, printed and exported only.
        listing.register_column(
            listing.Column(
                name="tier",
                label=_("Tingkat"),
                action="assessment.view_decision",
                value=lambda: Assessment.objects.newest_of_outer_inmate("final_tier"),
                choices=Tier.choices,
                display=lambda value: Tier(value).label,
            )
        )
        listing.register_column(
            listing.Column(
                name="diagnosis",
                label=_("Diagnosis"),
                action="assessment.view",
                value=lambda: Assessment.objects.newest_of_outer_inmate("diagnosis_code"),
                on_screen=False,
            )
        )

        register_access_labels(
            {
                "urine_test.read": _("Membuka hasil tes urine"),
                "health_screening.read": _("Membuka hasil skrining kesehatan"),
                "assessment.read": _("Membuka asesmen (domain, diagnosis, rencana)"),
                "reviews.read": _("Membuka jadwal asesmen ulang"),
            }
        )
        register_action_labels(
            {
                "assessments.screening.recorded": _("Skrining ASSIST dicatat"),
                "assessments.urine_test.recorded": _("Tes urine dicatat"),
                "assessments.health_screening.recorded": _("Skrining kesehatan dicatat"),
                "assessments.assessment.created": _("Asesmen dibuat"),
                "assessments.assessment.updated": _("Draf asesmen diubah"),
                "assessments.assessment.signed": _("Asesmen ditandatangani"),
                "assessments.assessment.amended": _("Koreksi asesmen dibuat"),
                "assessments.assessment.review_dates_computed": _(
                    "Tanggal asesmen ulang kini dihitung otomatis"
                ),
                "assessments.urine_result.correction_requested": _(
                    "Koreksi hasil tes urine diajukan"
                ),
                "assessments.urine_result.corrected": _("Koreksi hasil tes urine dikonfirmasi"),
                "assessments.urine_result.correction_refused": _("Koreksi hasil tes urine ditolak"),
                "assessments.health_screening.corrected": _("Skrining kesehatan dikoreksi"),
                "assessments.review.moved": _("Tanggal asesmen ulang digeser"),
            }
        )
        # Keys of history entries that name no field of the changed model (any more).
        EXTRA_FIELD_LABELS.update(
            {
                "reason": _("alasan koreksi"),
                "mid_review_due": _("asesmen ulang tengah program (diketik)"),
                "end_review_due": _("asesmen akhir program (diketik)"),
            }
        )
