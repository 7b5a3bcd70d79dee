"""`/operator`: the console for hotline operators and content editors, behind a login.

Pages are small HTML templates beside this file (inline CSS and JS, no external assets); the
page scripts call the JSON routes under `/operator/api/`. Every route but the login page needs a
session cookie (HttpOnly, SameSite=Strict, Path=/operator); every POST also needs the session's
CSRF token in the `X-Haven-CSRF` header. Editors may also publish situation bulletins.
Nothing here counts towards the needs picture: operators' searches are not migrants' messages.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import html
import json
import re
import time
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from pydantic import BaseModel, Field, StrictStr, validator

from bot import analytics, bulletins, i18n
from bot.content import KINDS, PHASES, Contact, country_name, format_checked_date
from bot.content_check import ISO_TERRITORIES, max_age_days
from bot.paths import SEEDS_DIR
from bot.responses import Context
from channels import fields
from channels.core import Gateway
from channels.operator.auth import SESSION_SECONDS, Authenticator, Session, operators_file
from channels.privacy import scrub_identifiers

HERE = Path(__file__).parent
COOKIE = "haven_operator"
CSRF_HEADER = "x-haven-csrf"
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
SECURITY_HEADERS = {
    "cache-control": "no-store",
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "referrer-policy": "same-origin",  # external links get no referrer; a form POST still sends its Origin
    "x-content-type-options": "nosniff",
}
PHASE_LABELS = {"pre_crisis": "Before a crisis", "emergency": "During a crisis", "post_crisis": "After a crisis", "any": "Any time"}
KIND_LABELS = {"what_to_do": "What to do", "who_to_contact": "Who to contact", "rights": "Rights"}
EXPIRY_CHOICES_HOURS = (6, 12, 24, 48, 72, 168, 336)
PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\}\}")
SEED_NAME = re.compile(r"^(?!notes_)[A-Za-z0-9_.-]+\.(txt|md)$")


# -- the router and its start-up -----------------------------------------------------------------
@asynccontextmanager
async def lifespan(app: FastAPI):
    """At start-up: the accounts (in development, the one-time `dev` password is printed now) and
    the review flags of the catalogs, so that the first search is as fast as the others."""
    authenticator(app)
    await asyncio.to_thread(_warm_review_flags)
    yield


def _warm_review_flags() -> None:
    for code in i18n.locales():
        for domain in i18n.DOMAINS:
            i18n.fuzzy_entries(code, domain)


router = APIRouter(prefix="/operator", tags=["operator"], include_in_schema=False, lifespan=lifespan)


def authenticator(app) -> Authenticator:
    auth = getattr(app.state, "operator_auth", None)
    if auth is None:
        gateway: Gateway = app.state.gateway
        auth = Authenticator(operators_file(gateway.settings.data_dir), development=gateway.settings.development)
        auth.accounts()
        app.state.operator_auth = auth
    return auth


def _gateway(request: Request) -> Gateway:
    return request.app.state.gateway


def _session(request: Request) -> Session | None:
    return authenticator(request.app).session(request.cookies.get(COOKIE))


# -- access control ------------------------------------------------------------------------------
def api_session(request: Request) -> Session:
    session = _session(request)
    if session is None:
        raise HTTPException(status_code=401, detail="log in at /operator/login first")
    if request.method == "POST":
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not hmac.compare_digest(sent.encode(), session.csrf.encode()):
            raise HTTPException(status_code=403, detail="missing or wrong X-Haven-CSRF header")
    return session


def editor_session(session: Session = Depends(api_session)) -> Session:
    if not session.editor:
        raise HTTPException(status_code=403, detail="editors only")
    return session


def _to_login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/operator/login?next={quote(target, safe='')}", status_code=303, headers={"cache-control": "no-store"})


def _safe_next(target: str | None) -> str:
    if not target:
        return "/operator"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/operator") or target.startswith("//") or "\\" in target:
        return "/operator"
    return target


def _cookie_secure(request: Request) -> bool:
    if _gateway(request).settings.development:
        return False
    return not (request.url.scheme == "http" and (request.url.hostname or "") in LOOPBACK)


def _same_origin(request: Request) -> bool:
    """False when a browser says the login form was posted from another site (login CSRF)."""
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not sent by this browser or client; the cookie is SameSite=Strict anyway
    hosts = {request.headers.get("host", ""), request.headers.get("x-forwarded-host", "").split(",")[0].strip()}
    public = _gateway(request).settings.public_url
    if public:
        hosts.add(urlsplit(public).netloc)
    return urlsplit(origin).netloc in hosts - {""}


# -- templates -----------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _template(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def _page(name: str, status: int = 200, **values: str) -> HTMLResponse:
    values = {"style": _template("style.css"), "common": _template("common.js"), **values}
    page = PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), _template(name))  # one pass
    return HTMLResponse(page, status_code=status, headers=SECURITY_HEADERS)


def _json_for_script(data: object) -> str:
    """JSON safe inside a <script type="application/json"> element."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _nav(session: Session, current: str) -> str:
    links = [("/operator", "Console"), ("/operator/book", "Script book"), ("/operator/needs", "Needs picture")]
    if session.editor:
        links.insert(2, ("/operator/editor", "Bulletins"))
    here = ' aria-current="page"'
    items = "".join(f'<a href="{href}"{here if href == current else ""}>{label}</a>' for href, label in links)
    return (
        f'<nav aria-label="Console sections">{items}</nav>'
        f'<span class="who">{html.escape(session.user)} ({session.role})'
        f' <button type="button" id="logout" class="link">Log out</button></span>'
    )


