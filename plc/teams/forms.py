from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField, IntegerField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from plc.roles import TEAM_ROLES

TASK_TEXT_MAX = 4000


class TeamForm(FlaskForm):
    name = StringField("Team name", validators=[DataRequired(), Length(max=120)])


class UnitForm(FlaskForm):
    title = StringField("Unit title", validators=[DataRequired(), Length(max=160)])


class TaskForm(FlaskForm):
    title = StringField("Task title", validators=[DataRequired(), Length(max=160)])
    text = TextAreaField("Problem", validators=[DataRequired(), Length(max=TASK_TEXT_MAX)])
    image = FileField(
        "Picture (optional)",
        validators=[FileAllowed(["jpg", "jpeg", "png", "webp"], "Choose a JPEG, PNG or WebP picture.")],
    )


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=[SelectChoice(value, label) for value, label in TEAM_ROLES.items()])


class PrivacyForm(FlaskForm):
    keep_originals = BooleanField("Keep the original, unblurred photos of student work")
    originals_retention_days = IntegerField(
        "Remove kept originals after N days",
        validators=[Optional(), NumberRange(1, 3650)],
    )


class CriticalStrategiesForm(FlaskForm):
    """Which strategies of the team's vocabulary are critical for a unit (choices: the vocabulary)."""

    strategies = SelectMultipleField("Critical for this unit", coerce=int,
                                     widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())

    def __init__(self, vocabulary, **kwargs):
        super().__init__(**kwargs)
        self.strategies.choices = [(s.id, s.name) for s in vocabulary]
