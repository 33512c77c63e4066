"""Staff pages of training and MCLE.

Every member of staff (each is a deputy reporting MCLE hours) sees the upcoming sessions,
registers, and opens their own transcript and certificates. JTI roles manage courses, sessions
and attendance and see anyone's transcript and the office-wide compliance view; another
person's transcript or certificate answers 404 to everyone else."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from integrity.training import selectors, services
from integrity.training.forms import AttendanceForm, ComplianceFilterForm, CourseForm, SessionCancelForm, SessionForm
from integrity.training.models import Attendance, Course
from jcr.core.access import staff

VIEW_COMPLIANCE = selectors.VIEW_COMPLIANCE
ADD_ATTENDANCE = "integrity.add_attendance"
DELETE_ATTENDANCE = "integrity.delete_attendance"
ADD_COURSE = "integrity.add_course"
ADD_SESSION = "integrity.add_trainingsession"
CHANGE_COURSE = services.CHANGE_COURSE
CHANGE_SESSION = services.CHANGE_SESSION


@staff()
@require_GET
def training_session_list_view(request: HttpRequest) -> HttpResponse:
    sessions = selectors.session_list_upcoming(user=request.user)
    return render(
        request,
        "integrity/training/session_list.html",
        {
            "sessions": sessions,
            "can_manage": request.user.has_perm(ADD_ATTENDANCE),
            "recent": selectors.session_list_recent() if request.user.has_perm(ADD_ATTENDANCE) else [],
            "can_add": request.user.has_perm(ADD_COURSE),
            "can_see_compliance": request.user.has_perm(VIEW_COMPLIANCE),
            "courses": list(Course.objects.filter(is_active=True)) if request.user.has_perm(ADD_SESSION) else [],
            "can_change_course": request.user.has_perm(CHANGE_COURSE),
            "inactive_courses": (
                list(Course.objects.filter(is_active=False)) if request.user.has_perm(CHANGE_COURSE) else []
            ),
            "can_change_session": request.user.has_perm(CHANGE_SESSION),
        },
    )


@staff()
@require_POST
def training_session_register_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    session = selectors.session_get(public_id=public_id)
    try:
        services.session_register(session=session, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You are registered for %(course)s.") % {"course": session.course.title})
    return redirect("integrity:training_sessions")


@staff()
@require_POST
def training_session_unregister_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    session = selectors.session_get(public_id=public_id)
    services.session_unregister(session=session, user=request.user)
    messages.success(request, _("Your registration is cancelled."))
    return redirect("integrity:training_sessions")


@staff(ADD_ATTENDANCE)
@require_http_methods(["GET", "POST"])
def training_session_attendance_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    session = selectors.session_get(public_id=public_id)
    roster = selectors.session_roster(session=session)
    people = [r.user for r in roster["registrations"] if r.user_id not in roster["attended_ids"]]
    form = AttendanceForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.attendance_record(
                session=session, user_ids=form.cleaned_data["attendees"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Attendance recorded for %(count)s people.") % {"count": len(created)})
            return redirect("integrity:training_session_attendance", public_id=session.public_id)
    return render(
        request,
        "integrity/training/session_attendance.html",
        {
            "session": session,
            "form": form,
            "started": session.starts_at <= timezone.now(),
            "can_remove": request.user.has_perm(DELETE_ATTENDANCE),
            **roster,
        },
    )


@staff(ADD_COURSE)
@require_http_methods(["GET", "POST"])
def training_course_create_view(request: HttpRequest) -> HttpResponse:
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                provider=form.cleaned_data["provider"],
                credits=form.credits(),
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Course %(title)s created.") % {"title": course.title})
            return redirect("integrity:training_session_create", public_id=course.public_id)
    return render(request, "integrity/training/course_form.html", {"form": form})


@staff(ADD_SESSION)
@require_http_methods(["GET", "POST"])
def training_session_create_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    course = get_object_or_404(Course.objects.prefetch_related("credits"), public_id=public_id)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_create(
                course=course, actor=request.user, **{k: form.cleaned_data[k] for k in SessionForm.Meta.fields}
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Session scheduled."))
            return redirect("integrity:training_sessions")
    return render(request, "integrity/training/session_form.html", {"form": form, "course": course})


@staff(CHANGE_COURSE)
@require_http_methods(["GET", "POST"])
def training_course_edit_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    course = get_object_or_404(Course.objects.prefetch_related("credits"), public_id=public_id)
    form = CourseForm(request.POST or None, course=course)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_update(
                course=course,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                provider=form.cleaned_data["provider"],
                is_active=form.cleaned_data["is_active"],
                credits=form.credits(),
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Course %(title)s saved.") % {"title": form.cleaned_data["title"]})
            return redirect("integrity:training_sessions")
    return render(
        request,
        "integrity/training/course_form.html",
        {"form": form, "course": course, "attended_count": Attendance.objects.filter(session__course=course).count()},
    )


@staff(CHANGE_SESSION)
@require_http_methods(["GET", "POST"])
def training_session_edit_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    session = selectors.session_get(public_id=public_id)
    if session.is_cancelled:
        messages.error(request, _("This session was cancelled; it can no longer be changed."))
        return redirect("integrity:training_sessions")
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(
                session=session, actor=request.user, **{k: form.cleaned_data[k] for k in SessionForm.Meta.fields}
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Session saved."))
            return redirect("integrity:training_sessions")
    return render(
        request,
        "integrity/training/session_form.html",
        {"form": form, "course": session.course, "session": session},
    )


@staff(CHANGE_SESSION)
@require_http_methods(["GET", "POST"])
def training_session_cancel_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    session = selectors.session_get(public_id=public_id)
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(session=session, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The session was cancelled and those registered were told by e-mail."))
            return redirect("integrity:training_sessions")
    roster = selectors.session_roster(session=session)
    return render(
        request,
        "integrity/training/session_cancel.html",
        {"form": form, "session": session, **roster},
    )


def _transcript(request: HttpRequest, deputy) -> HttpResponse:
    if deputy.pk != request.user.pk:
        services.transcript_view_record(deputy=deputy, actor=request.user)
    attendances = selectors.transcript_of(user=deputy)
    versions = selectors.rule_set_versions()
    row = selectors.standings_bulk(users=[selectors.staff_members().get(pk=deputy.pk)], versions=versions)[0]
    return render(
        request,
        "integrity/training/transcript.html",
        {
            "deputy": deputy,
            "attendances": attendances,
            "external_credits": selectors.external_credits_of(user=deputy),
            "row": row,
            "rule_set": row.rule_set or selectors.rule_set_in_force(on=timezone.localdate(), versions=versions),
            "own": deputy.pk == request.user.pk,
            "days_left": row.standing.days_left(timezone.localdate()) if row.standing else None,
        },
    )


@staff()
@require_GET
def training_my_transcript_view(request: HttpRequest) -> HttpResponse:
    return _transcript(request, request.user)


@staff(object_scoped=True)
@require_GET
def training_transcript_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    deputy = selectors.deputy_get_for_staff(user=request.user, public_id=public_id)
    return _transcript(request, deputy)


@staff(object_scoped=True)
@require_GET
def training_certificate_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    attendance: Attendance = selectors.attendance_get_for_staff(user=request.user, public_id=public_id)
    credits = list(attendance.session.course.credits.all())
    return render(
        request,
        "integrity/training/certificate.html",
        {
            "attendance": attendance,
            "credits": credits,
            "total": selectors.hours_total(credits),
        },
    )


@staff(DELETE_ATTENDANCE)
@require_POST
def training_attendance_remove_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    attendance = get_object_or_404(Attendance.objects.select_related("session"), public_id=public_id)
    services.attendance_remove(attendance=attendance, actor=request.user)
    messages.success(request, _("Attendance removed."))
    return redirect("integrity:training_session_attendance", public_id=attendance.session.public_id)


@staff(VIEW_COMPLIANCE)
@require_GET
def training_compliance_view(request: HttpRequest) -> HttpResponse:
    versions = selectors.rule_set_versions()
    rule_set = selectors.rule_set_in_force(on=timezone.localdate(), versions=versions)
    groups = selectors.groups_current()
    form = ComplianceFilterForm(request.GET or None, groups=groups)
    rows = selectors.compliance_rows(versions=versions, groups=groups, **(form.filters() if form.is_bound else {}))
    return render(
        request,
        "integrity/training/compliance.html",
        {
            "form": form,
            "rows": rows,
            "short_count": sum(1 for r in rows if not r.compliant),
            "rule_set": rule_set,
            "today": timezone.localdate(),
        },
    )