def _boot(request: Request, session: Session) -> dict:
    """What every console page's script needs: languages, countries, topics, the CSRF token."""
    gateway = _gateway(request)
    content = gateway.assistant.content if gateway.assistant else None
    codes = sorted((c for c in (content.countries if content else {}) if c != "default"), key=lambda c: country_name(c, "en"))
    nationalities = sorted({n for c in codes for n in content.countries[c].consulates}, key=lambda c: country_name(c, "en")) if content else []
    return {
        "csrf": session.csrf,
        "user": session.user,
        "role": session.role,
        "languages": [{"code": code, "native": loc.native, "english": loc.english, "dir": loc.direction} for code, loc in i18n.locales().items()],
        "countries": [{"code": c, "name": country_name(c, "en")} for c in codes],
        "nationalities": [{"code": c, "name": country_name(c, "en")} for c in nationalities],
        "phases": [{"id": p, "label": PHASE_LABELS[p]} for p in PHASES],
        "kinds": [{"id": k, "label": KIND_LABELS[k]} for k in KINDS],
        "expiry_hours": list(EXPIRY_CHOICES_HOURS),
    }


def _page_for(request: Request, name: str, path: str, **values: str) -> Response:
    session = _session(request)
    if session is None:
        return _to_login(request)
    if _gateway(request).assistant is None:
        return PlainTextResponse("the model is still loading; reload in a few seconds", status_code=503)
    return _page(name, nav=_nav(session, path), boot=_json_for_script(_boot(request, session)), **values)


# -- login and logout ----------------------------------------------------------------------------
@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: Optional[str] = None) -> Response:  # noqa: A002 - the query parameter's name
    if _session(request) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_page(request, next, "", 200)


def _login_page(request: Request, target: str | None, message: str, status: int) -> HTMLResponse:
    auth = authenticator(request.app)
    note = ""
    if not auth.configured():
        note = "No operator accounts are configured on this server: an administrator creates them with <code>haven operator add NAME --role operator</code>."
    return _page(
        "login.html",
        status=status,
        next=html.escape(_safe_next(target)),
        message=html.escape(message),
        message_hidden="" if message else "hidden",
        note=note,
        note_hidden="" if note else "hidden",
    )


@router.post("/login")
async def login(request: Request) -> Response:
    if not _same_origin(request):
        return PlainTextResponse("cross-site login refused", status_code=403)
    form = await request.form()
    user = str(form.get("user", ""))[:64]
    password = str(form.get("password", ""))[:1024]
    target = str(form.get("next", "")) or None
    auth = authenticator(request.app)
    wait = auth.locked(user.strip().lower())
    if wait:
        minutes = max(1, round(wait / 60))
        return _login_page(request, target, f"Too many failed attempts for this name. Try again in {minutes} minutes.", 429)
    result = await asyncio.to_thread(auth.login, user, password)
    if result is None:
        if auth.locked(user.strip().lower()):
            return _login_page(request, target, "Too many failed attempts for this name. Try again in 15 minutes.", 429)
        return _login_page(request, target, "Wrong name or password.", 401)
    token, _session_ = result
    response = RedirectResponse(_safe_next(target), status_code=303, headers={"cache-control": "no-store"})
    response.set_cookie(COOKIE, token, max_age=SESSION_SECONDS, path="/operator", httponly=True, samesite="strict", secure=_cookie_secure(request))
    return response


