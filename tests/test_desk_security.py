"""The desk's defences, over real HTTP on loopback: login required everywhere, CSRF on
every form, the login throttle, district scope, escaping, neutralised exports, the audit
log, cookies and headers."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest
from support.desk import PASSWORD, Seed, add_operator, desk_client, save_seed, served_desk
from support.timing import Clock

from bot.domain.reference import format_reference
from storage.sqlite import SqliteStore

PAGES = ["/", "/results", "/results.csv", "/results.xlsx", "/results/chart.svg", "/suspects"]
PAGES += ["/audit", "/audit.csv", "/export.csv"]


@pytest.fixture
async def url(store: SqliteStore, clock: Clock, tmp_path: Path) -> AsyncIterator[str]:
    add_operator(store, "chief", "admin")
    add_operator(store, "raipur-officer", "officer", ("Raipur",))
    add_operator(store, "durg-officer", "officer", ("Durg",))
    async with served_desk(store, clock, tmp_path / "evidence") as served:
        yield served


def _seed(store: SqliteStore, clock: Clock, district: str = "Raipur", **extra: object) -> str:
    return save_seed(store, Seed(district, (Decimal(50000),), clock.now, **extra))  # type: ignore[arg-type]


async def test_every_page_without_a_session_goes_to_the_login(
    url: str, store: SqliteStore, clock: Clock
) -> None:
    reference = _seed(store, clock)
    paths = [*PAGES, f"/complaints/{reference}", f"/complaints/{reference}/evidence/0"]
    async with desk_client(url) as browser:
        for path in paths:
            response = await browser.get(path, allow_redirects=False)
            assert response.status == 303, path
            assert response.headers["Location"].startswith("/login?next="), path
        response = await browser.session.post(
            f"{url}/complaints/{reference}/status",
            data={"status": "closed", "csrf": "x"},
            allow_redirects=False,
        )
        assert response.status == 303
    record = store.get_complaint(reference)
    assert record is not None and record["status"] == "registered"


async def test_an_officer_gets_404_for_another_districts_complaint_and_its_evidence(
    url: str, store: SqliteStore, clock: Clock, tmp_path: Path
) -> None:
    folder = tmp_path / "evidence" / "console"
    folder.mkdir(parents=True)
    (folder / "shot.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    durg = _seed(store, clock, "Durg")
    with store.transaction():
        store.db.execute(
            "insert into evidence values (?, 0, ?, '', 'image/png', 72, 'photo')",
            [durg, str(folder / "shot.png")],
        )
    async with desk_client(url) as browser:
        await browser.login("raipur-officer")
        for path in (f"/complaints/{durg}", f"/complaints/{durg}/evidence/0"):
            assert (await browser.get(path)).status == 404, path
        await browser.get("/")
        assert format_reference(durg) not in browser.text()
    async with desk_client(url) as browser:
        await browser.login("durg-officer")
        assert (await browser.get(f"/complaints/{durg}")).status == 200
        image = await browser.get(f"/complaints/{durg}/evidence/0")
        assert image.status == 200 and image.content_type == "image/png"
    async with desk_client(url) as browser:
        await browser.login("chief")
        assert (await browser.get(f"/complaints/{durg}/evidence/0")).status == 200


async def test_a_form_without_its_csrf_token_is_refused(
    url: str, store: SqliteStore, clock: Clock
) -> None:
    reference = _seed(store, clock)
    async with desk_client(url) as browser:
        await browser.login("raipur-officer")
        await browser.get(f"/complaints/{reference}")
        form = {"status": "closed", "note": "x"}
        response = await browser.post(f"/complaints/{reference}/status", form, csrf=False)
        assert response.status == 403
        form["csrf"] = "forged-token"
        response = await browser.post(f"/complaints/{reference}/status", form, csrf=False)
        assert response.status == 403
        record = store.get_complaint(reference)
        assert record is not None and record["status"] == "registered"
        response = await browser.post(f"/complaints/{reference}/status", {"status": "closed"})
        assert response.status == 303
    record = store.get_complaint(reference)
    assert record is not None and record["status"] == "closed"


async def test_a_login_form_without_its_token_is_refused(url: str) -> None:
    async with desk_client(url) as browser:
        await browser.get("/login")
        data = {"name": "chief", "password": PASSWORD}
        response = await browser.post("/login", data, csrf=False)
        assert response.status == 403
        assert (await browser.get("/", allow_redirects=False)).status == 303


async def test_the_sixth_wrong_password_in_a_minute_is_throttled(url: str) -> None:
    async with desk_client(url) as browser:
        for _ in range(5):
            await browser.login("chief", "wrong password!")
            assert browser.status == 401
            assert "Wrong name or password" in browser.text()
        await browser.login("chief", PASSWORD)  # the right one, but too late
        assert browser.status == 429
        assert "Too many failed attempts" in browser.text()
        assert (await browser.get("/", allow_redirects=False)).status == 303
    async with desk_client(url) as other:  # the same address, another account
        await other.login("raipur-officer")
        assert other.status == 429


async def test_script_in_a_description_is_shown_as_text(
    url: str, store: SqliteStore, clock: Clock
) -> None:
    reference = _seed(
        store, clock, description="<script>alert(1)</script>", name="=cmd|' /C calc'!A0"
    )
    async with desk_client(url) as browser:
        await browser.login("chief")
        await browser.get(f"/complaints/{reference}")
        assert "<script>alert(1)</script>" not in browser.page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in browser.page
        assert "<script>alert(1)</script>" in browser.text()
        response = await browser.get("/export.csv")
        rows = list(csv.DictReader(io.StringIO(await response.text())))
    [row] = rows
    assert row["name"] == "'=cmd|' /C calc'!A0"
    assert row["description"] == "<script>alert(1)</script>"


async def test_every_unmasked_view_is_in_the_audit_log(
    url: str, store: SqliteStore, clock: Clock
) -> None:
    reference = _seed(store, clock)
    async with desk_client(url) as browser:
        await browser.login("raipur-officer")
        await browser.get(f"/complaints/{reference}")
        await browser.get(f"/complaints/{reference}")
        await browser.get("/")  # masked: not a view of personal data
    views = list(
        store.db.query(
            "select operator, action, reference, at from audit_log where action = 'view'"
        )
    )
    assert [(v["operator"], v["reference"]) for v in views] == [("raipur-officer", reference)] * 2
    assert all(v["at"] == clock.now.isoformat() for v in views)
    async with desk_client(url) as browser:
        await browser.login("chief")
        response = await browser.get("/audit.csv")
        exported = list(csv.DictReader(io.StringIO(await response.text())))
        assert [e["action"] for e in exported if e["operator"] == "raipur-officer"].count(
            "view"
        ) == 2
    async with desk_client(url) as browser:
        await browser.login("raipur-officer")
        assert (await browser.get("/audit")).status == 404


async def test_the_list_masks_personal_data(url: str, store: SqliteStore, clock: Clock) -> None:
    _seed(store, clock, name="Kamla Devi", mobile="9123456780")
    async with desk_client(url) as browser:
        await browser.login("chief")
        await browser.get("/")
    assert "9123456780" not in browser.page and "Kamla" not in browser.page
    assert "xxxxxxxx80" in browser.text() and "K***" in browser.text()


async def test_cookies_headers_and_session_end(url: str, store: SqliteStore, clock: Clock) -> None:
    async with desk_client(url) as browser:
        response = await browser.login("chief")
        cookie = response.headers["Set-Cookie"]
        assert "desk_session=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
        assert "Secure" not in cookie
        page = await browser.get("/")
        assert page.status == 200
        assert "script-src" not in page.headers["Content-Security-Policy"]
        assert "default-src 'none'" in page.headers["Content-Security-Policy"]
        assert page.headers["X-Frame-Options"] == "DENY"
        assert page.headers["Cache-Control"] == "no-store"
        clock.advance(minutes=481)
        assert (await browser.get("/", allow_redirects=False)).status == 303
        clock.advance(minutes=-481)
        await browser.get("/")
        await browser.post("/logout", {})
        assert (await browser.get("/", allow_redirects=False)).status == 303


async def test_secure_cookie_when_asked(store: SqliteStore, clock: Clock, tmp_path: Path) -> None:
    """Behind TLS (DESK_COOKIE_SECURE=1) both cookies are HTTPS-only."""
    add_operator(store, "chief", "admin")
    async with (
        served_desk(store, clock, tmp_path, cookie_secure=True) as url,
        desk_client(url) as browser,
    ):
        page = await browser.get("/login")
        assert "Secure" in page.headers["Set-Cookie"]
        token = browser.csrf()
        response = await browser.session.post(
            url + "/login",
            data={"name": "chief", "password": PASSWORD, "csrf": token},
            headers={"Cookie": f"desk_login_csrf={token}"},  # a browser sends it over TLS
            allow_redirects=False,
        )
        assert response.status == 303
        assert "desk_session=" in response.headers["Set-Cookie"]
        assert "Secure" in response.headers["Set-Cookie"]


async def test_a_disabled_operator_is_logged_out(
    url: str, store: SqliteStore, clock: Clock
) -> None:
    async with desk_client(url) as browser:
        await browser.login("raipur-officer")
        assert (await browser.get("/")).status == 200
        with store.transaction():
            store.disable_operator("raipur-officer", clock.now)
        assert (await browser.get("/", allow_redirects=False)).status == 303
        await browser.login("raipur-officer")
        assert browser.status == 401


async def test_login_never_redirects_off_the_site(url: str) -> None:
    async with desk_client(url) as browser:
        await browser.get("/login?next=//evil.example/")
        response = await browser.post(
            "/login", {"name": "chief", "password": PASSWORD, "next": "//evil.example/"}
        )
        assert response.headers["Location"] == "/"
