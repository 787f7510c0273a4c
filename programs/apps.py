from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Program Rehabilitasi")

    def ready(self) -> None:
        from programs import notifications as programme_notifications
        from rehab import notifications

        for gatherer in (
            programme_notifications.aftercare_due,
            programme_notifications.releases_soon,
            programme_notifications.approvals_waiting,
            programme_notifications.sessions_changed,
        ):
            notifications.register(gatherer)
        from inmates.services import (
            register_handover_step,
            register_import_extra,
            register_readmission_step,
            register_release_step,
            register_transfer_accept_step,
            register_transfer_out_step,
            register_transfer_summary,
        )
        from programs.aftercare import views as aftercare_views  # noqa: F401  register page sections
        from programs.aftercare.services import (
            readmission_closes_follow_ups,
            release_consequences,
            transfer_ends_programmes,
            transfer_out_ends_programmes,
        )
        from programs.scheduling import views as scheduling_views  # noqa: F401
        from programs.scheduling.court_import import COURT_HEARINGS
        from programs.skills import views as skills_views  # noqa: F401
        from programs.tiers import views  # noqa: F401
        from programs.tiers.services import handover_summary, transfer_summary
        from rehab.audit import register_access_labels, register_action_labels

        register_release_step(release_consequences)
        register_readmission_step(readmission_closes_follow_ups)
        register_transfer_summary(transfer_summary)
        register_transfer_accept_step(transfer_ends_programmes)
        register_transfer_out_step(transfer_out_ends_programmes)
        register_handover_step(handover_summary)
        register_import_extra(COURT_HEARINGS)
        from programs.scheduling.holidays import facility_setup
        from rehab.services import register_facility_setup

        register_facility_setup(facility_setup)
        register_access_labels(
            {
                "notes.read": _("Membuka catatan konseling"),
                "aftercare.view": _("Membuka hasil pemantauan pascarehabilitasi"),
                "programs.cohort.list.print": _("Mencetak daftar angkatan"),
                "programs.cohort.list.xlsx": _("Mengekspor daftar angkatan (XLSX)"),
                "programs.enrolment.list.print": _("Mencetak daftar peserta program"),
                "programs.enrolment.list.xlsx": _("Mengekspor daftar peserta program (XLSX)"),
                "programs.aftercare.list.print": _("Mencetak daftar pemantauan pascarehabilitasi"),
                "programs.aftercare.list.xlsx": _(
                    "Mengekspor daftar pemantauan pascarehabilitasi (XLSX)"
                ),
            }
        )
        register_action_labels(
            {
                "programs.enrolment.proposed": _("Diusulkan ke program"),
                "programs.enrolment.placed": _("Ditempatkan di program"),
                "programs.enrolment.waitlisted": _("Masuk daftar tunggu program"),
                "programs.enrolment.active": _("Mulai program"),
                "programs.enrolment.completed": _("Selesai program"),
                "programs.enrolment.dropped_out": _("Putus program"),
                "programs.enrolment.changed": _("Pindah tingkat"),
                "programs.enrolment.rejected": _("Usulan program ditolak"),
                "programs.note.saved": _("Catatan perkembangan disimpan"),
                "programs.note.signed": _("Catatan perkembangan ditandatangani"),
                "programs.note.amended": _("Catatan perkembangan dikoreksi"),
                "programs.enrolment.phase": _("Fase TC diubah"),
                "programs.session.planned": _("Sesi individu dijadwalkan"),
                "programs.block.created": _("Jadwal pribadi WBP dicatat"),
                "programs.block.updated": _("Jadwal pribadi WBP diubah"),
                "programs.block.cancelled": _("Jadwal pribadi WBP dibatalkan"),
                "programs.separation.created": _("Pasangan WBP harus dipisah dicatat"),
                "programs.separation.ended": _("Pemisahan WBP diakhiri"),
                "programs.speaker.created": _("Fasilitator dicatat"),
                "programs.speaker.updated": _("Fasilitator diubah"),
                "programs.room.created": _("Ruang dicatat"),
                "programs.room.updated": _("Ruang diubah"),
                "programs.hours_period.created": _("Jam sesi khusus ditambahkan"),
                "programs.hours_period.updated": _("Jam sesi khusus (Ramadan) diubah"),
                "programs.trainee.left": _("Keluar dari pelatihan keterampilan"),
                "programs.course.created": _("Pelatihan keterampilan dibuat"),
                "programs.course.updated": _("Pelatihan keterampilan diubah"),
                "programs.cohort.updated": _("Angkatan diubah"),
                "programs.course.scheduled": _("Pertemuan pelatihan dijadwalkan"),
                "programs.course_attendance.saved": _("Kehadiran pelatihan dicatat"),
                "programs.trainee.enrolled": _("Terdaftar di pelatihan keterampilan"),
                "programs.trainee.waitlisted": _("Masuk daftar tunggu pelatihan keterampilan"),
                "programs.trainee.offered": _("Ditawari tempat di pelatihan keterampilan"),
                "programs.trainee.accepted": _("Menerima tempat di pelatihan keterampilan"),
                "programs.trainee.declined": _("Menolak tempat di pelatihan keterampilan"),
                "programs.trainee.completed": _("Selesai pelatihan keterampilan"),
                "programs.completion.waived": _("Syarat kehadiran dikecualikan"),
                "programs.release_plan.saved": _("Rencana pembebasan disimpan"),
                "programs.aftercare.scheduled": _("Jadwal pemantauan pascarehabilitasi dibuat"),
                "programs.aftercare.recorded": _("Pemantauan pascarehabilitasi dicatat"),
                "programs.aftercare.closed_readmitted": _(
                    "Pemantauan pascarehabilitasi ditutup: kembali ditahan"
                ),
            }
        )
