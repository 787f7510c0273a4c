"""WBP records: list and search, case file, create and edit, transfer, release, history, import."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from inmates import accesslog, listing, matching, selectors, services
from inmates.casefile import case_file
from inmates.forms import (
    CaseArticleFormSet,
    FilterForm,
    ImportForm,
    InmateForm,
    ReleaseForm,
    TableFormSetHelper,
    TransferAcceptForm,
    TransferForm,
    TransferRefuseForm,
    article_rows,
    filter_summary,
)
from inmates.models import (
    CaseArticle,
    CustodyEvent,
    CustodyStatus,
    ImportBatch,
    Inmate,
    OutsideTransfer,
    Transfer,
    TransferState,
)
from rehab import access, audit, privacy, versions
from rehab.models import Facility
from rehab.pdf import page_size, pdf_response
from rehab.sections import Section
from rehab.sections import today as today_sections

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _get_inmate(request: HttpRequest, pk: int, action: str) -> Inmate:
    return access.get_for_user(
        request.user, Inmate.objects.select_related("facility"), action, pk=pk
    )


class _List:
    """The WBP list as the request asks for it: filter form, rows, and the columns shown."""

    def __init__(self, request: HttpRequest) -> None:
        self.facility_ids = access.require_somewhere(request.user, "inmate.view")
        self.columns = listing.shown_columns(request.user)
        facilities = Facility.objects.filter(pk__in=self.facility_ids)
        self.form = FilterForm(
            request.GET or None, facilities=facilities, extra_filters=self.columns
        )
        inmates: QuerySet[Inmate] = Inmate.objects.filter(facility_id__in=self.facility_ids)
        inmates = listing.with_columns(inmates.select_related("facility"), self.columns)
        if self.form.is_valid():
            inmates = _filtered(inmates, self.form.cleaned_data)
            inmates = listing.filtered_by_columns(inmates, self.columns, self.form.cleaned_data)
        self.inmates = inmates

    def summary(self) -> str:
        return filter_summary(self.form) if self.form.is_valid() else ""


@require_GET
def inmate_list(request: HttpRequest) -> TemplateResponse:
    """List, filter and search the WBP of the user's facilities; htmx asks for the results."""
    wbp = _List(request)
    context = {
        "form": wbp.form,
        "page": Paginator(wbp.inmates, PAGE_SIZE).get_page(request.GET.get("page")),
        "columns": [c for c in wbp.columns if c.column.on_screen],
        "show_facility": len(wbp.facility_ids) > 1,
        "can_create": bool(access.facility_ids_for(request.user, "inmate.create")),
        "can_import": bool(access.facility_ids_for(request.user, "inmate.import")),
        "query_string": _without_page(request),
    }
    template = "inmates/list.html#results" if _is_htmx(request) else "inmates/list.html"
    return TemplateResponse(request, template, context)


@require_GET
def inmate_list_print(request: HttpRequest) -> TemplateResponse:
    """The filtered list on paper: every row (up to a limit), no menus."""
    wbp = _List(request)
    limit = settings.LIST_PRINT_MAX_ROWS
    inmates = list(wbp.inmates[: limit + 1])
    header, rows = listing.table(inmates[:limit], wbp.columns)
    _log_download(request, wbp, inmates[:limit], "inmate.list.print")
    context = {
        "header": header,
        "rows": rows,
        "cut": len(inmates) > limit,
        "limit": limit,
        "summary": wbp.summary(),
        "query_string": _without_page(request),
    }
    return TemplateResponse(request, "inmates/list_print.html", context)


