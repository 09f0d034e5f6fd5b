"""Steps that look at server.sockets, repr(server) and the listening addresses."""

from behave import then

from asyncio_server_spec.reference.servers import listening_addresses


def _holds(world, n):
    sockets = world.server.sockets
    assert len(sockets) == n, f"expected {n} listening socket(s) in server.sockets; it is {sockets!r}"


@then("server.sockets holds no listening sockets")
def step_sockets_none(context):
    """server.sockets is empty."""
    _holds(context.world, 0)


@then("server.sockets holds 1 listening socket")
def step_sockets_one(context):
    """server.sockets has exactly one entry."""
    _holds(context.world, 1)


@then("server.sockets holds {n:d} listening sockets")
def step_sockets_count(context, n):
    """server.sockets has exactly *n* entries."""
    _holds(context.world, n)


@then("the server listens on the host asked for, on a port the system picked")
def step_listens_on_host(context):
    """The server's first listening address is the host asked for, with a port other than 0."""
    host, port = listening_addresses(context.world.server)[0][:2]
    assert host == context.world.asked_host, (
        f"expected the server to listen on {context.world.asked_host!r}; it is bound to {host!r}"
    )
    assert port != 0, "expected a port the system picked; the port is still 0"


def _repr_lists_socket(world, family_and_type):
    """repr(server) lists the listening socket, its family and type written as *family_and_type*."""
    text = repr(world.server)
    host, port = world.address
    assert text.startswith("<Server sockets=("), (
        f"expected repr(server) to start with '<Server sockets=('; it is {text}"
    )
    assert family_and_type in text, f"expected repr(server) to list {family_and_type}; it is {text}"
    assert f"laddr=('{host}', {port})" in text, (
        f"expected repr(server) to list laddr=('{host}', {port}); it is {text}"
    )


@then("repr(server) lists the listening socket with family and type as enum names")
def step_repr_enum_names(context):
    """repr(server) names the listening socket's family and type by their enum names."""
    _repr_lists_socket(context.world, "family=AddressFamily.AF_INET, type=SocketKind.SOCK_STREAM")


@then("repr(server) lists the listening socket with family and type as numbers")
def step_repr_numbers(context):
    """repr(server) shows the listening socket's family and type as plain numbers."""
    _repr_lists_socket(context.world, "family=2, type=1")


@then("repr(server) lists no sockets")
def step_repr_empty(context):
    """repr(server) lists no listening socket."""
    text = repr(context.world.server)
    assert text == "<Server sockets=()>", f"expected repr(server) to be <Server sockets=()>; it is {text}"


@then("server.sockets is a tuple built afresh on each access")
def step_sockets_fresh_tuple(context):
    """Each access to server.sockets gives a new tuple object."""
    server = context.world.server
    first, second = server.sockets, server.sockets
    assert type(first) is tuple, (
        f"expected server.sockets to be a tuple; it is a {type(first).__name__}: {first!r}"
    )
    assert first is not second, (
        "expected a new tuple on each access to server.sockets; it gave the same object twice"
    )


@then("every access lists the same listening sockets")
def step_sockets_same_content(context):
    """Every access to server.sockets lists the same sockets."""
    server = context.world.server

    def described(sockets):
        return [(s.fileno(), s.getsockname()) for s in sockets]

    first, second = described(server.sockets), described(server.sockets)
    assert first == second, (
        "expected each access to server.sockets to list the same sockets; "
        f"it listed {first!r}, then {second!r}"
    )
    assert first and all(isinstance(fd, int) and fd >= 0 for fd, _ in first), (
        "expected each listening socket's fileno() to be a file descriptor (an int, 0 or more); "
        f"server.sockets gave (fileno(), getsockname()) {first!r}"
    )


@then("server.sockets is an empty tuple, not None")
def step_sockets_empty_tuple(context):
    """server.sockets is an empty tuple (not None)."""
    sockets = context.world.server.sockets
    assert sockets == () and type(sockets) is tuple, (
        f"expected server.sockets to be an empty tuple; it is {sockets!r}"
    )


@then("the listening sockets are asyncio TransportSocket wrappers, not socket.socket objects")
def step_sockets_are_wrappers(context):
    """Each listening socket is an asyncio TransportSocket, not a socket.socket."""
    import socket
    from asyncio import trsock

    for sock in context.world.server.sockets:
        assert isinstance(sock, trsock.TransportSocket), (
            f"expected each listening socket to be an asyncio TransportSocket; one is {sock!r}"
        )
        assert not isinstance(sock, socket.socket), (
            f"expected a TransportSocket wrapper, not a socket.socket; one is {sock!r}"
        )
        assert sock.getsockname()[:2] == tuple(context.world.address[:2]), (
            f"expected each listening socket bound to {tuple(context.world.address[:2])}; one is {sock!r}"
        )
