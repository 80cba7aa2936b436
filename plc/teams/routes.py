from flask import (
    Blueprint, abort, current_app, flash, redirect, render_template, request,
    send_from_directory, url_for,
)
from flask_login import current_user, login_required

from plc.roles import TEAM_ROLES
from plc.teams import agreements, services
from plc.teams.access import (
    can_facilitate, key_word_of_team, member_of_team, membership_of, task_for_member, team_for_facilitator,
    team_for_member, unit_for_facilitator, unit_for_member,
)
from plc.teams.forms import (
    CriticalStrategiesForm, KeyWordForm, NormsForm, PrivacyForm, RoleForm, TaskForm, TaskTextForm, TeamForm, UnitForm,
)
from plc.teams.signals import question_held_back, task_page_sections

bp = Blueprint("teams", __name__)


def _start_meeting_url(task, facilitator: bool) -> str | None:
    """Where a facilitator starts a meeting on the task: None for others, and while no
    feature serves meetings.new (teams links to the meetings pages, it does not need them)."""
    if not facilitator or "meetings.new" not in current_app.view_functions:
        return None
    return url_for("meetings.new", team_id=task.unit.team_id, task_id=task.id)


@bp.app_template_filter()
def team_role(role: str) -> str:
    return TEAM_ROLES.get(role, role)


def _role_form(membership) -> RoleForm:
    return RoleForm(prefix=f"member-{membership.id}", data={"role": membership.role})


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return render_template("teams/landing.html")
    return render_template("teams/index.html", memberships=services.teams_of(current_user))


@bp.route("/teams/new", methods=["GET", "POST"])
@login_required
def new():
    form = TeamForm()
    if form.validate_on_submit():
        team = services.create_team(form.name.data, current_user)
        flash("Team created. Add a unit, then share the invite link with your colleagues.", "success")
        return redirect(url_for("teams.show", team_id=team.id))
    return render_template("teams/new.html", form=form)


@bp.get("/teams/<id:team_id>")
@login_required
def show(team_id: int):
    team, membership = team_for_member(team_id)
    facilitator = can_facilitate(membership)
    return render_template(
        "teams/show.html",
        team=team,
        membership=membership,
        can_facilitate=facilitator,
        invite_url=services.invite_url(team) if facilitator else None,
        role_forms={m.id: _role_form(m) for m in team.memberships} if facilitator else {},
        unit_form=UnitForm() if facilitator else None,
        privacy_form=PrivacyForm(keep_originals=team.keep_originals,
                                 originals_retention_days=team.originals_retention_days) if facilitator else None,
        deletions=services.recent_deletions(team.id) if facilitator else [],
        vocabulary=services.vocabulary(team.id),
        critical_for=services.critical_units_by_strategy(team.id),
        norms=agreements.norms_of(team),
        key_words=agreements.key_words(team.id),
        start_urls={task.id: _start_meeting_url(task, facilitator) for unit in team.units for task in unit.tasks},
    )


@bp.post("/teams/<id:team_id>/privacy")
@login_required
def set_privacy(team_id: int):
    team, _ = team_for_facilitator(team_id)
    form = PrivacyForm()
    if form.validate_on_submit():
        days = form.originals_retention_days.data
        team.originals_retention_days = days  # committed with the setting below
        services.set_keep_originals(team, form.keep_originals.data)
        if not team.keep_originals:
            message = "Only blurred copies of student work will be kept from now on."
        elif days:
            message = f"Original photos will be kept, each for {days} day{'s' if days != 1 else ''}."
        else:
            message = "Original photos will be kept until the work is deleted."
        flash(message, "success")
    else:
        flash("Enter a number of days from 1 to 3650, or leave it empty." if form.originals_retention_days.errors
              else "Please try again.", "error")
    return redirect(url_for("teams.show", team_id=team.id, _anchor="privacy-heading"))


# --- the team's agreements: any member writes them, a facilitator removes a key word ------

def _key_word_form(entry) -> KeyWordForm:
    return KeyWordForm(prefix=f"key-word-{entry.id}", data={"word": entry.word, "meaning": entry.meaning})