@router.post("/logout")
async def logout(request: Request, session: Session = Depends(api_session)) -> Response:
    authenticator(request.app).logout(request.cookies.get(COOKIE))
    response = JSONResponse({"ok": True})
    response.delete_cookie(COOKIE, path="/operator", httponly=True, samesite="strict", secure=_cookie_secure(request))
    return response


# -- pages ---------------------------------------------------------------------------------------
@router.get("", response_class=HTMLResponse)
async def console_page(request: Request) -> Response:
    return _page_for(request, "console.html", "/operator")


@router.get("/editor", response_class=HTMLResponse)
async def editor_page(request: Request) -> Response:
    session = _session(request)
    if session is not None and not session.editor:
        return PlainTextResponse("editors only", status_code=403)
    return _page_for(request, "editor.html", "/operator/editor")


@router.get("/needs", response_class=HTMLResponse)
async def needs_page(request: Request) -> Response:
    return _page_for(request, "needs.html", "/operator/needs")


@router.get("/book", response_class=HTMLResponse)
async def book_page(request: Request, country: Optional[str] = None, language: Optional[str] = None, operator_language: Optional[str] = None) -> Response:
    session = _session(request)
    if session is None:
        return _to_login(request)
    gateway = _gateway(request)
    if gateway.assistant is None:
        return PlainTextResponse("the model is still loading; reload in a few seconds", status_code=503)
    caller = i18n.normalise_locale(language) or i18n.SOURCE_LOCALE
    operator = i18n.normalise_locale(operator_language) or i18n.SOURCE_LOCALE
    code = country.upper() if country and country.upper() in gateway.assistant.content.countries and country.upper() != "default" else None
    body = _book_html(gateway, code, caller, operator) if country is not None or language is not None else ""
    return _page(
        "book.html",
        nav=_nav(session, "/operator/book"),
        boot=_json_for_script({**_boot(request, session), "selected": {"country": code or "", "language": caller, "operator_language": operator}}),
        book=body,
        title=html.escape(f"Script book: {country_name(code, 'en') if code else 'no country'}, {i18n.locales()[caller].english}" if body else "Script book"),
    )


@router.get("/sources/{seed}", response_class=HTMLResponse)
async def source_page(request: Request, seed: str, section: Optional[str] = None) -> Response:
    session = _session(request)
    if session is None:
        return _to_login(request)
    path = SEEDS_DIR / seed
    if not SEED_NAME.match(seed) or not path.is_file():
        return PlainTextResponse(f"source '{seed}' is not available on this server", status_code=404)
    text = path.read_text(encoding="utf-8", errors="replace")
    return _page(
        "source.html",
        nav=_nav(session, ""),
        boot=_json_for_script({"csrf": session.csrf, "section": section or ""}),
        seed=html.escape(seed),
        section=html.escape(section or ""),
        text=html.escape(text),
    )


# -- the JSON API the pages use --------------------------------------------------------------------
class SearchRequest(BaseModel):
    text: StrictStr = Field(..., min_length=1, max_length=2000)
    caller_language: Optional[StrictStr] = Field(None, description="the caller's language; default: detected")
    operator_language: StrictStr = "en"
    country: Optional[StrictStr] = None
    nationality: Optional[StrictStr] = None

    @validator("text")
    def not_blank(cls, value: str) -> str:  # noqa: N805
        if not value.strip():
            raise ValueError("text is empty")
        return value

    @validator("caller_language", "operator_language")
    def known_language(cls, value: Optional[str]) -> Optional[str]:  # noqa: N805
        return None if value in (None, "", "auto") else fields.language_code(value)

    @validator("country", "nationality")
    def iso_code(cls, value: Optional[str]) -> Optional[str]:  # noqa: N805
        return None if value in (None, "") else fields.country_code(value)


