"""Loop factories that cannot make a loop."""


def raises():
    raise RuntimeError("no loop today")


def takes_an_argument(required):
    return required
