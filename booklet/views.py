"""Booklet pages: the list of workers with what is due, a worker's booklet (full and easy-read), the
phone page to record an observation, forms to add and change items, the audit trail, and the third party's
endorsement page. Reads and changes are audited; lookups go through the scoped selector."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import right_required
from core.errors import ApplicationError
from skills_matrix.models import EmployeeSkill, OrgSkill, SkillLevel

from . import charts, exports, forms, printing, selectors, services
from .audit import actor_from, audit_write
from .models import Endorsement, Evidence, Experience, Interview, PathwayStep

STAFF = ("booklet.view_all", "booklet.view_team")


def _open(request, staff_number: str, *, item: str = "booklet"):
    """The employee (404 outside the user's scope), the user's access, and the read written to the trail."""
    employee = selectors.booklet_employee_get(user=request.user, staff_number=staff_number)
    access = selectors.booklet_access(user=request.user, employee=employee)
    audit_write(actor=actor_from(request), employee=employee, action="read", item=item)
    return employee, access


@right_required(*STAFF)
def worker_list(request):
    """A supervisor's assigned workers (HR and administrators: everyone) with what is due for each."""
    # A supervisor's own booklet is under "Mon carnet", not among the workers they follow.
    tracker = selectors.interview_tracker(user=request.user, is_esat=request.tenant.kind == "esat", include_ok=True,
                                          search=request.GET.get("q", "").strip(),
                                          exclude_employee_id=request.user.employee_id)
    page = Paginator(tracker.rows, 25).get_page(request.GET.get("page"))
    counts = selectors.booklet_counts(staff_numbers=[r.staff_number for r in page.object_list])
    return render(request, "booklet/worker_list.html", {
        "page": page, "rows": [(row, counts[row.staff_number]) for row in page.object_list], "tracker": tracker,
        "overdue": tracker.overdue, "due_soon": tracker.due_soon,
        "search": request.GET.get("q", ""),
    })


@login_required
def my_booklet(request):
    if not request.user.employee_id:
        raise Http404
    return redirect("booklet:detail", staff_number=request.user.employee.staff_number)


def _context(request, employee, access):
    items = selectors.booklet_items(employee=employee, access=access)
    return {
        "employee": employee, "access": access, "items": items, "timeline": selectors.booklet_timeline(items),
        "levels": {lvl.value: lvl.label for lvl in SkillLevel.objects.all()},
        "scale": [lvl.value for lvl in SkillLevel.objects.all() if lvl.value > 0],
        "is_esat": getattr(request.tenant, "kind", "") == "esat",
    }


@login_required
def detail(request, staff_number: str):
    employee, access = _open(request, staff_number)
    return render(request, "booklet/detail.html", _context(request, employee, access))


@login_required
def easy_read(request, staff_number: str):
    """The FALC version: short sentences, pictures, large type, read aloud on a button."""
    employee, access = _open(request, staff_number, item="booklet easy-read")
    return render(request, "booklet/easy_read.html", _context(request, employee, access))


@login_required
def audit_trail(request, staff_number: str):
    employee = selectors.booklet_employee_get(user=request.user, staff_number=staff_number)
    access = selectors.booklet_access(user=request.user, employee=employee)
    if not access.audit:
        raise PermissionDenied
    audit_write(actor=actor_from(request), employee=employee, action="read", item="audit")
    return render(request, "booklet/audit.html", {"employee": employee, "access": access,
                                                  "entries": selectors.audit_entries(employee=employee)})


def _form_page(request, staff_number, form_class, template_title, save, form_kwargs=None, files=False, intro=""):
    employee = selectors.booklet_employee_get(user=request.user, staff_number=staff_number)
    access = selectors.booklet_access(user=request.user, employee=employee)
    kwargs = form_kwargs(employee, access) if form_kwargs else {}
    form = form_class(request.POST or None, request.FILES or None, **kwargs) if request.method == "POST" else \
        form_class(**kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                message = save(employee, form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, message)
            return redirect("booklet:detail", staff_number=employee.staff_number)
    return render(request, "booklet/form.html", {"employee": employee, "access": access, "form": form,
                                                 "title": template_title, "multipart": files, "intro": intro})


def _edit_page(request, staff_number, kind, item_id, form_class, title, update, message):
    """Change an item through its form pre-filled with it: 404 outside this booklet, 403 to whom may not
    change it (the rule of the removal and of the API's PATCH); ``update(actor, item, changes)`` audits."""
    model = DELETABLE[kind][0]
    employee = selectors.booklet_employee_get(user=request.user, staff_number=staff_number)
    item = get_object_or_404(model, employee=employee, pk=item_id)
    if not _may_change(kind, item, selectors.booklet_access(user=request.user, employee=employee), request.user):
        raise PermissionDenied
    initial = {}
    for name in form_class().fields:
        value = getattr(item, name)
        initial[name] = list(value.all()) if hasattr(value, "all") else value

    def save(employee, data):
        changes = dict(data)
        if "skills" in changes:
            changes["skill_ids"] = [s.pk for s in changes.pop("skills")]
        update(actor_from(request), item, changes)
        return message
    return _form_page(request, staff_number, form_class, title, save, form_kwargs=lambda e, a: {"initial": initial},
                      intro=getattr(form_class, "intro", ""))


@login_required
@require_http_methods(["GET", "POST"])
def experience_add(request, staff_number: str):
    def save(employee, data):
        services.experience_create(
            actor=actor_from(request), employee=employee, kind=data["kind"], title=data["title"],
            place=data["place"], start=data["start"], end=data["end"], description=data["description"],
            skill_ids=[s.pk for s in data["skills"]])
        return _("Expérience ajoutée au carnet.")
    return _form_page(request, staff_number, forms.ExperienceForm, _("Ajouter une expérience"), save)


@login_required
@require_http_methods(["GET", "POST"])
def experience_edit(request, staff_number: str, item_id: int):
    return _edit_page(request, staff_number, "experience", item_id, forms.ExperienceForm, _("Modifier une expérience"),
                      lambda actor, item, changes: services.experience_update(
                          actor=actor, experience=item, changes=changes), _("Expérience modifiée."))


@login_required
@require_http_methods(["GET", "POST"])
def evidence_add(request, staff_number: str):
    def save(employee, data):
        upload = data.get("file")
        services.evidence_create(
            actor=actor_from(request), employee=employee, skill_id=data["skill"].pk, kind=data["kind"],
            note=data["note"], situation=data["situation"], observed_on=data["observed_on"],
            rae_step=data["rae_step"], valid_until=data["valid_until"],
            file_name=upload.name if upload else "", file_data=upload.read() if upload else None)
        return _("Preuve ajoutée au carnet.")
    return _form_page(request, staff_number, forms.EvidenceForm, _("Ajouter une preuve"), save, files=True)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_edit(request, staff_number: str, item_id: int):
    return _edit_page(request, staff_number, "evidence", item_id, forms.EvidenceEditForm, _("Modifier une preuve"),
                      lambda actor, item, changes: services.evidence_update(
                          actor=actor, evidence=item, changes=changes), _("Preuve modifiée."))


@login_required
@require_http_methods(["GET", "POST"])
def interview_add(request, staff_number: str):
    def save(employee, data):
        services.interview_create(
            actor=actor_from(request), employee=employee, kind=data["kind"], held_on=data["held_on"],
            participants=data["participants"], skill_ids=[s.pk for s in data["skills"]], wishes=data["wishes"],
            goals=data["goals"], trainings=data["trainings"], non_mandatory_training=data["non_mandatory_training"],
            next_due=data["next_due"])
        return _("Entretien enregistré.")
    _require_staff_on(request, staff_number)
    return _form_page(request, staff_number, forms.InterviewForm, _("Enregistrer un entretien"), save)


@login_required
@require_http_methods(["GET", "POST"])
def interview_edit(request, staff_number: str, item_id: int):
    return _edit_page(request, staff_number, "interview", item_id, forms.InterviewForm, _("Modifier un entretien"),
                      lambda actor, item, changes: services.interview_update(
                          actor=actor, interview=item, changes=changes), _("Entretien modifié."))


@login_required
@require_http_methods(["GET", "POST"])
def pathway_add(request, staff_number: str):
    def save(employee, data):
        services.pathway_step_create(actor=actor_from(request), employee=employee, **data)
        return _("Étape du parcours ajoutée.")
    _require_staff_on(request, staff_number)
    return _form_page(request, staff_number, forms.PathwayForm, _("Ajouter une étape du parcours"), save)


@login_required
@require_http_methods(["GET", "POST"])
def pathway_edit(request, staff_number: str, item_id: int):
    return _edit_page(request, staff_number, "pathway", item_id, forms.PathwayForm,
                      _("Modifier une étape du parcours"),
                      lambda actor, item, changes: services.pathway_step_update(
                          actor=actor, step=item, changes=changes), _("Étape du parcours modifiée."))


@login_required
@require_http_methods(["GET", "POST"])
def orientation_add(request, staff_number: str):
    """The CDAPH decision: restricted data, for administrators and the worker's own supervisor."""
    def save(employee, data):
        services.orientation_set(actor=actor_from(request), employee=employee, **data)
        return _("Décision d'orientation enregistrée.")
    employee = selectors.booklet_employee_get(user=request.user, staff_number=staff_number)
    access = selectors.booklet_access(user=request.user, employee=employee)
    if not (access.edit and access.restricted):
        raise PermissionDenied
    return _form_page(request, staff_number, forms.OrientationForm, _("Enregistrer la décision d'orientation"), save)


@login_required
@require_http_methods(["GET", "POST"])
def endorsement_add(request, staff_number: str):
    def save(employee, data):
        kind, _sep, pk = data["subject"].partition(":")
        services.endorsement_request(
            actor=actor_from(request), employee=employee, name=data["name"], email=data["email"],
            link_base=request.build_absolute_uri("/"),
            skill_id=int(pk) if kind == "skill" else None, experience_id=int(pk) if kind == "experience" else None)
        return _("Demande envoyée par e-mail à %(email)s.") % {"email": data["email"]}

    def form_kwargs(employee, access):
        return {"items": selectors.booklet_items(employee=employee, access=access)}
    return _form_page(request, staff_number, forms.EndorsementForm, _("Demander une confirmation à un tiers"), save,
                      form_kwargs=form_kwargs)


DELETABLE = {
    "experience": (Experience, lambda actor, item: services.experience_delete(actor=actor, experience=item)),
    "evidence": (Evidence, lambda actor, item: services.evidence_delete(actor=actor, evidence=item)),
    "interview": (Interview, lambda actor, item: services.interview_delete(actor=actor, interview=item)),
    "pathway": (PathwayStep, lambda actor, item: services.pathway_step_delete(actor=actor, step=item)),
}


def _may_change(kind, item, access, user) -> bool:
    """The services' rule (and so the API's PATCH and DELETE): interviews and pathway steps are staff's
    (``require_edit``), the worker changes the experiences and evidence they wrote (``require_change``)."""
    return access.edit if kind in ("interview", "pathway") else access.may_change(item, user)


@login_required
@require_http_methods(["GET", "POST"])
def item_delete(request, staff_number: str, kind: str, item_id: int):
    """Remove an item from the booklet after a confirmation page: staff any item, the worker what they
    wrote themselves. The removal is in the audit trail."""
    if kind not in DELETABLE:
        raise Http404
    model, delete = DELETABLE[kind]
    employee = selectors.booklet_employee_get(user=request.user, staff_number=staff_number)
    item = get_object_or_404(model, employee=employee, pk=item_id)
    access = selectors.booklet_access(user=request.user, employee=employee)
    if not _may_change(kind, item, access, request.user):
        raise PermissionDenied
    if request.method == "POST":
        with transaction.atomic():
            delete(actor_from(request), item)
        messages.success(request, _("« %(item)s » a été retiré du carnet.") % {"item": item})
        return redirect("booklet:detail", staff_number=employee.staff_number)
    return render(request, "booklet/delete.html", {"employee": employee, "access": access, "item": item})


def _require_staff_on(request, staff_number):
    employee = selectors.booklet_employee_get(user=request.user, staff_number=staff_number)
    if not selectors.booklet_access(user=request.user, employee=employee).edit:
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def observation(request, staff_number: str):
    """The phone page: pick the skill, take the photo, tick the level, send — under a minute."""
    _require_staff_on(request, staff_number)
    employee = selectors.booklet_employee_get(user=request.user, staff_number=staff_number)
    # The worker's own skills first, then the rest of the catalogue.
    held = EmployeeSkill.objects.filter(employee=employee, skill=OuterRef("pk"), valid_to__isnull=True)
    skills = OrgSkill.objects.annotate(held=Exists(held)).order_by("-held", "label")
    form = forms.ObservationForm(request.POST or None, request.FILES or None, skills=skills)
    if request.method == "POST" and form.is_valid():
        data, actor = form.cleaned_data, actor_from(request)
        photo = data.get("photo")
        try:
            with transaction.atomic():
                services.evidence_create(
                    actor=actor, employee=employee, skill_id=data["skill"].pk,
                    kind=Evidence.Kind.PHOTO if photo else Evidence.Kind.NOTE, note=data["note"],
                    situation=data["situation"], observed_on=data["observed_on"],
                    file_name=photo.name if photo else "", file_data=photo.read() if photo else None)
                if data["level"] is not None:
                    services.booklet_skill_set(actor=actor, employee=employee, skill_id=data["skill"].pk,
                                               level=data["level"], status="observed",
                                               assessed_on=data["observed_on"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Observation enregistrée dans le carnet de %(name)s.")
                             % {"name": employee.full_name or employee.staff_number})
            return redirect("booklet:detail", staff_number=employee.staff_number)
    return render(request, "booklet/observation.html", {"employee": employee, "form": form})


@require_http_methods(["GET", "POST"])
def endorse(request, token: str):
    """The third party's page: no account, the secret link only. A used or expired link says so."""
    state = services.endorsement_for_token(token)
    form = forms.EndorseAnswerForm(request.POST or None)
    done = None
    if not state.problem and request.method == "POST" and form.is_valid():
        try:
            done = services.endorsement_respond(token=token, decision=form.cleaned_data["decision"],
                                                comment=form.cleaned_data["comment"],
                                                ip=request.META.get("REMOTE_ADDR"))
        except ApplicationError as exc:
            state = services.endorsement_for_token(token)
            form.add_error(None, exc.message)
    endorsement = state.endorsement
    status = 200 if not state.problem or done else (410 if endorsement else 404)
    response = render(request, "booklet/endorse.html", {
        "problem": "" if done else state.problem, "endorsement": endorsement, "form": form, "done": done,
        "accepted": done is not None and done.status == Endorsement.Status.ACCEPTED,
    }, status=status)
    response["Referrer-Policy"] = "no-referrer"  # the secret is in the address
    return response


# --- Skills CV -------------------------------------------------------------------------------------

def _selection(request) -> dict | None:
    def ids(name):
        return {int(v) for v in request.GET.getlist(name) if v.isdigit()}
    if "chosen" not in request.GET and not any(name in request.GET for name in ("experience", "skill", "endorsement")):
        return None
    return {"experiences": ids("experience"), "skills": ids("skill"), "endorsements": ids("endorsement")}


@login_required
def cv(request, staff_number: str):
    """The worker picks what the skills CV shows."""
    employee, access = _open(request, staff_number, item="cv")
    items = selectors.booklet_items(employee=employee, access=access)
    return render(request, "booklet/cv.html", {
        "employee": employee, "access": access, "items": items,
        "skills": [s for s in items["skills"] if s["level"] is not None],
        "endorsements": [d for d in items["endorsements"] if d.status == "accepted"],
    })


def _cv_html(request, staff_number: str, *, standalone: bool) -> tuple:
    employee, access = _open(request, staff_number, item="cv")
    items = selectors.booklet_items(employee=employee, access=access)
    easy = request.GET.get("facile") == "1"
    html = printing.printable_html(
        employee=employee, items=items, organisation={"name": request.tenant.name}, selection=_selection(request),
        title=_("Mon CV facile à lire") if easy else _("CV compétences"), standalone=standalone, easy=easy,
        scale=[lvl.value for lvl in SkillLevel.objects.all() if lvl.value > 0] if easy else None)
    return employee, html


@login_required
def cv_print(request, staff_number: str):
    return HttpResponse(_cv_html(request, staff_number, standalone=False)[1])


@login_required
def cv_pdf(request, staff_number: str):
    employee, html = _cv_html(request, staff_number, standalone=True)
    response = HttpResponse(printing.pdf_from_html(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="cv-competences-{employee.staff_number}.pdf"'
    return response


# --- HR: interview tracker, ESAT indicators, GDPR ---------------------------------------------------

TRACKER_STATES = {"overdue", "due_soon", "six_year_risk"}


def _tracker(request, state: str = ""):
    return selectors.interview_tracker(user=request.user, is_esat=request.tenant.kind == "esat", state=state)


@right_required("interviews.track")
def tracker(request):
    state = request.GET.get("state", "")
    if state and state not in TRACKER_STATES:
        messages.error(request, _("Filtre « %(value)s » inconnu : choisissez « en retard », « à prévoir » ou "
                                  "« risque à 6 ans ».") % {"value": state})
        state = ""
    result = _tracker(request, state)
    page = Paginator(result.rows, 50).get_page(request.GET.get("page"))
    return render(request, "booklet/tracker.html", {"result": result, "page": page, "state": state})


@right_required("interviews.track")
def tracker_export(request):
    result = _tracker(request)
    response = HttpResponse(exports.tracker_xlsx(result), content_type=exports.XLSX)
    response["Content-Disposition"] = 'attachment; filename="entretiens.xlsx"'
    return response


@right_required("booklet.indicators")
def indicators(request):
    table = selectors.esat_indicators()
    return render(request, "booklet/indicators.html", {"table": table, "charts": charts.indicator_charts(table)})


@right_required("booklet.indicators")
def indicators_export(request):
    response = HttpResponse(exports.indicators_xlsx(selectors.esat_indicators()), content_type=exports.XLSX)
    response["Content-Disposition"] = 'attachment; filename="indicateurs-esat.xlsx"'
    return response


@right_required("gdpr.manage")
@require_http_methods(["GET", "POST"])
def gdpr(request):
    """Administrators: a person's data export and erasure, both audited."""
    from workforce.models import Employee

    staff_number = (request.POST.get("staff_number") or request.GET.get("staff_number") or "").strip()
    employee = Employee.objects.filter(staff_number=staff_number).first() if staff_number else None
    if staff_number and employee is None:
        messages.error(request, _("Matricule « %(sn)s » introuvable : vérifiez-le.") % {"sn": staff_number})
    if request.method == "POST" and employee is not None:
        actor = actor_from(request)
        if request.POST.get("action") == "export":
            data = services.person_export(actor=actor, employee=employee,
                                          organisation={"name": request.tenant.name, "kind": request.tenant.kind})
            response = HttpResponse(data, content_type="application/zip")
            response["Content-Disposition"] = f'attachment; filename="donnees-{employee.staff_number}.zip"'
            return response
        if request.POST.get("action") == "erase":
            if request.POST.get("confirm", "").strip() != employee.staff_number:
                messages.error(request, _("Pour effacer, recopiez exactement le matricule « %(sn)s » dans la case de "
                                          "confirmation.") % {"sn": employee.staff_number})
            else:
                services.person_erase(actor=actor, employee=employee)
                messages.success(request, _("Les données personnelles de %(sn)s ont été effacées.")
                                 % {"sn": staff_number})
                return redirect("booklet:gdpr")
    return render(request, "booklet/gdpr.html", {"employee": employee, "staff_number": staff_number})
