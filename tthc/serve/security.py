"""Safe by default: what every request and response of the workspace goes through.

- Listening: loopback unless `--host` names another address, and then only with a
  password (`check_host` refuses to start otherwise).
- Sessions: a signed cookie (Starlette's SessionMiddleware, itsdangerous), HttpOnly,
  SameSite=Strict, that expires after `SESSION_MINUTES` without a request; with a password
  every page but the login asks for a session that logged in.
- CSRF: every state-changing request (POST) carries the session's token (a form field or
  the X-CSRF-Token header) and, when the browser says where it comes from (Origin), comes
  from this workspace; otherwise 403 with a message.
- Host header: only the addresses the workspace listens on (no DNS rebinding).
- Headers: a strict Content-Security-Policy (nothing but the app's own scripts, styles and
  images; no inline script, no frame, forms only to itself), nosniff, no referrer to
  other sites (`same-origin`: with `no-referrer` a browser sends `Origin: null` on its own
  forms, which the CSRF check must refuse), no framing, no cache for pages.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import time
from collections import deque
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_MINUTES = 30  # idle time after which a session ends (a new login with a password)
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
LOGIN_PATH = "/dang-nhap"
OPEN_PATHS = (LOGIN_PATH, "/tai-nguyen/")  # reachable without a login
MAX_FAILURES = 5  # wrong passwords in FAILURE_WINDOW_S before logins are refused a while
FAILURE_WINDOW_S = 300

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


class HostRefused(Exception):
    """`--host` names a non-loopback address and no password is set."""


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_host(host: str, password: str | None) -> None:
    """Refuse to listen beyond this machine without a password."""
    if not is_loopback(host) and not password:
        raise HostRefused(
            f"Không mở không gian làm việc tại địa chỉ {host} khi chưa đặt mật khẩu: máy "
            "khác trong mạng sẽ xem và sửa được số liệu. Hãy đặt mật khẩu trong biến môi "
            "trường TTHC_MAT_KHAU (ví dụ TTHC_MAT_KHAU='...' tthc serve --host "
            f"{host}), hoặc bỏ --host để chỉ dùng trên máy này (127.0.0.1)."
        )


def password_matches(given: str, digest: bytes) -> bool:
    return hmac.compare_digest(hashlib.sha256(given.encode("utf-8")).digest(), digest)


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made once per session)."""
    token = request.session.get(CSRF_FIELD)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


def csrf_ok(request: Request, given: str | None) -> bool:
    expected = request.session.get(CSRF_FIELD)
    return bool(expected and given) and hmac.compare_digest(str(expected), str(given))


def same_origin(request: Request) -> bool:
    """A browser's Origin (or Referer), when it sends one, names this workspace."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin or origin == "null":
        return origin != "null"
    return urlsplit(origin).netloc == request.headers.get("host", "")


class SecurityHeaders:
    """Adds the security headers to every response (pure ASGI: streamed bodies too)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
                if "cache-control" not in headers:
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class Failures:
    """Wrong passwords, counted over a window: past the limit logins wait."""

    def __init__(self) -> None:
        self.times: deque[float] = deque()

    def add(self) -> None:
        self.times.append(time.monotonic())

    def blocked(self) -> bool:
        now = time.monotonic()
        while self.times and now - self.times[0] > FAILURE_WINDOW_S:
            self.times.popleft()
        return len(self.times) >= MAX_FAILURES