@require_GET
def inmate_list_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as an XLSX file; every export is written to the access log."""
    wbp = _List(request)
    inmates = list(wbp.inmates[: settings.LIST_EXPORT_MAX_ROWS])
    header, rows = listing.table(inmates, wbp.columns)
    content = listing.xlsx(header, rows, by=request.user, filters=wbp.summary())
    _log_download(request, wbp, inmates, "inmate.list.xlsx")
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="daftar-wbp-{stamp}.xlsx"'
    return response


def _log_download(request: HttpRequest, wbp: _List, inmates: list[Inmate], action: str) -> None:
    """Write one access-log row per facility whose WBP left on paper or in a file."""
    per_facility = Counter(inmate.facility_id for inmate in inmates)
    columns = ", ".join(str(c.label) for c in wbp.columns)
    rows = []
    for facility_id in sorted(per_facility) or wbp.facility_ids[:1]:
        detail = "; ".join(
            part for part in (f"{per_facility[facility_id]} WBP", columns, wbp.summary()) if part
        )
        rows.append((facility_id, action, detail))
    audit.log_access_many(user=request.user, rows=rows)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _filtered(inmates: Any, data: dict[str, Any]) -> Any:
    if data.get("q"):
        inmates = inmates.search(data["q"])
    for name in ("status", "register_class", "facility"):
        if data.get(name):
            inmates = inmates.filter(**{name: data[name]})
    if data.get("block"):
        inmates = inmates.filter(block__iexact=data["block"].strip())
    return inmates


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
def search_suggest(request: HttpRequest) -> TemplateResponse:
    """Suggest WBP for the navbar search as the user types: the closest few, then "see all"."""
    facility_ids = access.require_somewhere(request.user, "inmate.view")
    text = " ".join(request.GET.get("q", "")[: settings.SEARCH_MAX_CHARS].split())
    if len(text) < settings.SEARCH_MIN_CHARS:
        text = ""  # too short to mean anything: no suggestions, the box stays closed
    limit = settings.SEARCH_SUGGESTIONS
    found = list(selectors.quick_search(facility_ids, text)[: limit + 1]) if text else []
    context = {
        "q": text,
        "found": found[:limit],
        "more": len(found) > limit,
        "show_facility": len(facility_ids) > 1,
    }
    return TemplateResponse(request, "inmates/_search_suggestions.html", context)


@require_GET
def inmate_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """Show the case file: identity and custody on top, the timeline below."""
    inmate = _get_inmate(request, pk, "inmate.view")
    events = CustodyEvent.objects.filter(inmate=inmate).select_related("to_facility", "recorded_by")
    can_see_access = access.can(request.user, "accesslog.view", inmate.facility_id)
    access_rows = (
        accesslog.of_inmate(inmate, access.facility_ids_for(request.user, "accesslog.view"))
        if can_see_access
        else []
    )
    context = {
        "inmate": inmate,
        "articles": list(inmate.articles.all()),
        "events": list(events),
        # Hand-overs to another UPT (sent from this record) and the one this record came from.
        "transfers": list(
            Transfer.objects.filter(Q(inmate=inmate) | Q(received=inmate)).select_related(
                "facility", "from_facility"
            )
        ),
        # A move out of rehab: read only for a WBP who left (no query for the others).
        "outside_transfers": list(inmate.outside_transfers.all())
        if inmate.status == CustodyStatus.TRANSFERRED
        else [],
        "history": list(audit.history_of(inmate)[:5]),
        "can_change": inmate.status != CustodyStatus.TRANSFERRED
        and access.can(request.user, "inmate.change", inmate.facility_id),
        "can_transfer": access.can(request.user, "inmate.transfer", inmate.facility_id),
        "can_release": access.can(request.user, "inmate.release", inmate.facility_id),
        "can_subject_access": access.can(request.user, "inmate.subject_access", inmate.facility_id),
        "sections": case_file.build(request, inmate),
        # Who read this WBP's restricted data or took it away: the warden and supervisors.
        "can_see_access": can_see_access,
        "access_rows": access_rows[: accesslog.CASE_FILE_ROWS],
        "more_access": len(access_rows) > accesslog.CASE_FILE_ROWS,
        # The person's other admissions, each with what the later apps show of it.
        "episodes": [
            (episode, case_file.build(request, episode))
            for episode in selectors.episode_chain(request.user, inmate)
        ],
    }
    return TemplateResponse(request, "inmates/detail.html", context)


@require_http_methods(["GET", "POST"])
def inmate_create(request: HttpRequest) -> HttpResponse:
    """Register a WBP by hand, warning first about records that look the same."""
    facility_ids = access.require_somewhere(request.user, "inmate.create")
    facilities = Facility.objects.filter(pk__in=facility_ids)
    form = InmateForm(request.POST or None, facilities=facilities)
    formset = CaseArticleFormSet(request.POST or None, prefix="articles")
    duplicates: list[Inmate] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        duplicates = _unconfirmed_duplicates(request, form)
        if not duplicates:
            try:
                inmate = services.inmate_create(
                    facility=form.cleaned_data["facility"],
                    by=request.user,
                    data=form.model_data(),
                    articles=article_rows(formset),
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("Data WBP %(name)s tersimpan.") % {"name": inmate})
                return redirect(inmate)
        form = _with_confirmation(request, form, facilities, duplicates)
    context = {
        "form": form,
        "formset": formset,
        "formset_helper": TableFormSetHelper(),
        "duplicates": duplicates,
        "inmate": None,
    }
    return TemplateResponse(request, "inmates/form.html", context)


def _unconfirmed_duplicates(request: HttpRequest, form: InmateForm) -> list[Inmate]:
    if request.POST.get("confirm_duplicate"):
        return []
    data = form.cleaned_data
    return selectors.possible_duplicates(
        request.user,
        nik=data.get("nik", ""),
        full_name=data.get("full_name", ""),
        birth_date=data.get("birth_date"),
        exclude_pk=form.instance.pk,
    )


def _with_confirmation(
    request: HttpRequest, form: InmateForm, facilities: Any, duplicates: list[Inmate]
) -> InmateForm:
    """Rebuild the bound form with the 'save anyway' box when duplicates were found."""
    if not duplicates:
        return form
    confirmed = InmateForm(
        request.POST,
        instance=form.instance if form.instance.pk else None,
        facilities=facilities,
        show_duplicate=True,
    )
    confirmed.is_valid()
    return confirmed


@require_http_methods(["GET", "POST"])
def inmate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a WBP record; a save over someone else's newer save is refused (409), not lost."""
    inmate = _get_inmate(request, pk, "inmate.change")
    if inmate.status == CustodyStatus.TRANSFERRED:
        # Handed over: the record here is history, read-only; the destination keeps its own.
        messages.error(request, _("WBP ini sudah dipindahkan; catatannya di sini hanya dibaca."))
        return redirect(inmate)
    articles = CaseArticle.objects.filter(inmate=inmate)
    form = InmateForm(request.POST or None, instance=inmate, facilities=Facility.objects.none())
    formset = CaseArticleFormSet(
        request.POST or None, instance=inmate, prefix="articles", queryset=articles
    )
    duplicates: list[Inmate] = []
    # Checked before the articles: a newer save replaced the article rows this form names.
    if request.method == "POST" and form.is_valid() and form.is_stale():
        return _conflicted(request, form, inmate)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        duplicates = _unconfirmed_duplicates(request, form)
        if not duplicates:
            try:
                changes = services.inmate_update(
                    inmate=inmate,
                    by=request.user,
                    data=form.model_data(),
                    articles=article_rows(formset),
                    expected_version=form.expected_version,
                )
            except versions.EditConflict:
                return _conflicted(request, form, inmate)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                if changes:
                    messages.success(request, _("Perubahan tersimpan."))
                else:
                    messages.info(request, _("Tidak ada yang berubah."))
                return redirect(inmate)
        else:
            form = _with_confirmation(request, form, Facility.objects.none(), duplicates)
    context = {
        "form": form,
        "formset": formset,
        "formset_helper": TableFormSetHelper(),
        "duplicates": duplicates,
        "inmate": inmate,
    }
    return TemplateResponse(request, "inmates/form.html", context)


