from datetime import datetime, timezone


def utcnow() -> datetime:
    """Naive UTC, the form both SQLite and PostgreSQL columns give back."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
