"""Event loops built to trap a conformance harness, one class of fault each.

Unlike tests/deviants (servers that break a documented behaviour, which the
spec must catch), these check that the *verdict* is about the server: a loop
whose client side is broken but whose server is right must pass; a fault of
the harness must be reported as one; a crash must say where it happened; a
port taken by another process must not count against the server.  Some of
them misbehave as soon as they are imported, so nothing imports this
package but the behave runs of tests/test_trustworthy_verdicts.py.
"""
