"""Steps for Unix socket servers: the socket file, sock=, abstract names,
what is removed when, and what is already at the path."""

import os
import stat

from behave import given, then, when

from asyncio_server_spec.reference import servers, sockets
from asyncio_server_spec.reference.waiting import within

CONTENT = b"not a socket\n"


def _kind(path):
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return "nothing"
    if stat.S_ISSOCK(mode):
        return "a socket file"
    if stat.S_ISREG(mode):
        return "a regular file"
    return f"mode {mode:o}"


def _bound_socket(world, name):
    """A Unix stream socket bound at temp path *name*, closed at cleanup."""
    path = world.temp_path(name)
    return sockets.bound_unix_socket(world, path), path


# -- what is at the path before the server ------------------------------------------
@given("a Unix socket bound by the caller at a path")
def step_caller_socket(context):
    """A Unix stream socket bound at a temp path, not listening, kept for the scenario."""
    world = context.world
    world.caller_sock, world.unix_path = _bound_socket(world, "caller.sock")


@given("a socket file left at a path by a server that has gone")
def step_stale_socket_file(context):
    """A socket file at a temp path whose socket has been closed."""
    world = context.world
    sock, world.unix_path = _bound_socket(world, "stale.sock")
    sock.close()  # no listener any more; the file stays
    found = _kind(world.unix_path)
    assert found == "a socket file", (
        f"precondition: expected a socket file left at the path; there is {found}"
    )


@given("a regular file at a path")
def step_regular_file(context):
    """A regular file with known content at a temp path."""
    world = context.world
    world.unix_path = world.temp_path("regular")
    with open(world.unix_path, "wb") as out:
        out.write(CONTENT)


# -- starting servers -------------------------------------------------------------------
@given("a server started with start_unix_server on that socket")
async def step_unix_server_on_socket(context):
    """start_unix_server with sock= the caller's socket; its address is the caller's path."""
    world = context.world
    server = await within(
        servers.create("start_unix_server", "echo", world.record, sock=world.caller_sock),
        "the server to be created",
    )
    world.adopt(server, world.unix_path)


@given("a server started with start_unix_server at that path")
async def step_unix_server_at_path(context):
    """start_unix_server at the path the scenario prepared."""
    world = context.world
    await world.start("start_unix_server", path=world.unix_path)


@given("a server started with start_unix_server at an abstract socket name")
async def step_unix_server_abstract(context):
    """start_unix_server at a Linux abstract socket name (a leading NUL byte)."""
    world = context.world
    # unique per scenario; the part after the NUL byte also names a path that
    # must stay free of files
    world.abstract_name = "\0" + world.temp_path("abstract.sock")
    await world.start("start_unix_server", path=world.abstract_name)


@given("a server started with start_unix_server with cleanup_socket off")
async def step_unix_server_no_cleanup(context):
    """start_unix_server at a temp path with cleanup_socket=False."""
    await context.world.start("start_unix_server", cleanup_socket=False)


@given("another server, which echoes what it receives, started with start_unix_server at the same path")
async def step_second_server_same_path(context):
    """A second start_unix_server at the first server's path."""
    world = context.world
    await world.start("start_unix_server", "echo", path=world.address)


@when("a regular file is put in place of the server's socket file")
def step_replace_socket_file(context):
    """The server's socket file is swapped (renamed over, in one step) for a
    regular file -- a file of its own, with an inode of its own."""
    world = context.world
    path = world.unix_path = world.address
    before = os.lstat(path).st_ino
    replacement = world.temp_path("replacement")
    with open(replacement, "wb") as out:
        out.write(CONTENT)
    os.replace(replacement, path)
    # the listening socket keeps the old inode alive, so it cannot be reused
    assert os.lstat(path).st_ino != before, (
        "precondition: expected the new file to get an inode number of its own; it got the old one"
    )


async def _attempt_unix_server(world, what, **kwargs):
    """Try start_unix_server with *kwargs*; the outcome is kept."""
    await world.attempt(world.start("start_unix_server", **kwargs), what)


@when("start_unix_server is called with cleanup_socket off")
async def step_attempt_no_cleanup(context):
    """Try start_unix_server with cleanup_socket=False; the outcome is kept."""
    await _attempt_unix_server(
        context.world, "start_unix_server() with cleanup_socket=False", cleanup_socket=False
    )


@when("start_unix_server is called at that path")
async def step_attempt_at_path(context):
    """Try start_unix_server at the path the scenario prepared; the outcome is kept."""
    world = context.world
    await _attempt_unix_server(world, "start_unix_server() at a path that is taken", path=world.unix_path)


@when("start_unix_server is called with both a path and that socket")
async def step_attempt_path_and_sock(context):
    """Try start_unix_server with a path and the caller's socket; the outcome is kept."""
    world = context.world
    await _attempt_unix_server(
        world,
        "start_unix_server() with both path and sock",
        path=world.temp_path("other.sock"),
        sock=world.caller_sock,
    )


# -- observations ------------------------------------------------------------------------
def _path_holds(world, wanted):
    path = world.address
    assert _kind(path) == wanted, f"expected {wanted} at {path}; there is {_kind(path)}"


@then("a socket file exists at the server's path")
def step_socket_file_at_path(context):
    """The server's path holds a socket file."""
    _path_holds(context.world, "a socket file")


@then("nothing exists at the server's path")
def step_nothing_at_path(context):
    """Nothing is at the server's path any more."""
    _path_holds(context.world, "nothing")


@then("no file was made for the abstract name")
def step_no_file_for_abstract(context):
    """No file exists at the path named after the NUL byte."""
    path = context.world.abstract_name[1:]
    assert _kind(path) == "nothing", f"expected no file at {path}; there is {_kind(path)}"


@then("the listening socket reports the abstract name, as bytes")
def step_abstract_sockname(context):
    """The listening socket's name is the abstract name, as bytes."""
    world = context.world
    name = world.server.sockets[0].getsockname()
    assert name == world.abstract_name.encode(), (
        f"expected the socket bound to {world.abstract_name.encode()!r}; it is bound to {name!r}"
    )


@then("the regular file is still there, unchanged")
def step_regular_file_unchanged(context):
    """The regular file at the path is still there, with its content."""
    path = context.world.unix_path
    assert _kind(path) == "a regular file", (
        f"expected the regular file still at {path}; there is {_kind(path)}"
    )
    with open(path, "rb") as source:
        content = source.read()
    assert content == CONTENT, f"expected the file to hold {CONTENT!r} still; it holds {content!r}"
