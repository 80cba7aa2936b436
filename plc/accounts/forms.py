from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from plc.accounts.services import normalise_email, user_by_email

MIN_PASSWORD_LENGTH = 10


class SignupForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired(), Length(max=80)])
    email = EmailField(
        "Email", filters=[normalise_email], validators=[DataRequired(), Email(), Length(max=254)]
    )
    password = PasswordField(
        "Password",
        validators=[
            DataRequired(),
            Length(min=MIN_PASSWORD_LENGTH, message=f"Use at least {MIN_PASSWORD_LENGTH} characters."),
            Length(max=200),
        ],
    )
    confirm = PasswordField(
        "Password again",
        validators=[DataRequired(), EqualTo("password", message="The two passwords are not the same.")],
    )

    def validate_email(self, field):
        if user_by_email(field.data):
            raise ValidationError("There is already an account with this email. Log in instead.")


class LoginForm(FlaskForm):
    email = EmailField("Email", filters=[normalise_email], validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])
