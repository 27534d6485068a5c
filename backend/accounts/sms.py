"""Moved to `backend.sms` (shared with notifications); these names stay for old SMS_BACKEND values."""

from backend.sms.backends import ConsoleSmsBackend, LocmemSmsBackend  # noqa: F401