def _conflicted(request: HttpRequest, form: InmateForm, inmate: Inmate) -> TemplateResponse:
    """Refuse a stale save: keep what was typed, name who saved in between, show what is stored.

    The typed articles come back as new rows: the rows the form named were replaced by the
    newer save, and a save replaces all of them anyway.
    """
    inmate.refresh_from_db()
    stored = ", ".join(str(a) for a in inmate.articles.all()) or "—"
    form.mark_conflict(inmate, extra={_("Pasal perkara"): stored})
    data = request.POST.copy()
    data["articles-INITIAL_FORMS"] = "0"
    for key in [k for k in data if k.startswith("articles-") and k.endswith(("-id", "-inmate"))]:
        del data[key]
    formset = CaseArticleFormSet(
        data, instance=inmate, prefix="articles", queryset=CaseArticle.objects.none()
    )
    context = {
        "form": form,
        "formset": formset,
        "formset_helper": TableFormSetHelper(),
        "duplicates": [],
        "inmate": inmate,
    }
    return TemplateResponse(request, "inmates/form.html", context, status=409)


@require_http_methods(["GET", "POST"])
def inmate_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that a WBP moved to another UPT: one in rehab (waiting for its acceptance) or,
    chosen explicitly, one outside rehab (the episode ends here, with a hand-over PDF)."""
    inmate = _get_inmate(request, pk, "inmate.transfer")
    form = TransferForm(request.POST or None, inmate=inmate)
    if request.method == "POST" and form.is_valid():
        try:
            message = _record_transfer(request, inmate, form)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        except services.InvalidTransition as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, message)
            return redirect(inmate)
    return TemplateResponse(
        request,
        "inmates/custody_form.html",
        {"inmate": inmate, "form": form, "title": _("Pindah UPT")},
    )


def _record_transfer(request: HttpRequest, inmate: Inmate, form: TransferForm) -> str:
    data = form.cleaned_data
    common = {"inmate": inmate, "by": request.user, "on": data["on"], "reason": data["reason"],
              "letter_number": data["letter_number"]}  # fmt: skip
    if form.outside:
        services.inmate_transfer_outside(
            **common, upt_name=data["upt_name"], upt_town=data["upt_town"],
            upt_address=data["upt_address"],
        )  # fmt: skip
        return _("Pemindahan ke %(upt)s tercatat; episode di UPT ini berakhir.") % {
            "upt": data["upt_name"]
        }
    services.inmate_transfer(**common, to_facility=data["to_facility"])
    return _("Pemindahan tercatat; menunggu penerimaan %(facility)s.") % {
        "facility": data["to_facility"]
    }


@require_GET
def handover_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The hand-over of a WBP moved out of rehab: the clinical version for the roles that may
    see health results, the general one for the others; logged."""
    transfer = access.get_for_user(
        request.user,
        OutsideTransfer.objects.select_related("inmate", "facility"),
        "inmate.view",
        pk=pk,
    )
    clinical = access.can(request.user, "health.view_result", transfer.facility_id)
    stored = transfer.clinical_handover if clinical else transfer.handover
    if stored and stored.storage.exists(stored.name) and "size" not in request.GET:
        with stored.open("rb") as handle:
            content = handle.read()
    else:  # another paper, or a file the commit could not write: laid out again
        size = page_size(request, transfer.facility)
        content = services.handover_pdf(transfer, clinical=clinical, page_size=size)
    number = transfer.inmate.registration_number.replace("/", "-")
    name = f"serah-terima-pindah-{number}{'-klinis' if clinical else ''}.pdf"
    return pdf_response(
        content, name, user=request.user, facility=transfer.facility, target=transfer
    )


