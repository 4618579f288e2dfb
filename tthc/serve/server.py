"""Starting the workspace: the socket (opened here, so a port in use is said in
Vietnamese), uvicorn on it, the reading of the folder, and the officer's browser."""

from __future__ import annotations

import contextlib
import errno
import socket
import threading
import webbrowser
from collections.abc import Callable

from tthc.serve.app import create_app
from tthc.serve.security import check_host, is_loopback
from tthc.serve.workspace import Workspace


class PortError(Exception):
    """The address cannot be listened on; the message (Vietnamese) says why."""


def listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            why = (
                f"cổng {port} đang được một chương trình khác dùng; hãy chọn cổng khác bằng --port"
            )
        elif exc.errno == errno.EADDRNOTAVAIL:
            why = f"máy này không có địa chỉ {host}"
        elif exc.errno == errno.EACCES:
            why = f"không có quyền mở cổng {port} (cổng dưới 1024 cần quyền quản trị)"
        else:
            why = exc.strerror or str(exc)
        raise PortError(f"Không mở được không gian làm việc tại {host}:{port}: {why}.") from exc
    sock.listen(64)
    return sock


def address(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    if host in ("0.0.0.0", "::"):
        shown = "127.0.0.1"
    return f"http://{shown}:{port}/"


def serve(
    workspace: Workspace,
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    password: str | None = None,
    open_browser: bool = True,
    say: Callable[[str], None] = print,
) -> None:
    """Run the workspace until Ctrl-C (the workspace must be open)."""
    import uvicorn

    check_host(host, password)
    sock = listen(host, port)
    port = sock.getsockname()[1]
    hosts = ["127.0.0.1", "localhost", "::1", "[::1]"] if is_loopback(host) else ["*"]
    app = create_app(workspace, password=password, hosts=hosts)
    config = uvicorn.Config(app, log_level="error", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    url = address(host, port)
    workspace.start_reading()
    say(f"Không gian làm việc: {url} (nhấn Ctrl-C để dừng).")
    if open_browser:
        threading.Timer(0.8, lambda: _open(url)).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


def _open(url: str) -> None:
    with contextlib.suppress(Exception):
        webbrowser.open(url, new=2)
