from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from plc.meetings.codes import looks_like_code, normalize_code
from plc.roles import PARTICIPANT_ROLES


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class StartMeetingForm(FlaskForm):
    task_id = SelectField("Task", coerce=int, validators=[InputRequired("Choose a task.")])
    protocols = CheckboxList("Agenda", validators=[DataRequired("Choose at least one protocol.")])


class JoinForm(FlaskForm):
    code = StringField(
        "Meeting code", filters=[normalize_code],
        validators=[DataRequired("Type the six-character code from the screen.")],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
                   "inputmode": "text", "class": "code-input"},
    )
    name = StringField(
        "Your name", filters=[lambda s: (s or "").strip()],
        validators=[DataRequired("Say what to call you."), Length(max=40, message="Please use 40 characters or fewer.")],
        render_kw={"autocomplete": "nickname"},
    )
    role = SelectField("Your role", choices=[SelectChoice(value=k, label=v) for k, v in PARTICIPANT_ROLES.items()],
                       validators=[DataRequired("Choose your role.")])

    def validate_code(self, field):
        if not looks_like_code(field.data):
            raise ValidationError("A code has six letters and digits, like K7M3QP.")
