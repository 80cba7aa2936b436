from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from plc.extensions import db
from plc.timeutil import utcnow


class User(UserMixin, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(254), nullable=False, unique=True)
    name = db.Column(db.String(80), nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # Kept in every session this user logs in (plc/accounts/services.py); logging out moves it on,
    # which ends every session made before, a copied cookie's included.
    session_version = db.Column(db.Integer, nullable=False, default=0, server_default="0")

    memberships = db.relationship("Membership", back_populates="user", cascade="all, delete-orphan")

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)
