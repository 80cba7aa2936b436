from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from plc.accounts import services
from plc.accounts.forms import LoginForm, SignupForm
from plc.extensions import limiter, login_manager

bp = Blueprint("accounts", __name__)

login_manager.user_loader(services.load_user)


def _safe_next() -> str | None:
    return services.safe_next_url(request.args.get("next"))


def _next_page() -> str:
    return _safe_next() or url_for("teams.index")


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(_next_page())
    form = SignupForm()
    if form.validate_on_submit():
        user = services.create_user(form.name.data, form.email.data, form.password.data)
        login_user(user)
        flash(f"Welcome, {user.name}.", "success")
        return redirect(_next_page())
    return render_template("accounts/signup.html", form=form, next=_safe_next())


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_ATTEMPTS_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_next_page())
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_next_page())
        flash("Email or password is not right.", "error")
    return render_template("accounts/login.html", form=form, next=_safe_next())


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        services.end_sessions(current_user)
    logout_user()
    flash("You are logged out.", "success")
    return redirect(url_for("teams.index"))
