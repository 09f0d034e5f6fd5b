"""The per-scenario World: what cleanup releases, in which order."""

import asyncio
import socket

from asyncio_server_spec.reference.scenario import World


def test_cleanup_closes_kept_sockets_and_runs_callbacks_last_first():
    world = World(asyncio.new_event_loop)
    sock = world.keep(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
    order = []
    world.on_cleanup(lambda: order.append("first"))
    world.on_cleanup(lambda: order.append("second"))
    assert world.close() == []
    assert sock.fileno() == -1
    assert order == ["second", "first"]


def test_a_failing_cleanup_callback_is_a_problem_and_the_others_still_run():
    world = World(asyncio.new_event_loop)
    sock = world.keep(socket.socket(socket.AF_INET, socket.SOCK_STREAM))

    def fails():
        raise RuntimeError("on purpose")

    world.on_cleanup(fails)
    problems = world.close()
    assert sock.fileno() == -1
    assert len(problems) == 1 and "RuntimeError('on purpose')" in problems[0], problems
