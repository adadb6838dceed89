"""The Streamlit side of reviewer sign-in: who is signed in, the sign-in form, sign-out, and the guard every editing page and action calls.

Viewing needs no sign-in. A reviewer signs in with a name and password (dashboard.auth: hashes
from st.secrets [reviewers] or DASHBOARD_REVIEWERS) or, where an organisation configured
Streamlit's OpenID Connect login ([auth] in the secrets), with st.login; such a user reviews only
when their e-mail is listed in [review] oidc_reviewers or DASHBOARD_OIDC_REVIEWERS.

The sign-in lives in this session's server-side state as a Reviewer object: no widget and no
query parameter can set it (a widget key could be written by the browser, an object cannot).
Embedded views never count as signed in. Failed sign-ins are counted per name in one
SignInLimiter per server process (st.cache_resource): shared by every session, kept across
reruns, reset when the server restarts; no sign-in attempt writes to the store.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboard import auth
from dashboard.model import signin_limits
from dashboard.model.formatting import escape_markdown
from dashboard.ui import ui

REVIEWER_KEY = "_dashboard_reviewer"
FLASH_KEY = "_dashboard_review_flash"
OIDC_SECTION = "review"


@dataclass(frozen=True)
class Reviewer:
    """A signed-in reviewer: the configured name (or e-mail for OpenID Connect) and how they signed in."""

    name: str
    method: str  # "password" or "oidc"
    since: float


@st.cache_resource(show_spinner=False)
def limiter_cached() -> signin_limits.SignInLimiter:
    """The failed sign-ins of every session of this server process."""
    return signin_limits.SignInLimiter()


def _secrets_section(name: str) -> Mapping[str, Any] | None:
    try:
        section = st.secrets.get(name)
    except Exception:  # no secrets file at all: nothing configured there
        return None
    return section if isinstance(section, Mapping) else None


def configured_reviewers_ui(*, report: bool = False) -> dict[str, str]:
    """The password reviewers; a malformed configuration counts as none, and is reported (without its values)
    with report=True (on the sign-in page, not to every viewer)."""
    try:
        return auth.load_reviewers(_secrets_section(auth.SECRETS_SECTION))
    except auth.ReviewerConfigError as error:
        if report:
            st.error(f"The reviewers' configuration is malformed: {escape_markdown(error)}", icon=":material/error:")
        return {}


def oidc_enabled_ui() -> bool:
    """Whether Streamlit's OpenID Connect login is configured ([auth] in the secrets)."""
    return _secrets_section("auth") is not None


def _oidc_allowed_ui() -> frozenset[str]:
    section = _secrets_section(OIDC_SECTION) or {}
    return auth.oidc_reviewers(section.get("oidc_reviewers"))


def embedded_ui() -> bool:
    """Whether this session is an embedded view (?embed=true): never an editing one."""
    try:
        return bool(st.context.is_embedded)
    except Exception:
        return False


def _oidc_reviewer_ui() -> Reviewer | None:
    if not oidc_enabled_ui():
        return None
    try:
        user = st.user
        if not user.get("is_logged_in"):
            return None
        email = str(user.get("email") or "").strip()
    except Exception:
        return None
    if email and email.casefold() in _oidc_allowed_ui():
        return Reviewer(email, "oidc", time.time())
    return None


def reviewer_ui() -> Reviewer | None:
    """The signed-in reviewer of this session, checked again on every call; None for everyone else."""
    if embedded_ui():
        return None
    signed_in = st.session_state.get(REVIEWER_KEY)
    if isinstance(signed_in, Reviewer) and signed_in.method == "password":
        if signed_in.name in configured_reviewers_ui():  # a reviewer removed from the configuration is out at once
            return signed_in
        st.session_state.pop(REVIEWER_KEY, None)
    return _oidc_reviewer_ui()


def require_reviewer_ui() -> Reviewer:
    """The signed-in reviewer, or a refusal that stops the page. Call it before every change to the store."""
    reviewer = reviewer_ui()
    if reviewer is None:
        st.error("Adding and reviewing need a reviewer sign-in. Sign in on the **Sign in** page.", icon=":material/lock:")
        st.stop()
    return reviewer


