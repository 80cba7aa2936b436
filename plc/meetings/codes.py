"""Join codes: six characters a person can read off a projector and type on a phone."""
import re
import secrets

# No 0/O, 1/I/L: characters that look alike on a projector or a phone keyboard.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    """What a person typed, as a code: case, spaces and dashes do not matter."""
    return re.sub(r"[\s-]", "", text or "").upper()


def looks_like_code(text: str) -> bool:
    return len(text) == CODE_LENGTH and all(c in CODE_ALPHABET for c in text)