def _agreements_page(team, membership, norms_form=None, new_word_form=None, word_forms=None, status=200):
    entries = agreements.key_words(team.id)
    forms = {entry.id: _key_word_form(entry) for entry in entries}
    forms.update(word_forms or {})
    norms = agreements.norms_of(team)
    return render_template(
        "teams/agreements.html", team=team, can_facilitate=can_facilitate(membership),
        norms=norms, key_words=entries, word_forms=forms, default_norms=agreements.DEFAULT_NORMS,
        norms_form=norms_form or NormsForm(data={"norms": "\n".join(norms or agreements.DEFAULT_NORMS)}),
        new_word_form=new_word_form or KeyWordForm(prefix="new-word"),
        limits={"norms": agreements.NORMS_MAX, "norm_chars": agreements.NORM_MAX_CHARS,
                "key_words": agreements.KEY_WORDS_MAX},
    ), status


@bp.get("/teams/<id:team_id>/agreements")
@login_required
def show_agreements(team_id: int):
    team, membership = team_for_member(team_id)
    return _agreements_page(team, membership)


def _refused(field, message: str) -> None:
    field.errors = [*field.errors, message]  # a tuple until the form is validated


@bp.post("/teams/<id:team_id>/norms")
@login_required
def set_norms(team_id: int):
    team, membership = team_for_member(team_id)
    form = NormsForm()
    if form.validate_on_submit():
        try:
            lines = agreements.set_norms(team, form.norms.data or "", current_user.name)
        except agreements.AgreementError as exc:
            _refused(form.norms, str(exc))
        else:
            flash("Our norms are saved: meetings show them on the norms steps." if lines
                  else "No norms of our own: meetings show the protocols' norms.", "success")
            return redirect(url_for("teams.show_agreements", team_id=team.id, _anchor="norms-heading"))
    return _agreements_page(team, membership, norms_form=form, status=400)


@bp.post("/teams/<id:team_id>/key-words")
@login_required
def add_key_word(team_id: int):
    team, membership = team_for_member(team_id)
    form = KeyWordForm(prefix="new-word")
    if form.validate_on_submit():
        try:
            entry = agreements.add_key_word(team, form.word.data, form.meaning.data, current_user.name)
        except agreements.AgreementError as exc:
            _refused(form.word, str(exc))
        else:
            flash(f"“{entry.word}” is added to our key words.", "success")
            return redirect(url_for("teams.show_agreements", team_id=team.id, _anchor=f"key-word-{entry.id}"))
    return _agreements_page(team, membership, new_word_form=form, status=400)


@bp.post("/teams/<id:team_id>/key-words/<id:key_word_id>")
@login_required
def change_key_word(team_id: int, key_word_id: int):
    team, membership = team_for_member(team_id)
    entry = key_word_of_team(team, key_word_id)
    form = KeyWordForm(prefix=f"key-word-{entry.id}")
    if form.validate_on_submit():
        try:
            agreements.change_key_word(entry, form.word.data, form.meaning.data, current_user.name)
        except agreements.AgreementError as exc:
            _refused(form.word, str(exc))
        else:
            flash(f"“{entry.word}” is saved.", "success")
            return redirect(url_for("teams.show_agreements", team_id=team.id, _anchor=f"key-word-{entry.id}"))
    return _agreements_page(team, membership, word_forms={entry.id: form}, status=400)


@bp.post("/teams/<id:team_id>/key-words/<id:key_word_id>/remove")
@login_required
def remove_key_word(team_id: int, key_word_id: int):
    team, _ = team_for_facilitator(team_id)
    entry = key_word_of_team(team, key_word_id)
    word = entry.word
    agreements.remove_key_word(entry)
    flash(f"“{word}” is no longer one of our key words.", "success")
    return redirect(url_for("teams.show_agreements", team_id=team.id, _anchor="key-words-heading"))


@bp.post("/teams/<id:team_id>/invite/rotate")
@login_required
def rotate_invite(team_id: int):
    team, _ = team_for_facilitator(team_id)
    services.rotate_invite(team)
    flash("There is a new invite link. The old one no longer works.", "success")
    return redirect(url_for("teams.show", team_id=team.id))


