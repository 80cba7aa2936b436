from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField, IntegerField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from plc.roles import TEAM_ROLES
from plc.teams.agreements import MEANING_MAX_CHARS, NORMS_TEXT_MAX_CHARS, WORD_MAX_CHARS

TASK_TEXT_MAX = 4000
TASK_QUESTION_MAX = 1000


class TeamForm(FlaskForm):
    name = StringField("Team name", validators=[DataRequired(), Length(max=120)])


class UnitForm(FlaskForm):
    title = StringField("Unit title", validators=[DataRequired(), Length(max=160)])


class TaskTextForm(FlaskForm):
    """A task's words: what a facilitator changes after adding it (e.g. to split off its question)."""

    title = StringField("Task title", validators=[DataRequired(), Length(max=160)])
    context = TextAreaField("Context", validators=[DataRequired(), Length(max=TASK_TEXT_MAX)])
    question = TextAreaField("Question", validators=[Optional(), Length(max=TASK_QUESTION_MAX)])


class TaskForm(TaskTextForm):
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


class NormsForm(FlaskForm):
    norms = TextAreaField("Our norms, one a line", validators=[Length(max=NORMS_TEXT_MAX_CHARS)])


class KeyWordForm(FlaskForm):
    word = StringField("Word", validators=[DataRequired(), Length(max=WORD_MAX_CHARS)])
    meaning = TextAreaField("What it looks like in student work",
                            validators=[DataRequired(), Length(max=MEANING_MAX_CHARS)])
