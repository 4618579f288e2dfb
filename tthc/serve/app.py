"""The workspace's web app (Starlette, Jinja2 templates, a little JavaScript of its own).

Pages: the period's desk (`/`), a commune's page (`/xa/{slug}`), the district overview
(`/tong-quan`), the login (`/dang-nhap`, with a password only). Changes are POST forms
with the session's CSRF token: an upload (`/tai-len`), reading the folder again
(`/doc-lai`), and a commune's corrections (`/xa/{slug}/sua`, `bo-qua`, `gan`,
`khong-phai`, `hoan-tac`). Files: a report's page image (`/xa/{slug}/trang/{n}.png`), the
outputs (`/tai-ve/{name}`, the five names of a run and nothing else), the app's own CSS
and JavaScript (`/tai-nguyen/{name}`, from a fixed list read at start). No part of a
request is ever used as a path: a commune is found by its slug among the district's, a
page number is checked against the report's pages, a file name against a fixed list.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import os
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route

from tthc.corrections import flag_key, in_force
from tthc.runjob import OUTPUT_NAMES
from tthc.schemas import DOSSIER_FIELDS, Evidence, Record
from tthc.serve import security
from tthc.serve.documents import Documents, find_span
from tthc.serve.workspace import (
    MAX_FILE_BYTES,
    MAX_FILES,
    MAX_REQUEST_BYTES,
    Commune,
    Refused,
    Stale,
    Workspace,
    severity_counts,
)
from tthc.wording import (
    fmt_count,
    fmt_rate,
    fmt_stated_rate,
    label_of,
    measure_name,
    period_label,
    severity_label,
    unit_name,
    where,
)

HERE = Path(__file__).resolve().parent
ASSETS = {  # name → (file, media type): the only files the app serves of its own
    "app.css": ("static/app.css", "text/css; charset=utf-8"),
    "app.js": ("static/app.js", "text/javascript; charset=utf-8"),
    "icon.svg": ("static/icon.svg", "image/svg+xml"),
}
KEY_FIELDS = ("received_total", "resolved_total", "pending_total", "resolved_late")
DESK_TOTALS = (
    "received_total",
    "received_carried_over",
    "received_new",
    "received_online",
    "resolved_total",
    "resolved_late",
    "pending_total",
    "returned",
)
SENDER_WORDS = {
    "read": "Đã đọc",
    "partial": "Đọc được một phần",
    "unreadable": "Tệp không đọc được",
    "not_report": "Không phải báo cáo",
    "missing": "Chưa gửi",
}
KIND_WORDS = {
    "value": "Sửa số liệu",
    "assign": "Gán số chưa đọc",
    "dismiss": "Bỏ qua cảnh báo",
    "not_count": "Không phải số hồ sơ",
    "undo": "Hoàn tác",
}
_SHOW = re.compile(r"(so):(\d{1,4}):([a-z_]{1,40})|(cb|tl|vb|cd):([0-9a-f]{16}|\d{1,4})")
_TEXT_WINDOW = 40_000  # characters of a long text shown around the passage


def create_app(
    workspace: Workspace,
    *,
    password: str | None = None,
    hosts: list[str] | None = None,
    secret: str | None = None,
) -> Starlette:
    """The app over an open workspace. `password`: required to log in (None: no login,
    loopback only); `hosts`: the Host header values accepted."""
    import secrets as _secrets

    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(count=fmt_count, rate=fmt_rate, label=label_of, severity=severity_label)
    env.globals.update(period_label=period_label, unit_name=unit_name, senders=SENDER_WORDS)
    assets = {name: (HERE / f).read_bytes() for name, (f, _) in ASSETS.items()}
    digest = hashlib.sha256(password.encode("utf-8")).digest() if password else None
    failures = security.Failures()
    documents = Documents()
    local_user = _local_user()

    def render(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        values.setdefault("flash", request.session.pop("flash", None))
        values.setdefault("error", request.session.pop("error", None))
        html = env.get_template(template).render(
            csrf=security.csrf_token(request),
            who=_who(request),
            login=digest is not None,
            summary=workspace.summary,
            progress=workspace.progress,
            **values,
        )
        return HTMLResponse(html, status)

    def _who(request: Request) -> str:
        return request.session.get("name") or local_user

    async def guard(request: Request) -> Response | None:
        """Login (with a password) and CSRF (on every POST); None when the request may go on."""
        path = request.url.path
        request.session["t"] = int(time.time()) // 60  # the idle timeout counts from now
        logged_out = digest is not None and not request.session.get("auth")
        if logged_out and not path.startswith(security.OPEN_PATHS):
            if request.method == "POST":
                return _refusal(request, "Phiên làm việc đã hết hạn; hãy đăng nhập lại.", 401)
            return RedirectResponse(security.LOGIN_PATH, 303)
        if request.method == "POST":
            if path == "/tai-len" and security.same_origin(request):
                return None  # the upload checks its token once its size is known
            given = request.headers.get(security.CSRF_HEADER)
            if given is None and _is_form(request):
                form = await request.form(max_files=0, max_fields=50)
                given = form.get(security.CSRF_FIELD)
                request.state.form = form
            if not security.csrf_ok(request, given) or not security.same_origin(request):
                return _refusal(
                    request,
                    "Yêu cầu bị từ chối: thiếu mã bảo vệ (CSRF) của phiên làm việc, hoặc đến từ "
                    "trang khác. Hãy tải lại trang của tthc rồi làm lại.",
                    403,
                )
        return None

    def _refusal(request: Request, message: str, status: int) -> Response:
        return render(request, "message.html", status, title="Không thực hiện", message=message)

    def page(handler: Any) -> Any:
        async def wrapped(request: Request) -> Response:
            refused = await guard(request)
            if refused is not None:
                return refused
            try:
                return await handler(request)
            except Refused as exc:
                return _refusal(request, str(exc), exc.status)
            except Exception as exc:  # a fault of tthc: a page that says so, details in a file
                if os.environ.get("TTHC_DEBUG"):
                    raise
                where = _error_log(workspace.out, exc)
                return _refusal(
                    request,
                    f"Lỗi không mong đợi của tthc ({type(exc).__name__}); chi tiết đã ghi vào "
                    f"{where}. Hãy gửi tệp đó cho người quản trị.",
                    500,
                )

        return wrapped

    # ------------------------------------------------------------ pages
    async def desk(request: Request) -> Response:
        show = request.query_params.get("loc", "")
        order = request.query_params.get("sap-xep", "stt")
        rows = _desk_rows(workspace)
        if show == "canh-bao":
            rows = [r for r in rows if r["errors"] or r["warnings"]]
        elif show == "chua-gui":
            rows = [r for r in rows if r["status"] in ("missing", "unreadable", "not_report")]
        elif show == "chua-doc":
            rows = [r for r in rows if r["unread"]]
        keys = {
            "ten": lambda r: r["name"],
            "loi": lambda r: (-r["errors"], -r["warnings"], r["n"]),
            "tiep-nhan": lambda r: -(r["figures"].get("received_total") or -1),
        }
        rows.sort(key=keys.get(order, lambda r: r["n"]))
        totals = _totals(workspace)
        return render(
            request,
            "desk.html",
            rows=rows,
            show=show,
            order=order,
            totals=totals,
            key_fields=KEY_FIELDS,
            max_files=MAX_FILES,
            max_mb=MAX_FILE_BYTES // 2**20,
        )

    async def progress(request: Request) -> Response:
        p = workspace.progress
        return JSONResponse(
            {"running": p.running, "done": p.done, "total": p.total, "message": p.message}
        )

    async def commune(request: Request) -> Response:
        c = workspace.commune(request.path_params["slug"])
        return commune_page(request, c)

    def commune_page(request: Request, c: Commune, status: int = 200, **more: Any) -> Response:
        show = request.query_params.get("xem", "")
        shown = _evidence_view(workspace, documents, c, show) if show else None
        return render(
            request,
            "commune.html",
            status,
            c=c,
            view=_commune_view(c),
            shown=shown,
            show=show,
            edit=_edit(c, show),
            fields=DOSSIER_FIELDS,
            kinds=KIND_WORDS,
            **more,
        )

    async def overview(request: Request) -> Response:
        return render(request, "overview.html", totals=_totals(workspace))

    # ------------------------------------------------------------ changes
    async def upload(request: Request) -> Response:
        length = request.headers.get("content-length")
        if length is None or not length.isdigit():
            raise Refused("Yêu cầu tải lên phải ghi rõ kích thước (Content-Length).", 411)
        if int(length) > MAX_REQUEST_BYTES:
            raise Refused(
                f"Lần tải lên quá lớn (tối đa {MAX_REQUEST_BYTES // 2**20} MB mỗi lần); hãy "
                "chia thành nhiều lần.",
                413,
            )
        try:
            form = await request.form(max_files=MAX_FILES, max_fields=10)
        except Exception as exc:  # the multipart parser's own limits
            raise Refused(
                f"Không nhận được tệp: mỗi lần tải lên tối đa {MAX_FILES} tệp, mỗi tệp tối đa "
                f"{MAX_FILE_BYTES // 2**20} MB.",
                413,
            ) from exc
        if not security.csrf_ok(request, form.get(security.CSRF_FIELD)):
            raise Refused("Yêu cầu bị từ chối: thiếu mã bảo vệ (CSRF). Hãy tải lại trang.", 403)
        files = [f for f in form.getlist("tep") if hasattr(f, "read")]
        if not files:
            raise Refused("Chưa chọn tệp nào để tải lên.")
        said, refused, added = [], [], 0
        status = 400
        for f in files:
            data = await f.read(MAX_FILE_BYTES + 1)
            shown = (f.filename or "tệp").replace("/", "_")[-120:]
            try:
                _, new = workspace.add_upload(data, shown)
            except Refused as exc:
                refused.append(str(exc))
                status = exc.status if len(refused) == 1 else status
                continue
            added += new
            said.append(f"{shown}: {'đã nhận' if new else 'đã có (cùng nội dung), không thêm'}")
        if added:
            workspace.start_reading()
        if refused and not said:
            raise Refused(" ".join(refused), status)
        request.session["flash"] = "; ".join(said)
        if refused:
            request.session["error"] = " ".join(refused)
        return RedirectResponse("/", 303)

    async def reread(request: Request) -> Response:
        started = workspace.start_reading()
        request.session["flash"] = (
            "Đang đọc lại thư mục báo cáo." if started else "Đang đọc báo cáo, hãy chờ xong."
        )
        return RedirectResponse("/", 303)

    def change(kind: str) -> Any:
        async def handler(request: Request) -> Response:
            c = workspace.commune(request.path_params["slug"])
            form = getattr(request.state, "form", None) or await request.form(max_files=0)
            value = form.get("gia_tri")
            if kind == "value" and form.get("goi_y"):
                value = form.get("goi_y")
            undoes = form.get("hieu_chinh")
            try:
                workspace.correct(
                    c.slug,
                    form.get("phien_ban"),
                    who=_who(request),
                    why=str(form.get("ly_do") or ""),
                    kind=kind,
                    period_key=form.get("ky"),
                    scope=str(form.get("pham_vi") or "all"),
                    field_name=form.get("so_lieu"),
                    value=value,
                    flags=[str(x) for x in form.getlist("canh_bao")],
                    undoes=int(undoes) if undoes and str(undoes).isdigit() else None,
                )
            except Refused as exc:
                fresh = workspace.commune(c.slug)
                return commune_page(
                    request, fresh, exc.status, error=str(exc), stale=isinstance(exc, Stale)
                )
            request.session["flash"] = _done_words(kind)
            back = form.get("quay_lai") or ""
            anchor = back if re.fullmatch(r"[a-z0-9-]{1,40}", str(back)) else "so-lieu"
            return RedirectResponse(f"/xa/{c.slug}#{anchor}", 303)

        return handler

    # ------------------------------------------------------------ files
    async def page_image(request: Request) -> Response:
        c = workspace.commune(request.path_params["slug"])
        number = request.path_params["page"]
        record = c.record
        if record is None or c.path is None or record.source.format != "pdf":
            raise Refused("Báo cáo này không có trang PDF để xem.", 404)
        if not 1 <= number <= (record.source.pages or 0):
            raise Refused("Không có trang này trong báo cáo.", 404)
        image = documents.page(record.source.sha256 or "", c.path, number, workspace.seen(c.path))
        return Response(
            image.png,
            media_type="image/png",
            headers={"cache-control": "private, max-age=3600"},
        )

    async def download(request: Request) -> Response:
        name = request.path_params["name"]
        key = next((k for k, v in OUTPUT_NAMES.items() if v == name), None)
        if key is None:
            raise Refused("Không có tệp kết quả này.", 404)
        outputs = workspace.outputs()
        return FileResponse(
            outputs[key].resolve(),
            filename=name,
            media_type=_media_type(name),
        )

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in assets:
            return Response("Không có.", 404, media_type="text/plain; charset=utf-8")
        return Response(
            assets[name],
            media_type=ASSETS[name][1],
            headers={"cache-control": "private, max-age=600"},
        )

    # ------------------------------------------------------------ login
    async def login_form(request: Request) -> Response:
        if digest is None:
            return RedirectResponse("/", 303)
        return render(request, "login.html")

    async def login(request: Request) -> Response:
        if digest is None:
            return RedirectResponse("/", 303)
        form = getattr(request.state, "form", None) or await request.form(max_files=0)
        if failures.blocked():
            return render(
                request,
                "login.html",
                429,
                error="Đã nhập sai mật khẩu nhiều lần; hãy đợi vài phút rồi thử lại.",
            )
        name = " ".join(str(form.get("ten") or "").split())[:80]
        if not security.password_matches(str(form.get("mat_khau") or ""), digest):
            failures.add()
            return render(request, "login.html", 401, error="Sai mật khẩu.", name=name)
        if not name:
            return render(request, "login.html", 400, error="Hãy ghi họ tên cán bộ.")
        request.session.clear()  # a new session on login (no fixation)
        request.session.update({"auth": True, "name": name})
        return RedirectResponse("/", 303)

    async def logout(request: Request) -> Response:
        request.session.clear()
        return RedirectResponse(security.LOGIN_PATH if digest else "/", 303)

    routes = [
        Route("/", page(desk)),
        Route("/tien-do", page(progress)),
        Route("/tong-quan", page(overview)),
        Route("/tai-len", page(upload), methods=["POST"]),
        Route("/doc-lai", page(reread), methods=["POST"]),
        Route("/xa/{slug:str}", page(commune)),
        Route("/xa/{slug:str}/trang/{page:int}.png", page(page_image)),
        Route("/xa/{slug:str}/sua", page(change("value")), methods=["POST"]),
        Route("/xa/{slug:str}/bo-qua", page(change("dismiss")), methods=["POST"]),
        Route("/xa/{slug:str}/gan", page(change("assign")), methods=["POST"]),
        Route("/xa/{slug:str}/khong-phai", page(change("not_count")), methods=["POST"]),
        Route("/xa/{slug:str}/hoan-tac", page(change("undo")), methods=["POST"]),
        Route("/tai-ve/{name:str}", page(download)),
        Route("/tai-nguyen/{name:str}", asset),
        Route(security.LOGIN_PATH, page(login_form)),
        Route(security.LOGIN_PATH, page(login), methods=["POST"]),
        Route("/dang-xuat", page(logout), methods=["POST"]),
    ]
    middleware = [
        Middleware(security.SecurityHeaders),
        Middleware(TrustedHostMiddleware, allowed_hosts=hosts or ["127.0.0.1", "localhost"]),
        Middleware(
            SessionMiddleware,
            secret_key=secret or _secrets.token_urlsafe(32),
            session_cookie="tthc_phien",
            max_age=security.SESSION_MINUTES * 60,
            same_site="strict",
            https_only=False,
        ),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            documents.close()

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.workspace = workspace
    app.state.documents = documents
    return app


def _error_log(folder: Path, exc: Exception) -> str:
    """The details of a fault, in a new file of the results folder (never through a link)."""
    import tempfile
    import traceback

    from tthc.textkit.safe_io import readable_name

    try:
        fd, name = tempfile.mkstemp(prefix="tthc-loi-", suffix=".txt", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace") as fh:
            fh.write("".join(traceback.format_exception(exc)))
        return readable_name(name)
    except OSError:
        return "(không ghi được tệp chi tiết)"


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "")
    return kind.startswith("application/x-www-form-urlencoded")


def _local_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cán bộ"


def _done_words(kind: str) -> str:
    return {
        "value": "Đã lưu số liệu sửa; các kiểm tra đã chạy lại.",
        "assign": "Đã gán số vào số liệu; các kiểm tra đã chạy lại.",
        "dismiss": "Đã bỏ qua cảnh báo (ghi lại lý do).",
        "not_count": "Đã ghi nhận: không phải số hồ sơ.",
        "undo": "Đã hoàn tác; số liệu trở lại như trước hiệu chỉnh đó.",
    }[kind]


def _media_type(name: str) -> str:
    return {
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".csv": "text/csv; charset=utf-8",
        ".json": "application/json",
    }[Path(name).suffix]


# ---------------------------------------------------------------- views


def _desk_rows(workspace: Workspace) -> list[dict[str, Any]]:
    summary = workspace.summary
    if summary is None:
        return []
    senders = {s.commune: s for s in summary.senders}
    rows = []
    for n, c in enumerate(workspace.communes.values(), 1):
        row = c.row
        sender = senders.get(row.commune)
        counts = severity_counts([f for f in row.flags if f.code != "unread"])
        online = row.rates.get("online")
        rows.append(
            {
                "n": n,
                "slug": c.slug,
                "name": unit_name(row.commune, row.level, capital=True),
                "status": sender.status if sender else row.status,
                "reasons": sender.reasons if sender else [],
                "files": ", ".join(row.files or (sender.files if sender else [])),
                "figures": row.dossiers.model_dump(),
                "online": online.value if online else None,
                "errors": counts["error"],
                "warnings": counts["warning"],
                "unread": sum(
                    1 for f in (c.record.flags if c.record else []) if f.code == "unread"
                ),
                "corrected": len(row.corrections),
            }
        )
    return rows


def _totals(workspace: Workspace) -> dict[str, Any]:
    summary = workspace.summary
    if summary is None:
        return {}
    figures = [
        {
            "field": f,
            "value": summary.figures[f].value if f in summary.figures else None,
            "units": len(summary.figures[f].units) if f in summary.figures else 0,
        }
        for f in DESK_TOTALS
    ]
    rates = [
        {"measure": measure_name(k), "value": r.value, "units": len(r.units), "key": k}
        for k, r in summary.rates.items()
    ]
    counts = severity_counts([f.flag for f in summary.flags if f.flag.code != "unread"])
    senders: dict[str, int] = {}
    for s in summary.senders:
        senders[s.status] = senders.get(s.status, 0) + 1
    return {
        "figures": figures,
        "rates": rates,
        "counts": counts,
        "senders": senders,
        "statements": summary.statements,
        "corrections": sum(len(r.corrections) for r in summary.communes),
    }


def _commune_view(c: Commune) -> dict[str, Any]:
    """What a commune's page lists: figures by period and scope, the flags (each with
    the keys of the record's flags it stands for), rates, citations, unread numbers and
    the corrections log."""
    record = c.record
    if record is None:
        return {"periods": [], "flags": [], "rates": [], "citations": [], "unread": [], "log": []}
    corrected = {(x.period_key, x.scope, x.field): x for x in c.row.corrections if x.field}
    periods = []
    for i, p in enumerate(record.periods):
        values = p.dossiers.model_dump()
        periods.append(
            {
                "index": i,
                "key": p.key,
                "label": p.label,
                "scope": p.scope,
                "scope_words": _scope_words(p.scope),
                "figures": [
                    {
                        "field": f,
                        "value": values[f],
                        "evidence": f in p.evidence,
                        "corrected": corrected.get((p.key, p.scope, f)),
                        "flagged": c.row.flagged_fields.get(f) if p.scope == "all" else None,
                    }
                    for f in DOSSIER_FIELDS
                    if values[f] is not None or f in p.evidence or p.scope == "all"
                ],
            }
        )
    record_flags = {flag_key(f): f for f in record.flags}
    flags = []
    for f in c.row.flags:
        if f.code == "unread":
            continue
        keys = [
            k
            for k, g in record_flags.items()
            if g.code == f.code
            and g.period_key == f.period_key
            and set(g.fields) <= set(f.fields)
            and all(e in f.evidence for e in g.evidence[:1])
        ]
        fix = next(iter((f.fix or {}).items()), None)
        flags.append({"flag": f, "flag_keys": keys, "fix": fix, "id": (keys or ["x"])[0]})
    unread = [{"key": k, "flag": f} for k, f in record_flags.items() if f.code == "unread"]
    scopes = list(dict.fromkeys(["all", *(p.scope for p in record.periods)]))
    held = {x.id for x in in_force(c.log)}
    return {
        "periods": periods,
        "flags": flags,
        "rates": list(enumerate(record.percentages)),
        "citations": list(enumerate(record.citations)),
        "unread": unread,
        "scopes": [(s, _scope_words(s)) for s in scopes],
        "period_key": record.report.period_key
        or (record.periods[0].key if record.periods else None),
        "log": [(x, x.id in held) for x in reversed(c.log)],
        "format": record.source.format,
    }


def _edit(c: Commune, show: str) -> dict[str, Any] | None:
    """The figure a correction form is shown for (a figure's evidence is being shown)."""
    m = _SHOW.fullmatch(show)
    if c.record is None or m is None or not m.group(1):
        return None
    index, field = int(m.group(2)), m.group(3)
    if index >= len(c.record.periods) or field not in DOSSIER_FIELDS:
        return None
    period = c.record.periods[index]
    return {
        "field": field,
        "key": period.key,
        "scope": period.scope,
        "value": getattr(period.dossiers, field),
        "label": f"{label_of(field)} — {_scope_words(period.scope)}",
    }


def _scope_words(scope: str) -> str:
    if scope == "all":
        return "Toàn đơn vị"
    if scope == "lien_thong":
        return "Liên thông"
    if scope.startswith("part:"):
        return f"Bộ phận: {scope[5:]}"
    return f"Lĩnh vực: {scope}"


def _evidence_view(
    workspace: Workspace, documents: Documents, c: Commune, show: str
) -> dict[str, Any] | None:
    """Where a value was read, for the panel at the top of the page."""
    record = c.record
    m = _SHOW.fullmatch(show)
    if record is None or m is None:
        return {"error": "Không tìm thấy nơi đọc của mục này."}
    evidence, title = _pick(record, m)
    if evidence is None:
        return {
            "error": "Mục này không có trích dẫn nơi đọc (số liệu tính ra hoặc báo cáo không ghi)."
        }
    view: dict[str, Any] = {
        "title": title,
        "quote": evidence.quote,
        "where": where(evidence, record.source.format),
        "evidence": evidence,
    }
    try:
        if record.source.format == "pdf" and evidence.page and c.path is not None:
            _pdf_view(view, workspace, documents, c, record, evidence)
        elif c.path is not None:
            _text_view(view, workspace, documents, c, record, evidence)
    except Exception:  # the helper could not read the file now: say so, show the quote
        view["unavailable"] = True
    return view


def _pick(record: Record, m: re.Match) -> tuple[Evidence | None, str]:
    if m.group(1):
        index, field = int(m.group(2)), m.group(3)
        if index >= len(record.periods) or field not in DOSSIER_FIELDS:
            return None, ""
        period = record.periods[index]
        title = f"{label_of(field)} — {period.label} ({_scope_words(period.scope)})"
        return period.evidence.get(field), title
    kind, ref = m.group(4), m.group(5)
    if kind in ("cb", "cd"):
        flag = next((f for f in record.flags if flag_key(f) == ref), None)
        if flag is None or not flag.evidence:
            return None, ""
        return flag.evidence[0], flag.message
    items: list[Any] = record.percentages if kind == "tl" else record.citations
    if not ref.isdigit() or int(ref) >= len(items):
        return None, ""
    item = items[int(ref)]
    if kind == "tl":
        return item.evidence, f"Tỷ lệ {fmt_stated_rate(item.value, item.decimals)}"
    return item.evidence, f"Văn bản {item.symbol or item.raw or ''}"


def _pdf_view(
    view: dict[str, Any],
    workspace: Workspace,
    documents: Documents,
    c: Commune,
    record: Record,
    evidence: Evidence,
) -> None:
    sha = record.source.sha256 or ""
    seen = workspace.seen(c.path) if c.path else None
    width, height = documents.size(sha, c.path, evidence.page, seen)
    marked = documents.boxes(sha, c.path, evidence.page, evidence.quote, seen)
    view.update(
        kind="pdf",
        page=evidence.page,
        image=f"/xa/{c.slug}/trang/{evidence.page}.png?v={sha[:12]}",
        width=width,
        height=height,
        boxes=[tuple(round(v, 1) for v in box) for box in marked.boxes],
        found=marked.found,
        ocr=evidence.ocr,
    )


def _text_view(
    view: dict[str, Any],
    workspace: Workspace,
    documents: Documents,
    c: Commune,
    record: Record,
    evidence: Evidence,
) -> None:
    sha = record.source.sha256 or ""
    text = documents.text(sha, c.path, workspace.seen(c.path))
    start, end = evidence.start, evidence.end
    if not (0 <= start < end <= len(text)) or text[start:end].strip() != evidence.quote.strip():
        span = find_span(text, evidence.quote)
        if span is None:
            view.update(kind="text", found=False)
            return
        start, end = span
    low = max(0, start - _TEXT_WINDOW // 2)
    high = min(len(text), end + _TEXT_WINDOW // 2)
    view.update(
        kind="text",
        found=True,
        before=("…" if low else "") + text[low:start],
        passage=text[start:end],
        after=text[end:high] + ("…" if high < len(text) else ""),
    )
