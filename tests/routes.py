"""Every URL of the project with what it needs and the action it performs.

Shared by the access walk (tests/rehab/test_access.py) and the confidentiality walk
(tests/assessments/test_confidentiality.py).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

# url name -> (what the URL needs, the action it performs)
#   public:   open to anonymous visitors
#   signed_in: any signed-in user
#   list:     no object; allowed where the user holds the action in some facility
#   inmate / batch: an object of a facility; 404 for strangers, 403 without the action
ROUTES: dict[str, tuple[str, str | None]] = {
    "login": ("public", None),
    "set_language": ("public", None),
    "healthz": ("public", None),
    "logout": ("signed_in", None),
    "today": ("signed_in", None),
    "self_grant_acknowledge": ("list", "membership.review_self_grant"),
    "password_change": ("signed_in", None),
    "password_change_done": ("signed_in", None),
    "mfa_verify": ("signed_in", None),
    "mfa_settings": ("signed_in", None),
    "mfa_enrol": ("signed_in", None),
    "mfa_recovery_codes": ("signed_in", None),
    "mfa_reset": ("list", "account.mfa_reset"),
    "inmates:list": ("list", "inmate.view"),
    "inmates:list_print": ("list", "inmate.view"),
    "inmates:list_export": ("list", "inmate.view"),
    "inmates:search_suggest": ("list", "inmate.view"),
    "inmates:create": ("list", "inmate.create"),
    "inmates:duplicate_check": ("list", "inmate.view"),
    "inmates:import": ("list", "inmate.import"),
    "inmates:import_preview": ("batch", "inmate.import"),
    "inmates:detail": ("inmate", "inmate.view"),
    "inmates:edit": ("inmate", "inmate.change"),
    "inmates:transfer": ("inmate", "inmate.transfer"),
    "inmates:release": ("inmate", "inmate.release"),
    "inmates:history": ("inmate", "inmate.history"),
    "accesslog:list": ("list", "accesslog.view"),
    "accesslog:print": ("list", "accesslog.view"),
    "accesslog:export": ("list", "accesslog.view"),
    "assessments:screening_create": ("inmate", "screening.record"),
    "assessments:screening_detail": ("screening", "screening.view"),
    "assessments:screening_pdf": ("screening", "screening.view"),
    "assessments:urine_create": ("inmate", "urine.record"),
    "assessments:urine_detail": ("urine", "health.view_result"),
    "assessments:urine_correct": ("urine", "urine.correct"),
    "assessments:urine_correction_confirm": ("urine_correction", "urine.correct"),
    "assessments:urine_correction_refuse": ("urine_correction", "urine.correct"),
    "assessments:health_create": ("inmate", "health.record"),
    "assessments:health_detail": ("health", "health.view_result"),
    "assessments:health_correct": ("health", "health.correct"),
    "assessments:reviews": ("inmate", "assessment.view"),
    "assessments:review_move": ("inmate", "review.move"),
    "assessments:assessment_create": ("inmate", "assessment.record"),
    "assessments:assessment_detail": ("assessment", "assessment.view"),
    "assessments:assessment_edit": ("assessment", "assessment.record"),
    "assessments:assessment_sign": ("assessment", "assessment.record"),
    "assessments:assessment_amend": ("assessment", "assessment.record"),
    "programs:cohort_list": ("list", "programme.view"),
    "programs:cohort_create": ("list", "programme.manage"),
    "programs:cohort_detail": ("cohort", "programme.view"),
    "programs:cohort_edit": ("cohort", "programme.manage"),
    "programs:schedule": ("cohort", "programme.manage"),
    "programs:cohort_enrol": ("cohort", "enrolment.manage"),
    "programs:approvals": ("list", "enrolment.approve"),
    "programs:propose_from_assessment": ("assessment", "enrolment.manage"),
    "programs:cohort_list_print": ("list", "programme.view"),
    "programs:cohort_list_export": ("list", "programme.view"),
    "programs:enrolment_list": ("list", "programme.view"),
    "programs:enrolment_list_print": ("list", "programme.view"),
    "programs:enrolment_list_export": ("list", "programme.view"),
    "programs:aftercare_list_print": ("list", "aftercare.view"),
    "programs:aftercare_list_export": ("list", "aftercare.view"),
    "programs:enrolment_detail": ("enrolment", "programme.view"),
    "programs:enrolment_move": ("enrolment", "enrolment.move"),
    "programs:enrolment_waive": ("enrolment", "completion.waive"),
    "programs:note_create": ("enrolment", "note.write"),
    "programs:note_edit": ("note", "note.write"),
    "programs:session_detail": ("session", "programme.view"),
    "programs:session_cancel": ("session", "programme.manage"),
    "programs:session_reschedule": ("session", "programme.manage"),
    "programs:phase_change": ("enrolment", "enrolment.manage"),
    "programs:tier_change": ("enrolment", "enrolment.move"),
    "programs:individual_session": ("enrolment", "programme.manage"),
    "programs:attendance_sheet": ("session", "programme.view"),
    "programs:schedule_pdf": ("cohort", "programme.view"),
    "programs:certificate": ("completed_enrolment", "programme.view"),
    "programs:release_list": ("list", "release.view"),
    "programs:release_plan": ("inmate", "release.view"),
    "programs:handover_letter": ("inmate", "release.view"),
    "programs:aftercare_list": ("list", "aftercare.view"),
    "programs:aftercare_record": ("aftercare", "aftercare.view_outcome"),
    "reports:archive": ("list", "report.view"),
    "reports:detail": ("report", "report.view"),
    "reports:regenerate": ("report", "report.generate"),
    "reports:sign": ("report", "report.sign"),
    "reports:download": ("report", "report.view"),
    "reports:recap": ("report", "report.recap"),
    "reports:rollup": ("list", "report.rollup"),
    "reports:rollup_pdf": ("list", "report.rollup"),
    "programs:course_list": ("list", "course.view"),
    "programs:course_create": ("list", "course.manage"),
    "programs:course_detail": ("course", "course.view"),
    "programs:course_edit": ("course", "course.manage"),
    "programs:course_schedule": ("course", "course.manage"),
    "programs:course_enrol": ("course", "course.manage"),
    "programs:meeting_detail": ("meeting", "course.view"),
    "programs:meeting_reschedule": ("meeting", "course.manage"),
    "programs:meeting_cancel": ("meeting", "course.manage"),
    "programs:trainee_move": ("trainee", "course.manage"),
    "programs:trainee_complete": ("trainee", "course.manage"),
    "programs:trainee_waive": ("trainee", "completion.waive"),
    "programs:course_certificate": ("certified_trainee", "course.view"),
}
WRITE_ROUTES = {
    "self_grant_acknowledge",
    "mfa_reset",
    "reports:regenerate",
    "reports:sign",
    "programs:course_create",
    "programs:course_edit",
    "programs:course_schedule",
    "programs:course_enrol",
    "programs:trainee_move",
    "programs:trainee_complete",
    "programs:trainee_waive",
    "programs:enrolment_waive",
    "programs:phase_change",
    "programs:tier_change",
    "programs:session_cancel",
    "programs:session_reschedule",
    "programs:propose_from_assessment",
    "programs:meeting_reschedule",
    "programs:meeting_cancel",
    "programs:individual_session",
    "programs:cohort_create",
    "programs:cohort_edit",
    "programs:schedule",
    "programs:cohort_enrol",
    "programs:approvals",
    "programs:enrolment_move",
    "programs:note_create",
    "programs:note_edit",
    "assessments:screening_create",
    "assessments:urine_create",
    "assessments:health_create",
    "assessments:assessment_create",
    "assessments:assessment_edit",
    "assessments:assessment_sign",
    "assessments:assessment_amend",
    "assessments:urine_correct",
    "assessments:urine_correction_refuse",
    "assessments:health_correct",
    "assessments:review_move",
    "inmates:create",
    "inmates:import",
    "inmates:import_preview",
    "inmates:edit",
    "inmates:transfer",
    "inmates:release",
}


POST_ONLY = {
    "self_grant_acknowledge",
    "reports:regenerate",
    "reports:sign",
    "logout",
    "mfa_recovery_codes",
    "assessments:assessment_sign",
    "assessments:urine_correction_confirm",
    "programs:enrolment_move",
    "programs:enrolment_waive",
    "programs:session_cancel",
    "programs:meeting_cancel",
    "programs:propose_from_assessment",
    "programs:phase_change",
    "programs:trainee_move",
}


OBJECT_KINDS = {
    "course",
    "meeting",
    "trainee",
    "certified_trainee",  # the certificate exists only for a trainee found competent
    "screening",
    "urine",
    "urine_correction",
    "health",
    "assessment",
    "cohort",
    "enrolment",
    "completed_enrolment",  # the certificate exists only once the programme is completed
    "session",
    "note",
    "aftercare",
    "report",
}


def route_url(name: str, kind: str, objects: dict[str, Any], which: str = "own") -> str:
    if kind == "inmate":
        return reverse(name, args=[objects["inmate"][which].pk])
    if kind == "batch":
        return reverse(name, kwargs={"batch_id": objects["batch"][which].pk})
    if name == "reports:download":
        return reverse(name, args=[objects[kind][which].pk, "pdf"])
    if kind in OBJECT_KINDS:
        return reverse(name, args=[objects[kind][which].pk])
    return reverse(name)