@require_http_methods(["GET", "POST"])
def inmate_release(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the release of a WBP."""
    inmate = _get_inmate(request, pk, "inmate.release")
    form = ReleaseForm(request.POST or None, inmate=inmate)
    if request.method == "POST" and form.is_valid():
        try:
            services.inmate_release(
                inmate=inmate,
                by=request.user,
                on=form.cleaned_data["on"],
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
            )
        except services.InvalidTransition as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Pembebasan tercatat."))
            return redirect(inmate)
    return TemplateResponse(
        request,
        "inmates/custody_form.html",
        {"inmate": inmate, "form": form, "title": _("Bebaskan")},
    )


@require_GET
def inmate_history(request: HttpRequest, pk: int) -> TemplateResponse:
    """Show every change to a WBP record: who, when and what."""
    inmate = _get_inmate(request, pk, "inmate.history")
    page = Paginator(audit.history_of(inmate), 50).get_page(request.GET.get("page"))
    return TemplateResponse(request, "inmates/history.html", {"inmate": inmate, "page": page})


@require_GET
def duplicate_check(request: HttpRequest) -> TemplateResponse:
    """Answer the form's htmx probe with records that look like the one being typed."""
    access.require_somewhere(request.user, "inmate.view")
    # The probe fires on every change: a pasted novel must not become a LIKE over every name.
    get = {
        name: request.GET.get(name, "")[: settings.SEARCH_MAX_CHARS]
        for name in ("nik", "full_name", "birth_date", "exclude")
    }
    duplicates = selectors.possible_duplicates(
        request.user,
        nik=get["nik"].strip(),
        full_name=get["full_name"],
        birth_date=matching.parse_typed_date(get["birth_date"]),
        exclude_pk=int(get["exclude"]) if get["exclude"].isdigit() else None,
    )
    return TemplateResponse(request, "inmates/_duplicates.html", {"duplicates": duplicates})


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Take an SDP export and show what it would change; nothing is saved yet."""
    facility_ids = access.require_somewhere(request.user, "inmate.import")
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        facilities=Facility.objects.filter(pk__in=facility_ids),
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = services.import_batch_create(
            facility=form.cleaned_data["facility"],
            by=request.user,
            file_name=upload.name,
            content=form.content,
        )
        return redirect("inmates:import_preview", batch_id=batch.pk)
    return TemplateResponse(request, "inmates/import_upload.html", {"form": form})


@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Show new, changed, unchanged and invalid rows; apply only a clean file."""
    batch = access.get_for_user(
        request.user, ImportBatch.objects.select_related("facility"), "inmate.import", pk=batch_id
    )
    status = 200
    if request.method == "POST" and batch.applied_at is None:
        try:
            preview = services.import_apply(
                batch=batch, by=request.user, expected=request.POST.get("plan", "")[:64]
            )
        except services.ImportChanged as error:
            messages.error(request, error.message)
            status = 409
        except services.ImportNotClean as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Impor selesai: %(new)d baru, %(updated)d diperbarui, %(same)d tidak berubah.")
                % {
                    "new": len(preview.new),
                    "updated": len(preview.updated),
                    "same": len(preview.unchanged),
                },
            )
            if preview.added:
                messages.info(
                    request,
                    _("Jadwal sidang dicatat untuk %(n)d WBP.") % {"n": len(preview.added)},
                )
            return redirect("inmates:list")
    preview = services.import_preview(
        facility=batch.facility, file_name=batch.file_name, content=bytes(batch.content)
    )
    groups = {"invalid": preview.invalid, "updated": preview.updated, "new": preview.new}
    shown = request.GET.get("rows", "")
    if shown not in groups:
        shown = next((name for name, rows in groups.items() if rows), "new")
    page = Paginator(groups[shown], settings.IMPORT_PREVIEW_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "batch": batch,
        "preview": preview,
        "shown": shown,
        "page": page,
        "cell_chars": settings.IMPORT_PREVIEW_CELL_CHARS,
    }
    return TemplateResponse(request, "inmates/import_preview.html", context, status=status)


