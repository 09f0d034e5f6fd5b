"""A loop module that fails at import with something other than ImportError,
as a released loop package once did with a SyntaxError."""

raise SyntaxError("invalid syntax (loop.py, line 42)")


def new_event_loop():  # never reached
    return None
