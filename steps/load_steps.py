"""Steps that put one server under a bounded load: many clients at once, and
many one after another, each echoed in full.

The number of clients is ``behave -D load_clients=N`` (default
:data:`asyncio_server_spec.harness.options.DEFAULT_LOAD_CLIENTS`).  Clients connected
at the same time need two file descriptors each (the client's socket and the server's), so N must leave
room under the process's RLIMIT_NOFILE.  Every client operation is bounded
by the usual per-wait timeout, and the whole load by :func:`load_timeout`.
"""

from behave import then, when

#: Connections opened together, below the default backlog (100); each wave
#: waits until the server has accepted the one before, so the kernel's accept
#: queue never overflows (an overflow delays a connect by a whole second: the
#: client's SYN is dropped and sent again).
WAVE = 50
#: The size of each client's message.
MESSAGE_SIZE = 256


def load_size(context):
    """The number of clients asked for with ``-D load_clients=N`` (checked
    before any scenario: see :func:`asyncio_server_spec.harness.options.load_clients`)."""
    return context.run.load_clients


def load_timeout(n):
    """Seconds the whole load of *n* clients may take."""
    return 5.0 + n * 0.01


def message(i, n):
    """Client *i*'s own message: its number, padded to :data:`MESSAGE_SIZE`."""
    head = f"client {i + 1} of {n}:".encode()
    return head + b"." * (MESSAGE_SIZE - 1 - len(head)) + b"\n"


async def _as_load(world, awaitable):
    """Await a load operation; a failure also says how many connections the
    server had accepted by then."""
    try:
        return await awaitable
    except AssertionError as exc:
        raise AssertionError(
            f"{exc}; the server had accepted {world.record.accepted} connection(s)"
        ) from None


# -- acting -----------------------------------------------------------------------------
async def _load_at_once(context):
    """Connect N clients in waves of :data:`WAVE` (all stay connected; a wave
    starts once the server has accepted the last), then send every client's
    message before reading any echo."""
    world = context.world
    n = world.load_clients = load_size(context)
    world.load_group = group = world.client_group(n)
    for start in range(0, n, WAVE):
        await _as_load(world, group.connect(min(WAVE, n - start), load_timeout(n)))
        # the next wave waits until the server has accepted this one
        await _as_load(world, world.record.wait_accepted(len(group.socks)))
    await _as_load(world, group.send([message(i, n) for i in range(n)], load_timeout(n)))


async def _load_one_after_another(context):
    """One client at a time: connect, send, read the echo, close."""
    world = context.world
    n = world.load_clients = load_size(context)
    group = world.client_group(n)
    world.load_echoes = await _as_load(
        world, group.one_after_another([message(i, n) for i in range(n)], load_timeout(n))
    )


@when(
    "as many clients as the load size connect, all staying connected, "
    "and then each sends a message at the same time"
)
async def step_load_at_once(context):
    """Connect N clients in waves, all staying connected, then each sends its message."""
    await _load_at_once(context)


@when(
    "as many clients as the load size connect one after another, "
    "each sending a message and leaving after its echo"
)
async def step_load_one_after_another(context):
    """N clients, one at a time: connect, send, read the echo, close."""
    await _load_one_after_another(context)


# -- observing ------------------------------------------------------------------------------
def _check_echoes(echoes, n):
    """Each of the *n* clients got its own message back."""
    assert len(echoes) == n, f"expected {n} echoes, got {len(echoes)}"
    wrong = [i for i, echo in enumerate(echoes) if echo != message(i, n)]
    if wrong:
        first = wrong[0]
        raise AssertionError(
            f"expected each of {n} clients to get its own message back; "
            f"{len(wrong)} did not, client {first + 1} got {echoes[first]!r}"
        )


@then("each of them is echoed its own message in full")
async def step_load_echoed_now(context):
    """Every connected client reads its echo; each is its own message."""
    world = context.world
    echoes = await _as_load(world, world.load_group.receive(MESSAGE_SIZE, load_timeout(world.load_clients)))
    _check_echoes(echoes, world.load_clients)


@then("each of them was echoed its own message in full")
def step_load_was_echoed(context):
    """The echoes the clients read one after another were their own messages."""
    world = context.world
    _check_echoes(world.load_echoes, world.load_clients)


@then("the server has accepted exactly one connection per client")
async def step_load_accepted(context):
    """The server's record of accepted connections matches the number of clients."""
    world = context.world
    n = world.load_clients
    await world.record.wait_accepted(n)
    assert world.record.accepted == n, (
        f"expected {n} accepted connections, the server accepted {world.record.accepted}"
    )