@today_sections.register(order=50)
def custody_today(request: HttpRequest, day: datetime.date) -> Section | None:
    """Custody figures of the user's facilities (the releases themselves: programs' section)."""
    facility_ids = access.facility_ids_for(request.user, "custody.today")
    if not facility_ids:
        return None
    soon = day + datetime.timedelta(days=30)
    in_custody = Q(inmates__status=CustodyStatus.IN_CUSTODY)
    figures = (
        Facility.objects.filter(pk__in=facility_ids)
        .annotate(
            in_custody=Count("inmates", filter=in_custody),
            admitted=Count(
                "inmates",
                filter=Q(inmates__admission_date__gt=day - datetime.timedelta(days=30)),
            ),
            releasing=Count(
                "inmates", filter=in_custody & Q(inmates__release_date__range=(day, soon))
            ),
        )
        .order_by("name")
    )
    return Section(
        "inmates/_today.html",
        {
            "figures": figures,
            "can_create": bool(access.facility_ids_for(request.user, "inmate.create")),
        },
    )


def _transfer(request: HttpRequest, pk: int, action: str) -> Transfer:
    """A transfer to one of the user's facilities (the receiving UPT owns it)."""
    return access.get_for_user(
        request.user,
        Transfer.objects.select_related(
            "inmate__facility", "from_facility", "facility", "received"
        ),
        action,
        pk=pk,
    )