@router.post("/api/search")
async def search(body: SearchRequest, request: Request, session: Session = Depends(api_session)) -> dict:
    gateway = _ready(request)
    started = time.perf_counter()
    answer = await gateway.assistant.ask(scrub_identifiers(body.text), body.caller_language, body.country, body.nationality)
    operator = body.operator_language or i18n.SOURCE_LOCALE
    result = _topic_view(gateway, answer.topic, answer.language, operator, body.country, body.nationality, caller_answer=answer.answer, caller_translated=answer.translated)
    result["confidence"] = round(answer.confidence, 3)
    result["alternatives"] = [
        {"topic": topic, "confidence": round(confidence, 3), "title": _title(gateway, topic, operator)} for topic, confidence in answer.alternatives
    ]
    result["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


@router.get("/api/topic/{topic_id}")
async def topic(
    topic_id: str,
    request: Request,
    caller_language: Optional[str] = None,
    operator_language: Optional[str] = None,
    country: Optional[str] = None,
    nationality: Optional[str] = None,
    session: Session = Depends(api_session),
) -> dict:
    gateway = _ready(request)
    if topic_id not in gateway.assistant.content.topics:
        raise HTTPException(status_code=404, detail=f"no topic '{topic_id}'")
    caller = i18n.normalise_locale(caller_language) or i18n.SOURCE_LOCALE
    operator = i18n.normalise_locale(operator_language) or i18n.SOURCE_LOCALE
    return {**_topic_view(gateway, topic_id, caller, operator, _iso(country), _iso(nationality)), "alternatives": [], "confidence": None}


@router.get("/api/browse")
async def browse(request: Request, phase: Optional[str] = None, kind: Optional[str] = None, language: Optional[str] = None, session: Session = Depends(api_session)) -> dict:
    gateway = _ready(request)
    operator = i18n.normalise_locale(language) or i18n.SOURCE_LOCALE
    content = gateway.assistant.content
    order = [t for kind_id in KINDS for t in content.menu.get(kind_id, [])]
    ranked = sorted(content.topics.values(), key=lambda t: (order.index(t.id) if t.id in order else len(order), t.id))
    found = [
        {"id": t.id, "title": _title(gateway, t.id, operator), "phase": t.phase, "kind": t.kind, "basis": t.basis}
        for t in ranked
        if (not phase or t.phase in (phase, "any")) and (not kind or t.kind == kind)
    ]
    return {"phase": phase, "kind": kind, "topics": found}


@router.get("/api/country/{code}")
async def country_card(code: str, request: Request, nationality: Optional[str] = None, language: Optional[str] = None, session: Session = Depends(api_session)) -> dict:
    gateway = _ready(request)
    card = _country_card(gateway, _iso(code) or "", _iso(nationality), i18n.normalise_locale(language) or i18n.SOURCE_LOCALE)
    if card is None:
        raise HTTPException(status_code=404, detail=f"no country pack for '{code}'")
    return card


class PublishRequest(BaseModel):
    country: StrictStr
    texts: Dict[StrictStr, StrictStr]
    expires_in_hours: Optional[int] = Field(None, ge=1, le=24 * 31)
    expires: Optional[StrictStr] = Field(None, description="ISO date and time in UTC, e.g. 2026-11-24T18:00:00Z")

    @validator("country")
    def iso_country(cls, value: str) -> str:  # noqa: N805
        value = value.strip().upper()
        if value not in ISO_TERRITORIES:
            raise ValueError("expected a two-letter ISO 3166 country code, e.g. LB")
        return value


@router.get("/api/bulletins")
async def list_bulletins(request: Request, country: Optional[str] = None, session: Session = Depends(api_session)) -> dict:
    now = bulletins.utcnow()
    found = bulletins.for_country(_iso(country)) if country else bulletins.load_all()
    current = {id(b) for b in (bulletins.current(b.country, now) for b in found) if b is not None}
    return {"bulletins": [{**b.as_json(), "status": _status(b, now, id(b) in current)} for b in found]}


def _status(bulletin: bulletins.Bulletin, now: dt.datetime, current: bool) -> str:
    if bulletin.expires <= now:
        return "expired"
    if bulletin.published > now:
        return "scheduled"
    return "current" if current else "superseded"


@router.post("/api/bulletins")
async def publish(body: PublishRequest, request: Request, session: Session = Depends(editor_session)) -> JSONResponse:
    now = bulletins.utcnow().replace(microsecond=0)
    if body.expires:
        expires = bulletins.parse_datetime(body.expires)
        if expires is None:
            raise HTTPException(status_code=422, detail="'expires' must be an ISO date and time with a zone, e.g. 2026-11-24T18:00:00Z")
    else:
        expires = now + dt.timedelta(hours=body.expires_in_hours or 24)
    if expires <= now:
        raise HTTPException(status_code=422, detail="the expiry must be in the future")
    texts = {i18n.normalise_locale(code) or code: text for code, text in body.texts.items() if text.strip()}
    if not texts:
        raise HTTPException(status_code=422, detail="write the bulletin in at least one language")
    try:
        bulletin = await asyncio.to_thread(bulletins.publish, body.country, texts, expires, session.user, now)
    except ValueError as error:
        raise HTTPException(status_code=422, detail=str(error)) from None
    return JSONResponse({**bulletin.as_json(), "status": "current"}, status_code=201)


class WithdrawRequest(BaseModel):
    file: StrictStr


@router.post("/api/bulletins/withdraw")
async def withdraw(body: WithdrawRequest, request: Request, session: Session = Depends(editor_session)) -> dict:
    match = next((b for b in bulletins.load_all() if b.as_json()["file"] == body.file), None)
    if match is None:
        raise HTTPException(status_code=404, detail="no such bulletin")
    ended = await asyncio.to_thread(bulletins.withdraw, match)
    return {**ended.as_json(), "status": "expired"}


@router.get("/api/needs")
async def needs(request: Request, days: int = 30, session: Session = Depends(api_session)) -> dict:
    store = analytics.store(_gateway(request).settings.data_dir)
    summary = await asyncio.to_thread(store.summary, max(1, min(days, 366)))
    gateway = _gateway(request)
    if gateway.assistant:
        for row in summary["topic"]:
            row["label"] = _title(gateway, row["key"], "en")
    for row in summary["country"]:
        row["label"] = country_name(row["key"], "en") if row["key"] != analytics.UNKNOWN else "not known"
    for row in summary["language"]:
        locale = i18n.locales().get(row["key"])
        row["label"] = locale.english if locale else "not known"
    return summary


@router.get("/needs.csv")
async def needs_csv(request: Request, days: int = 30) -> Response:
    if _session(request) is None:
        return _to_login(request)
    store = analytics.store(_gateway(request).settings.data_dir)
    text = await asyncio.to_thread(store.csv, max(1, min(days, 366)))
    name = f"haven-needs-{analytics.today().isoformat()}-{days}d.csv"
    return Response(text, media_type="text/csv; charset=utf-8", headers={"content-disposition": f'attachment; filename="{name}"', "cache-control": "no-store"})


# -- building the views --------------------------------------------------------------------------
def _ready(request: Request) -> Gateway:
    gateway = _gateway(request)
    if gateway.assistant is None:
        raise HTTPException(status_code=503, detail="the model is still loading")
    return gateway


def _iso(code: Optional[str]) -> Optional[str]:
    if not code or len(code) != 2 or not code.isalpha():
        return None
    return code.upper()


def _title(gateway: Gateway, topic_id: str, language: str) -> str:
    if topic_id in gateway.assistant.content.topics:
        return gateway.assistant.responder.topic_title(topic_id, language)
    return topic_id.replace("_", " ")


def _direction(language: str) -> str:
    return i18n.locales()[language].direction if language in i18n.locales() else "ltr"


def _topic_view(
    gateway: Gateway,
    topic_id: str,
    caller: str,
    operator: str,
    country: str | None,
    nationality: str | None,
    caller_answer: str | None = None,
    caller_translated: bool | None = None,
) -> dict:
    """One topic as the console shows it: the caller's answer beside the operator's, the script,
    the sources, and whether each text is a reviewed translation."""
    content = gateway.assistant.content
    responder = gateway.assistant.responder
    topic_obj = content.topics.get(topic_id)
    current = bulletins.current(country)

    def answer_in(language: str) -> tuple[str, str]:
        if topic_obj is None:
            try:
                reply = responder.respond(topic_id, Context(language, country, nationality, "api"))
            except KeyError:
                return "", "reviewed"
            return reply.text, "reviewed"
        reply = responder.topic(topic_id, Context(language, country, nationality, "api"))
        if topic_id == "situation_update" and current is not None:
            return reply.text, "reviewed" if current.text(language)[1] == language else "missing"
        return reply.text, i18n.review_state(language, topic_obj.chat, "content", f"{topic_id}.chat")

    caller_text, caller_review = answer_in(caller)
    if caller_answer is not None:
        caller_text = caller_answer
    operator_text, operator_review = answer_in(operator)
    script, script_review = "", "reviewed"
    sources: list[dict] = []
    if topic_obj is not None:
        script = content.text(topic_obj, "operator_script", operator)[0]
        script_review = i18n.review_state(operator, topic_obj.operator_script, "content", f"{topic_id}.operator_script")
        for source in topic_obj.sources:
            available = bool(SEED_NAME.match(source.seed)) and (SEEDS_DIR / source.seed).is_file()
            sources.append(
                {
                    "cite": source.cite(),
                    "seed": source.seed,
                    "section": source.section,
                    "url": f"/operator/sources/{quote(source.seed)}?section={quote(source.section)}" if available else None,
                }
            )
    return {
        "topic": topic_id,
        "content_topic": topic_obj is not None,
        "kind": topic_obj.kind if topic_obj else None,
        "phase": topic_obj.phase if topic_obj else None,
        "basis": topic_obj.basis if topic_obj else None,
        "title": {"caller": _title(gateway, topic_id, caller), "operator": _title(gateway, topic_id, operator)},
        "caller": {
            "language": caller,
            "name": i18n.locales()[caller].native,
            "dir": _direction(caller),
            "answer": caller_text,
            "review": "missing" if caller_translated is False else caller_review,
        },
        "operator": {
            "language": operator,
            "name": i18n.locales()[operator].native,
            "dir": _direction(operator),
            "answer": operator_text,
            "review": operator_review,
            "script": script,
            "script_review": script_review,
        },
        "sources": sources,
        "country": country,
        "bulletin": _bulletin_view(current, caller, operator) if current else None,
    }


def _bulletin_view(bulletin: bulletins.Bulletin, caller: str, operator: str) -> dict:
    caller_text, caller_lang = bulletin.text(caller)
    operator_text, operator_lang = bulletin.text(operator)
    return {
        **bulletin.as_json(),
        "caller": {"text": caller_text, "language": caller_lang, "dir": _direction(caller_lang)},
        "operator": {"text": operator_text, "language": operator_lang, "dir": _direction(operator_lang)},
    }


def _contact_view(contact: Contact, today: dt.date, max_age: int, service_language: str = "en") -> dict:
    age = (today - contact.verified).days if contact.verified else None
    return {
        "label": contact.label,
        "role": contact.role,
        "phone": contact.phone,
        "web": contact.web,
        "source": contact.source,
        "verified": contact.verified.isoformat() if contact.verified else None,
        "verified_text": format_checked_date(contact.verified, service_language) if contact.verified else None,
        "age_days": age,
        "stale": age is None or age > max_age,
    }


def _country_card(gateway: Gateway, code: str, nationality: str | None, language: str) -> dict | None:
    content = gateway.assistant.content
    pack = content.pack(code)
    if pack is None or pack.code == "default":
        return None
    today = dt.date.today()
    max_age = max_age_days()
    consulates = sorted(pack.consulates.items(), key=lambda kv: (kv[0] != nationality, country_name(kv[0], "en")))
    current = bulletins.current(code)
    return {
        "country": pack.code,
        "name": country_name(pack.code, "en"),
        "editor": pack.editor,
        "updated": pack.updated.isoformat() if pack.updated else None,
        "complete": pack.complete,
        "max_age_days": max_age,
        "migrant_languages": list(pack.migrant_languages),
        "emergency": [{**_contact_view(c, today, max_age), "service": c.label} for c in pack.emergency],
        "organisations": [_contact_view(c, today, max_age) for c in pack.organisations],
        "consulates": [
            {**_contact_view(c, today, max_age), "nationality": n, "nationality_name": country_name(n, "en"), "match": n == nationality}
            for n, c in consulates
        ],
        "nationality": nationality,
        "nationality_has_consulate": bool(nationality and nationality in pack.consulates),
        "notes": dict(pack.notes),
        "bulletin": _bulletin_view(current, language, "en") if current else None,
    }


def _book_html(gateway: Gateway, country: str | None, caller: str, operator: str) -> str:
    """The printable script book: the contact card, then every topic by phase."""
    content = gateway.assistant.content
    esc = html.escape
    caller_dir, operator_dir = _direction(caller), _direction(operator)
    parts: list[str] = []
    today = dt.date.today()
    max_age = max_age_days()
    card = _country_card(gateway, country, None, caller) if country else None
    parts.append(f'<p class="meta">Printed {esc(today.isoformat())}. Caller\'s language: {esc(i18n.locales()[caller].english)}; operator\'s language: {esc(i18n.locales()[operator].english)}. Entries marked <span class="badge warn">unreviewed</span> are machine or draft translations not yet checked by a native speaker; <span class="badge stale">check</span> marks contacts verified more than {max_age} days ago.</p>')
    if card:
        rows = []
        for item in card["emergency"] + card["organisations"] + card["consulates"]:
            label = f"Emergency: {item['service'].replace('_', ' ')}" if item.get("service") else item["label"]
            if item.get("nationality"):
                label = f"Consulate for {item['nationality_name']}: {item['label']}"
            stale = ' <span class="badge stale">check</span>' if item["stale"] else ""
            rows.append(
                f"<tr><td>{esc(label)}</td><td>{esc(item['phone'] or '')} {esc(item['web'] or '')}</td>"
                f"<td class=\"nowrap\">{esc(item['verified'] or 'never')}{stale}</td></tr>"
            )
        parts.append(
            f'<section class="card"><h2>Contacts: {esc(card["name"])}</h2>'
            f'<table><thead><tr><th scope="col">Who</th><th scope="col">Number / web</th><th scope="col">Verified</th></tr></thead><tbody>{"".join(rows)}</tbody></table></section>'
        )
        if card["bulletin"]:
            b = card["bulletin"]
            parts.append(
                f'<section class="card"><h2>Situation bulletin (published {esc(b["published"])}, expires {esc(b["expires"])})</h2>'
                f'<p lang="{esc(b["caller"]["language"])}" dir="{b["caller"]["dir"]}">{esc(b["caller"]["text"])}</p></section>'
            )
    for phase in PHASES:
        topics = [t for t in content.topics.values() if t.phase == phase]
        if not topics:
            continue
        parts.append(f'<h2 class="phase">{esc(PHASE_LABELS[phase])}</h2>')
        for t in sorted(topics, key=lambda t: (KINDS.index(t.kind), t.id)):
            view = _topic_view(gateway, t.id, caller, operator, country, None)
            def mark(state: str) -> str:
                return {"unreviewed": ' <span class="badge warn">unreviewed</span>', "missing": ' <span class="badge warn">not translated</span>'}.get(state, "")
            sources = "; ".join(esc(s["cite"]) for s in view["sources"])
            parts.append(
                f'<article class="topic" id="t-{t.id}"><h3>{esc(view["title"]["operator"])}'
                + (f' / <span lang="{caller}" dir="{caller_dir}">{esc(view["title"]["caller"])}</span>' if caller != operator else "")
                + f' <span class="badge">{esc(KIND_LABELS[t.kind])}</span> <span class="badge basis">{esc(t.basis)}</span></h3>'
                f'<div class="cols"><div class="col" lang="{operator}" dir="{operator_dir}"><h4>Script{mark(view["operator"]["script_review"])}</h4><p class="pre">{esc(view["operator"]["script"])}</p></div>'
                f'<div class="col" lang="{caller}" dir="{caller_dir}"><h4>Answer ({esc(i18n.locales()[caller].native)}){mark(view["caller"]["review"])}</h4><p class="pre">{esc(view["caller"]["answer"])}</p></div></div>'
                f'<p class="sources">Sources: {sources}</p></article>'
            )
    return "\n".join(parts)
