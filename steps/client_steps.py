"""Steps that act as clients of the server and observe it from the outside."""

from behave import then, when

from asyncio_server_spec.reference.probes import refusal_problem

import step_types  # noqa: F401 -- registers the step vocabulary's types

PING = b"ping\n"


@when("{n:ClientsConnect}")
async def step_clients_connect(context, n):
    """A new client (or *n* new clients) connects; the server has accepted every one."""
    for _ in range(n):
        await context.world.connect()
    await context.world.record.wait_accepted(len(context.world.clients))


@when("the client disconnects{text:AfterSending}")
async def step_client_disconnects(context, text):
    """The latest client closes its connection (after sending *text*, if given)."""
    client = context.world.client
    if text is not None:
        await client.send(text.encode())
    await client.close()


@then("a client {can:CanConnect}")
async def step_can_connect(context, can):
    """A new client connects and gets its line back -- or, "cannot connect",
    its connection is refused (nothing listens there)."""
    if not can:
        problem = await refusal_problem(context.world.address)
        assert problem is None, f"expected a new client to be refused; {problem}"
        return
    client = await context.world.connect()
    reply = await client.echo(PING)
    assert reply == PING, f"expected the echo {PING!r}, got {reply!r}"


@then("a new client is accepted")
async def step_new_client_accepted(context):
    """A new client connects and the server's handler sees it."""
    before = context.world.record.accepted
    await context.world.connect()
    await context.world.record.wait_accepted(before + 1)


@then("the connected client is still echoed")
async def step_still_echoed(context):
    """The latest, already connected client still gets its line back."""
    reply = await context.world.client.echo(PING)
    assert reply == PING, f"expected the echo {PING!r}, got {reply!r}"
