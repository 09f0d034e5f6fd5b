"""Steps about what a TLS server's connections tell their handler
(``get_extra_info``: ssl_object, cipher, peercert) and about servers that
require client certificates.  The handler notes what it saw in
``world.tls_notes`` (reference/handlers/tls.py); the steps of
tls_upgrade_steps.py read the same notes after a switch to TLS."""

import asyncio
import ssl

from behave import given, then, when

from asyncio_server_spec.reference import kernel, tls
from asyncio_server_spec.reference.handlers import TlsNotes, tls_noting_handler, tls_noting_protocol
from asyncio_server_spec.reference.servers import UNIX_APIS
from asyncio_server_spec.reference.waiting import WaitTimeout, promptly

import vocabulary  # noqa: F401 -- registers the step vocabulary's types

PING = b"ping over tls\n"
HOST = tls.HOST


# -- servers ---------------------------------------------------------------------------------
async def _start_noting(world, api, context):
    """A TLS server made with *api* whose connections note what they tell
    about TLS in ``world.tls_notes``: a streams handler for the start_* APIs,
    a protocol for the create_* ones."""
    notes = world.tls_notes = TlsNotes(world.loop, world.record)
    if api.startswith("start_"):
        await world.start(api, tls_noting_handler(notes), ssl=context)
        return
    if api in UNIX_APIS:
        where = {"path": world.temp_path("server.sock")}
        create = world.loop.create_unix_server
    else:
        where = {"host": kernel.loopback_address(), "port": 0}
        create = world.loop.create_server
    server = await tls.created_server(api, lambda: create(tls_noting_protocol(notes), ssl=context, **where))
    world.adopt(server, where.get("path"))


@given("a TLS server started with {api:Api} whose handler notes what its connection tells about TLS")
async def step_tls_noting_server(context, api):
    """A TLS server (the test certificate; no client certificate asked for)
    made with *api*, whose handler notes the TLS names of get_extra_info(), then echoes."""
    await _start_noting(context.world, api, tls.contexts()["server"])


@given(
    "a TLS server started with {api:Api} that requires client certificates from the client CA, "
    "whose handler notes what its connection tells about TLS"
)
async def step_tls_noting_server_requiring(context, api):
    """As the server above, with a context whose verify_mode is CERT_REQUIRED
    and which trusts the client CA."""
    await _start_noting(context.world, api, tls.contexts()["server requiring client certs"])


# -- clients ---------------------------------------------------------------------------------
async def _connect_tls(world, context_name):
    """A TLS client with the context *context_name* connects; a failed handshake fails the step."""
    try:
        client = await world.connect(ssl=tls.contexts()[context_name], server_hostname=HOST)
    except ssl.SSLError as exc:
        raise AssertionError(f"expected the server to complete the TLS handshake; it failed: {exc}") from None
    assert client.is_tls, "expected a TLS connection; the client's connection is not TLS"
    return client


@when("a client that trusts the test CA connects over TLS")
async def step_trusting_client_connects(context):
    """A client verifying the server against the test CA (and presenting no
    certificate) completes the TLS handshake."""
    await _connect_tls(context.world, "trusting")


@when("a client with a certificate from the client CA connects over TLS")
async def step_client_with_cert_connects(context):
    """A client trusting the test CA and presenting the client certificate
    completes the TLS handshake."""
    await _connect_tls(context.world, "client with cert")


@when("a client without a certificate of its own connects over TLS")
async def step_client_without_cert_connects(context):
    """A client trusting the test CA, with no certificate to present, tries
    to connect over TLS: ``world.outcome`` is its client, or the ssl.SSLError
    of a failed handshake."""
    world = context.world
    await world.attempt(
        world.connect(ssl=tls.contexts()["trusting"], server_hostname=HOST),
        "a TLS connection from a client without a certificate",
    )


@then("a client with a certificate from the client CA is echoed over TLS")
async def step_client_with_cert_echoed(context):
    """A new client presenting the client certificate gets its line back over TLS."""
    client = await _connect_tls(context.world, "client with cert")
    reply = await client.echo(PING)
    assert reply == PING, f"expected the echo {PING!r}, got {reply!r}"


@then("the client's connection ended before anything reached it")
async def step_client_turned_away(context):
    """The client's handshake failed (or its connection did, during it), or
    its connection ended with not a byte read."""
    outcome = context.world.outcome
    if isinstance(outcome, WaitTimeout):
        raise AssertionError(f"expected the server to turn the client away; {outcome}")
    if isinstance(outcome, (ssl.SSLError, AssertionError)):
        return  # turned away during the handshake: it failed, or the connection did
    if isinstance(outcome, Exception):
        raise outcome  # not the loop's doing: ours
    read, end = await outcome.read_to_end("the server to end the connection", prompt=True)
    assert read == 0, f"expected nothing to reach the client; it read {read} bytes before the {end}"


@then("no handler has run")
def step_no_handler(context):
    """No connection reached a handler (checked once the client's connection
    has ended: a handler would have run before that)."""
    accepted = context.world.record.accepted
    assert accepted == 0, f"expected no handler to run; {accepted} did"


# -- what the handler saw ---------------------------------------------------------------------
async def _facts(world):
    """What the handler noted about TLS, once it has."""
    notes = world.tls_notes
    await promptly(asyncio.shield(notes.noted), "the handler to note what its connection tells about TLS")
    return notes.facts


@then("the handler's connection reports an ssl.SSLObject on the server's side, speaking TLS")
async def step_reports_ssl_object(context):
    """get_extra_info("ssl_object") is an ssl.SSLObject whose server_side is
    True and whose version() names a TLS version."""
    ssl_object = (await _facts(context.world))["ssl_object"]
    assert isinstance(ssl_object, ssl.SSLObject), (
        f"expected get_extra_info('ssl_object') to be an ssl.SSLObject; it is {ssl_object!r}"
    )
    assert ssl_object.server_side is True, "expected the SSLObject of the server's side; server_side is False"
    version = ssl_object.version()
    assert version is not None and version.startswith("TLS"), (
        f"expected the SSLObject to speak TLS; its version() is {version!r}"
    )


@then("the handler's connection reports the cipher the client sees")
async def step_reports_cipher(context):
    """get_extra_info("cipher") is the (name, protocol, bits) tuple the client's own connection reports."""
    world = context.world
    cipher = (await _facts(world))["cipher"]
    seen = await world.client.extra_info("cipher")
    assert seen is not None, "expected the client's connection to report a cipher; it reports None"
    assert cipher is not None and tuple(cipher) == tuple(seen), (
        f"expected get_extra_info('cipher') to be the client's {seen!r}; it is {cipher!r}"
    )


@then("the handler's connection reports no peer certificate")
async def step_reports_no_peercert(context):
    """get_extra_info("peercert") is None."""
    peercert = (await _facts(context.world))["peercert"]
    assert peercert is None, f"expected get_extra_info('peercert') to be None; it is {peercert!r}"


@then("the handler's connection reports the client's certificate as its peer certificate")
async def step_reports_client_cert(context):
    """get_extra_info("peercert") is a getpeercert() dictionary whose subject
    is the client certificate's."""
    peercert = (await _facts(context.world))["peercert"]
    assert isinstance(peercert, dict) and peercert, (
        f"expected get_extra_info('peercert') to be the client's certificate; it is {peercert!r}"
    )
    subject = peercert.get("subject")
    assert subject == tls.CLIENT_SUBJECT, (
        f"expected the peer certificate's subject {tls.CLIENT_SUBJECT!r}; it is {subject!r}"
    )