def _transfer_page(
    request: HttpRequest,
    transfer: Transfer,
    accept: TransferAcceptForm | None = None,
    refuse: TransferRefuseForm | None = None,
) -> TemplateResponse:
    can_decide = transfer.state == TransferState.PENDING and access.can(
        request.user, "transfer.receive", transfer.facility_id
    )
    context = {
        "transfer": transfer,
        "origin": transfer.inmate,
        "summary": services.incoming_summary(
            transfer.inmate, lambda action: access.can(request.user, action, transfer.facility_id)
        ),
        "can_decide": can_decide,
        "accept_form": accept or TransferAcceptForm(),
        "refuse_form": refuse or TransferRefuseForm(),
    }
    return TemplateResponse(request, "inmates/transfer_detail.html", context)


@require_GET
def transfer_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """The hand-over of a WBP coming from another UPT: who, why, where the programme stands."""
    transfer = _transfer(request, pk, "inmate.view")
    audit.log_access(
        user=request.user, facility=transfer.facility_id, action="transfer.read", target=transfer
    )
    return _transfer_page(request, transfer)


@require_http_methods(["POST"])
def transfer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Take the WBP in: a new record here, linked to the origin's."""
    transfer = _transfer(request, pk, "transfer.receive")
    form = TransferAcceptForm(request.POST)
    if form.is_valid():
        try:
            received = services.transfer_accept(
                transfer=transfer, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        except services.InvalidTransition as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(name)s diterima dari %(facility)s.")
                % {"name": received.full_name, "facility": transfer.from_facility},
            )
            return redirect(received)
    return _transfer_page(request, transfer, accept=form)


@require_http_methods(["POST"])
def transfer_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    """Refuse the hand-over, with the reason; the WBP stays with the origin."""
    transfer = _transfer(request, pk, "transfer.receive")
    form = TransferRefuseForm(request.POST)
    if form.is_valid():
        try:
            services.transfer_refuse(
                transfer=transfer, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("reason", error.message_dict.get("reason", [str(error)])[0])
        except services.InvalidTransition as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Pemindahan ditolak; UPT asal diberi tahu."))
            return redirect("today")
    return _transfer_page(request, transfer, refuse=form)


@today_sections.register(order=45)
def transfers_today(request: HttpRequest, day: datetime.date) -> Section | None:
    """Transfers waiting for the user's facilities to accept, and those sent and not yet taken."""
    incoming_ids = access.facility_ids_for(request.user, "inmate.view")
    if not incoming_ids:
        return None
    pending = list(
        Transfer.objects.filter(
            Q(facility_id__in=incoming_ids) | Q(from_facility_id__in=incoming_ids),
            state=TransferState.PENDING,
        ).select_related("inmate", "from_facility", "facility")[:40]
    )  # one query for both directions
    incoming = [t for t in pending if t.facility_id in incoming_ids]
    outgoing = [t for t in pending if t.from_facility_id in incoming_ids]
    if not incoming and not outgoing:
        return None
    return Section("inmates/_today_transfers.html", {"incoming": incoming, "outgoing": outgoing})


@require_GET
def inmate_subject_access(request: HttpRequest, pk: int) -> HttpResponse:
    """Download everything held about the WBP (UU PDP subject access): data.json and a PDF
    summary in one ZIP, for the warden; recorded in the history and the access log."""
    inmate = _get_inmate(request, pk, "inmate.subject_access")
    result = privacy.export(
        inmate,
        by=request.user,
        facility_ids=set(access.facility_ids_for(request.user, "inmate.subject_access")),
        channel="web",
        # health results and notes only for who may read them; the server's command has all
        clinical=access.can(request.user, "health.view_result", inmate.facility_id)
        and access.can(request.user, "note.view", inmate.facility_id),
    )
    response = HttpResponse(result.zip_bytes, content_type="application/zip")
    response["Content-Disposition"] = (
        content_disposition_header(True, f"{privacy.file_stem(inmate)}.zip") or "attachment"
    )
    response["Cache-Control"] = "private, no-store"
    return response