@bp.post("/teams/<id:team_id>/members/<id:membership_id>/role")
@login_required
def set_role(team_id: int, membership_id: int):
    team, _ = team_for_facilitator(team_id)
    member = member_of_team(team, membership_id)
    form = _role_form(member)
    if not form.validate_on_submit():
        flash("Choose one of the roles.", "error")
    else:
        try:
            services.set_role(member, form.role.data)
        except services.LastFacilitator as exc:
            flash(str(exc), "error")
        else:
            flash(f"{member.user.name} is now {team_role(member.role)}.", "success")
    return redirect(url_for("teams.show", team_id=team.id))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str):
    team = services.team_by_invite(token)
    if team is None:
        abort(404)
    if not current_user.is_authenticated:
        flash("Create an account, or log in, to join this team.")
        return redirect(url_for("accounts.signup", next=request.path))
    if request.method == "POST":
        services.join_team(team, current_user)
        flash(f"You joined {team.name}.", "success")
        return redirect(url_for("teams.show", team_id=team.id))
    return render_template(
        "teams/invite.html", team=team, membership=membership_of(current_user, team.id)
    )


@bp.route("/teams/<id:team_id>/units/new", methods=["GET", "POST"])
@login_required
def new_unit(team_id: int):
    team, _ = team_for_facilitator(team_id)
    form = UnitForm()
    if form.validate_on_submit():
        unit = services.create_unit(team, form.title.data)
        flash("Unit added. Now add its first task.", "success")
        return redirect(url_for("teams.show", team_id=team.id, _anchor=f"unit-{unit.id}"))
    return render_template("teams/new_unit.html", team=team, unit_form=form)


@bp.route("/units/<id:unit_id>/critical", methods=["GET", "POST"])
@login_required
def critical_strategies(unit_id: int):
    """The team marks which strategies of its vocabulary are critical for the unit."""
    unit, _ = unit_for_member(unit_id)
    vocabulary = services.vocabulary(unit.team_id)
    form = CriticalStrategiesForm(vocabulary, data={
        "strategies": [s.id for s in services.critical_strategies(unit.id)]})
    if request.method == "POST":
        if form.validate_on_submit():
            services.set_critical_strategies(unit, form.strategies.data)
            flash("Critical strategies saved. The Work Sort's patterns will name any nobody used.", "success")
            return redirect(url_for("teams.show", team_id=unit.team_id, _anchor=f"unit-{unit.id}"))
        flash("Choose strategies from the team's vocabulary.", "error")
    return render_template("teams/critical.html", unit=unit, form=form)


@bp.route("/units/<id:unit_id>/tasks/new", methods=["GET", "POST"])
@login_required
def new_task(unit_id: int):
    unit = unit_for_facilitator(unit_id)
    form = TaskForm()
    if form.validate_on_submit():
        try:
            task = services.create_task(unit, form.title.data, form.context.data, form.question.data,
                                        form.image.data)
        except services.ImageRejected as exc:
            form.image.errors.append(str(exc))
        else:
            flash("Task added.", "success")
            return redirect(url_for("teams.show_task", task_id=task.id))
    return render_template("teams/task_form.html", unit=unit, form=form, heading="Add a task", submit="Add task")


@bp.route("/tasks/<id:task_id>/edit", methods=["GET", "POST"])
@login_required
def edit_task(task_id: int):
    task, membership = task_for_member(task_id)
    if not can_facilitate(membership):
        abort(404)
    if question_held_back(task):  # the form would show the question that the meeting holds back
        flash("A meeting on this task has not revealed its question yet: change the task after that step.", "error")
        return redirect(url_for("teams.show_task", task_id=task.id))
    form = TaskTextForm(obj=task)
    if form.validate_on_submit():
        services.change_task_text(task, form.title.data, form.context.data, form.question.data)
        flash("Task saved.", "success")
        return redirect(url_for("teams.show_task", task_id=task.id))
    return render_template("teams/task_form.html", unit=task.unit, form=form, heading="Change the task",
                           submit="Save the task")


@bp.get("/tasks/<id:task_id>")
@login_required
def show_task(task_id: int):
    task, membership = task_for_member(task_id)
    facilitator = can_facilitate(membership)
    return render_template("teams/task.html", task=task, question_held=question_held_back(task),
                           edit_url=url_for("teams.edit_task", task_id=task.id) if facilitator else None,
                           start_url=_start_meeting_url(task, facilitator),
                           sections=task_page_sections(task, membership))


@bp.get("/tasks/<id:task_id>/image")
def task_image(task_id: int):
    """Members only; anyone else, logged in or not, gets 404."""
    task, _ = task_for_member(task_id)
    if not task.image_name:
        abort(404)
    return send_from_directory(current_app.config["UPLOADS_DIR"], task.image_name, mimetype="image/jpeg")
