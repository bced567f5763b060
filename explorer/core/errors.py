"""The error every part of the app may raise to tell the user something (a light module:
the command line imports it before it knows whether it needs the index at all)."""


class UserError(Exception):
    """Something the user asked for that cannot be done; the message says what and why."""

    exit_status = 1     # the command line's; 2 where an argument given was wrong
