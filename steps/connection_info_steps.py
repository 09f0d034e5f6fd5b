"""Steps for what a server connection's transport tells with get_extra_info():
'sockname' and 'socket' (the protocol path: protocol_steps.py)."""

from behave import given, then, when

from asyncio_server_spec.reference import sockets
from asyncio_server_spec.reference.handlers import protocols
from asyncio_server_spec.reference.servers import start_protocol_server

#: Where a client goes to reach a socket bound to a wildcard address.
LOOPBACK_FOR = {"0.0.0.0": "127.0.0.1", "::": "::1"}


def _protocol_of(world, client):
    """The protocol whose connection's peer is *client*."""
    for protocol in world.protocols.made:
        peer = protocol.transport.get_extra_info("peername") if protocol.transport else None
        if peer is not None and tuple(peer[:2]) == tuple(client.sockname[:2]):
            return protocol
    raise AssertionError(
        f"expected a connection whose peername is the client's {client.sockname!r}; no protocol has one"
    )


def _extra(protocol, name):
    return protocol.transport.get_extra_info(name)


@given("a server made with create_server on every interface whose protocol echoes what it receives")
async def step_every_interface_protocol_server(context):
    """create_server with host None and port 0 (a socket on 0.0.0.0 and one on ::), echoing."""
    world = context.world
    world.protocols = protocols.ProtocolLog(world.record)
    await start_protocol_server(world, "create_server", protocols.echoing(world.protocols), host=None, port=0)


@when("a client connects to each listening socket over loopback")
async def step_client_per_socket(context):
    """For each listening socket, a client connects to the loopback address of its family."""
    world = context.world
    listening = list(world.server.sockets)
    assert len(listening) == 2, f"precondition: expected two listening sockets; the server has {listening!r}"
    for sock in listening:
        host, port = sock.getsockname()[:2]
        await world.connect((LOOPBACK_FOR.get(host, host), port))
    await world.record.wait_accepted(len(world.clients))


@then("the connection's sockname is the address the client connected to")
def step_sockname_is_address(context):
    """The server side's 'sockname' is the (host, port) the client connected to."""
    world = context.world
    client = world.client
    sockname = _extra(_protocol_of(world, client), "sockname")
    assert sockname is not None and tuple(sockname[:2]) == tuple(client.address[:2]), (
        f"expected the connection's sockname to be {client.address!r}, where the client "
        f"connected; it is {sockname!r}"
    )


@then("each connection's sockname is the loopback address its client reached")
def step_each_sockname(context):
    """For each client, its connection's 'sockname' is the loopback address
    and port that client connected to, not the wildcard."""
    world = context.world
    for client in world.clients:
        sockname = _extra(_protocol_of(world, client), "sockname")
        assert sockname is not None and tuple(sockname[:2]) == tuple(client.address[:2]), (
            f"expected the connection's sockname to be {client.address!r}, where the client "
            f"connected; it is {sockname!r}"
        )


@then("the connection's sockname is the server's path")
def step_sockname_is_path(context):
    """The Unix connection's 'sockname' is the path the server listens at."""
    world = context.world
    sockname = _extra(world.protocols.latest(), "sockname")
    assert sockname == world.address, f"expected the sockname {world.address!r}; it is {sockname!r}"


def _socket(world):
    return sockets.usable(
        _extra(world.protocols.latest(), "socket"),
        "get_extra_info('socket')",
        ("getpeername",),
    )


@then("the connection's socket is not a listening socket of the server")
def step_socket_not_listening(context):
    """The 'socket' has a file descriptor of its own, none of the server's listening sockets'."""
    world = context.world
    fileno = _socket(world).fileno()
    listening = [sock.fileno() for sock in world.server.sockets]
    assert fileno >= 0 and fileno not in listening, (
        f"expected the connection's own file descriptor; got {fileno}, and the server listens on {listening}"
    )


@then("the connection's socket has the client as its peer and the server's address as its own")
def step_socket_is_connection(context):
    """The descriptor of 'socket' (read through a duplicate) and the socket
    object itself both have the client as their peer, the server's address as their own."""
    world = context.world
    sock, client = _socket(world), world.client
    try:
        local, peer = sockets.addresses_of_fd(sock.fileno())
    except OSError as exc:
        raise AssertionError(
            "expected the connection's socket to be connected to the client; "
            f"its descriptor {sock.fileno()} is not: {exc!r}"
        ) from None
    wanted = (tuple(world.address[:2]), tuple(client.sockname[:2]))
    assert (tuple(local[:2]), tuple(peer[:2])) == wanted, (
        f"expected the connection's descriptor to be between {wanted[0]} and the client "
        f"{wanted[1]}; it is between {local} and {peer}"
    )
    assert tuple(sock.getpeername()[:2]) == wanted[1], (
        f"expected the socket's getpeername() to be the client's {wanted[1]}; it is {sock.getpeername()}"
    )
