"""Deviants of Unix servers: the socket file, sock=, abstract names,
cleanup on close, and what is already at the path."""

import asyncio
import errno
import os
import socket
import stat
import sys

from . import deviant, deviant_loop

ON_313 = sys.version_info >= (3, 13)


def _file_path(kwargs):
    """The filesystem path asked for, or None (no path, or an abstract name)."""
    path = kwargs.get("path")
    if path is None:
        return None
    path = os.fspath(path)
    if path[:1] in ("\0", b"\0"):
        return None
    return path


def _is_socket_file(path):
    try:
        return stat.S_ISSOCK(os.stat(path).st_mode)
    except FileNotFoundError:
        return False


def _binds_elsewhere(kwargs):
    path = _file_path(kwargs)
    if path is not None:
        kwargs["path"] = path + "-elsewhere"
    return kwargs


def _caller_socket_swapped(kwargs):
    # listen on a fresh socket next to the caller's, which is left bound but idle
    sock = kwargs.get("sock")
    if sock is not None and kwargs.get("path") is None:
        kwargs["sock"] = None
        kwargs["path"] = sock.getsockname() + "-elsewhere"
    return kwargs


def _abstract_name_as_file(kwargs):
    path = kwargs.get("path")
    if isinstance(path, str) and path.startswith("\0"):
        kwargs["path"] = path[1:]
    return kwargs


def _cleanup_off_for(given):
    def adjust(kwargs):
        if ON_313 and kwargs.get(given) is not None:
            kwargs["cleanup_socket"] = False
        return kwargs

    return adjust


def _cleanup_socket_dropped(kwargs):
    kwargs.pop("cleanup_socket", None)
    return kwargs


def _stale_file_kept(kwargs):
    # bind without removing what is at the path first: the kernel refuses
    path = _file_path(kwargs)
    if path is not None and kwargs.get("sock") is None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.bind(path)
        except OSError:
            sock.close()
            raise
        del kwargs["path"]
        kwargs["sock"] = sock
    return kwargs


def _regular_file_removed(kwargs):
    path = _file_path(kwargs)
    if path is not None and os.path.isfile(path):
        os.unlink(path)
    return kwargs


def _live_path_refused(kwargs):
    path = _file_path(kwargs)
    if path is not None and _is_socket_file(path):
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(path)
        except OSError:
            pass  # nobody listens: a stale file, removed as usual
        else:
            raise OSError(errno.EADDRINUSE, f"a live server listens at {path!r}")
        finally:
            probe.close()
    return kwargs


def _path_and_sock_accepted(kwargs):
    if kwargs.get("path") is not None and kwargs.get("sock") is not None:
        del kwargs["path"]
    return kwargs


def _removes_file_on_close(when_sock_given):
    """Up to 3.12: a loop whose Unix servers remove their socket file on
    close() -- for a caller's socket (*when_sock_given*) or for a path."""

    def factory():
        loop = asyncio.new_event_loop()
        original = loop.create_unix_server

        async def create_unix_server(protocol_factory, path=None, **kwargs):
            server = await original(protocol_factory, path, **kwargs)
            if (kwargs.get("sock") is not None) == when_sock_given:
                name = server.sockets[0].getsockname()
                close = server.close

                def close_and_remove():
                    close()
                    if isinstance(name, str) and os.path.exists(name):
                        os.unlink(name)

                server.close = close_and_remove
            return server

        loop.create_unix_server = create_unix_server
        return loop

    return factory


def _removes_whatever_is_at_the_path():
    """From 3.13: a loop whose Unix servers, on their first close(), remove
    whatever is at their path, without checking it is still their socket file."""

    def factory():
        loop = asyncio.new_event_loop()
        original = loop.create_unix_server

        async def create_unix_server(protocol_factory, path=None, **kwargs):
            server = await original(protocol_factory, path, **kwargs)
            name = server.sockets[0].getsockname()
            if kwargs.get("cleanup_socket", True) and isinstance(name, str) and name[:1] != "\0":
                close = server.close
                removed = []

                def close_and_remove():
                    close()
                    if not removed:
                        removed.append(name)
                        if os.path.lexists(name):
                            os.unlink(name)

                server.close = close_and_remove
            return server

        loop.create_unix_server = create_unix_server
        return loop

    return factory


deviant(
    "binds_elsewhere",
    "unix.path-makes-socket-file",
    also=(
        "unix.cleanup-socket-off-keeps-file",
        "unix.file-stays-after-close",
        "unix.live-path-taken-over",
        "unix.regular-file-in-the-way",
        "unix.replaced-file-left-on-close",
        "unix.stale-socket-file-replaced",
        "unix.taken-over-path-kept-on-close",
    ),
)(deviant_loop(adjust_kwargs=_binds_elsewhere))
deviant(
    "caller_socket_swapped", "unix.caller-bound-socket", also=("unix.caller-socket-file-removed-on-close",)
)(deviant_loop(adjust_kwargs=_caller_socket_swapped))
deviant("abstract_name_as_file", "unix.abstract-name-no-file")(
    deviant_loop(adjust_kwargs=_abstract_name_as_file)
)
deviant("path_and_sock_accepted", "unix.path-and-sock-value-error")(
    deviant_loop(adjust_kwargs=_path_and_sock_accepted)
)
deviant(
    "stale_file_kept",
    "unix.stale-socket-file-replaced",
    "unix.live-path-taken-over",
    also=("unix.cleanup-socket-type-error", "unix.taken-over-path-kept-on-close"),
)(deviant_loop(adjust_kwargs=_stale_file_kept))
deviant("regular_file_removed", "unix.regular-file-in-the-way")(
    deviant_loop(adjust_kwargs=_regular_file_removed)
)
deviant("live_path_refused", "unix.live-path-taken-over", also=("unix.taken-over-path-kept-on-close",))(
    deviant_loop(adjust_kwargs=_live_path_refused)
)
# 3.13+: the socket file outlives close()
deviant("path_file_left_on_close", "unix.file-removed-on-close", python=">=3.13")(
    deviant_loop(adjust_kwargs=_cleanup_off_for("path"))
)
deviant("caller_socket_file_left_on_close", "unix.caller-socket-file-removed-on-close", python=">=3.13")(
    deviant_loop(adjust_kwargs=_cleanup_off_for("sock"))
)
deviant("cleanup_socket_off_ignored", "unix.cleanup-socket-off-keeps-file", python=">=3.13")(
    deviant_loop(adjust_kwargs=_cleanup_socket_dropped)
)
deviant(
    "removes_whatever_is_at_the_path",
    "unix.replaced-file-left-on-close",
    "unix.taken-over-path-kept-on-close",
    python=">=3.13",
)(_removes_whatever_is_at_the_path())
# up to 3.12: the 3.13 behaviour arrives early
deviant(
    "path_file_removed_on_close",
    "unix.file-stays-after-close",
    python="<=3.12",
    also=("unix.replaced-file-left-on-close", "unix.taken-over-path-kept-on-close"),
)(_removes_file_on_close(when_sock_given=False))
deviant("caller_socket_file_removed_on_close", "unix.caller-socket-file-stays-after-close", python="<=3.12")(
    _removes_file_on_close(when_sock_given=True)
)
deviant("cleanup_socket_accepted", "unix.cleanup-socket-type-error", python="<=3.12")(
    deviant_loop(adjust_kwargs=_cleanup_socket_dropped)
)