SIGN_IN_CLIENT_KEY = "_dashboard_sign_in_client"


def sign_in_client_ui() -> str:
    """Who is signing in, for counting failed sign-ins: the connection's address (signin_limits.client_key), else this session.

    The address is the one Streamlit's server (uvicorn) sees. Behind a reverse proxy it takes the
    client's from X-Forwarded-For only when the proxy connects from an address listed in
    FORWARDED_ALLOW_IPS (127.0.0.1 and ::1 unless set), so a visitor cannot choose it by sending
    the header. Streamlit gives no address for local connections (127.0.0.1, ::1), and AppTest none
    that is an address: then each session counts apart, which also means a new session starts afresh.
    """
    try:
        address = st.context.ip_address
    except Exception:  # no client context (a bare run): the session will do
        address = None
    key = signin_limits.client_key(address)
    if key is None:
        key = st.session_state.get(SIGN_IN_CLIENT_KEY)
        if not isinstance(key, str):  # no widget has this key, so only this code ever sets it
            key = st.session_state[SIGN_IN_CLIENT_KEY] = f"session-{secrets.token_hex(8)}"
    return key


def sign_in_ui(name: str, password: str) -> Reviewer:
    """Check a name and password (rate-limited); on success this session is signed in. Raises auth.SignInRefused."""
    if embedded_ui():
        raise auth.SignInRefused("Embedded views are read-only: open the dashboard itself to sign in.")
    known = auth.authenticate(configured_reviewers_ui(report=True), limiter_cached(), name, password, client=sign_in_client_ui())
    reviewer = Reviewer(known, "password", time.time())
    st.session_state[REVIEWER_KEY] = reviewer
    return reviewer


def sign_out_ui() -> None:
    reviewer = reviewer_ui()
    st.session_state.pop(REVIEWER_KEY, None)
    if reviewer is not None and reviewer.method == "oidc":
        st.logout()


def sign_in_form_ui() -> None:
    """The password form (and the organisation's login button when OpenID Connect is configured)."""
    if oidc_enabled_ui():
        if st.button("Sign in with your organisation", icon=":material/badge:", key="oidc-login"):
            st.login(str((_secrets_section(OIDC_SECTION) or {}).get("oidc_provider") or "") or None)
        st.caption("Or with a reviewer name and password:")
    with st.form("sign-in", clear_on_submit=True, enter_to_submit=True):  # the password never stays in the session
        name = st.text_input("Reviewer name", key="signin-name", max_chars=64, autocomplete="username")
        password = st.text_input("Password", type="password", key="signin-password", max_chars=auth.MAX_PASSWORD)
        submitted = st.form_submit_button("Sign in", type="primary", icon=":material/login:")
    if not submitted:
        return
    try:
        reviewer = sign_in_ui(name, password)
    except auth.SignInRefused as error:
        st.error(escape_markdown(error), icon=":material/block:")
        return
    flash_ui(f"Signed in as {reviewer.name}.")
    st.rerun()  # the editing pages join the navigation on the next run


def flash_ui(message: str) -> None:
    """A message to show once, on the next run (after st.rerun)."""
    st.session_state[FLASH_KEY] = message


def refused_ui(error: Exception) -> None:
    """A write or an intake the store refused: its message, which says what was wrong and what to do."""
    st.error(escape_markdown(error), icon=":material/error:")


def saved_ui(message: str) -> None:
    """A write done: the next run reads the store again and shows `message` once."""
    ui.refresh_store_ui()
    flash_ui(message)
    st.rerun()


def show_flash_ui() -> None:
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(escape_markdown(message), icon=":material/check_circle:")


__all__ = [
    "Reviewer",
    "configured_reviewers_ui",
    "embedded_ui",
    "flash_ui",
    "limiter_cached",
    "oidc_enabled_ui",
    "refused_ui",
    "require_reviewer_ui",
    "reviewer_ui",
    "saved_ui",
    "show_flash_ui",
    "sign_in_form_ui",
    "sign_in_ui",
    "sign_out_ui",
]
