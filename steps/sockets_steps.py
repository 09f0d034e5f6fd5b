"""Steps that look at server.sockets, repr(server) and the listening addresses."""

from behave import then

from asyncio_server_spec.servers import listening_addresses


@then("server.sockets is empty")
def step_sockets_empty(context):
    sockets = context.world.server.sockets
    assert len(sockets) == 0, "server.sockets is {!r}".format(sockets)


@then("server.sockets holds {n:d} listening socket")
@then("server.sockets holds {n:d} listening sockets")
def step_sockets_count(context, n):
    sockets = context.world.server.sockets
    assert len(sockets) == n, "server.sockets is {!r}".format(sockets)


@then("the server listens on the host asked for, on a port the system picked")
def step_listens_on_host(context):
    host, port = listening_addresses(context.world.server)[0][:2]
    assert host == context.world.asked_host, "bound to {!r}".format(host)
    assert port != 0, "the port is still 0"


@then("repr(server) lists the listening socket with family and type as {style}")
def step_repr_style(context, style):
    text = repr(context.world.server)
    host, port = context.world.address
    expected = {
        "enum names": "family=AddressFamily.AF_INET, type=SocketKind.SOCK_STREAM",
        "numbers": "family=2, type=1",
    }[style]
    assert text.startswith("<Server sockets=("), text
    assert expected in text, "{!r} not in {}".format(expected, text)
    assert "laddr=('{}', {})".format(host, port) in text, text


@then("repr(server) lists no sockets")
def step_repr_empty(context):
    text = repr(context.world.server)
    assert text == "<Server sockets=()>", text
