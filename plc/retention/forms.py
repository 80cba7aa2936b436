from flask_wtf import FlaskForm


class DeleteForm(FlaskForm):
    """Nothing to fill in: the confirmation is the button, the form carries the CSRF token."""
