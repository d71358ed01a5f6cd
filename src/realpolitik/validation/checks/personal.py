"""The personal check: personal data in the data files (validation.personal)."""

from __future__ import annotations

from realpolitik.validation.checks.check import Check


def run(context) -> list:
    from realpolitik.validation import personal

    return personal.run(context.answered)


CHECK = Check("personal", "e-mail addresses, phone numbers, social-media accounts", run)
