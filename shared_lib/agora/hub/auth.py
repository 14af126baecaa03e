"""Authenticators: NativeAuthenticator (default) and Azure AD, each with Agora's rules."""
from __future__ import annotations

import re

from nativeauthenticator import NativeAuthenticator
from nativeauthenticator import handlers as native_handlers
from oauthenticator.azuread import AzureAdOAuthenticator
from traitlets import Dict

from .errors import HubError

PASSWORD_RULES = {
    "minimum_password_length": 10,
    "check_common_password": True,
    "allowed_failed_logins": 5,
    "seconds_before_next_try": 600,
}


class _NoStats:
    """Stand-in for the statsd client JupyterHub 6 no longer gives handlers."""

    def timer(self, *args, **kwargs):
        return self

    def start(self):
        return self

    def stop(self, *args, **kwargs):
        return None


class AgoraLoginHandler(native_handlers.LoginHandler):
    """NativeAuthenticator's login page, made to run on JupyterHub 6 (no statsd, extra
    template arguments when an error page is rendered from a form post)."""

    statsd = _NoStats()

    def _render(self, login_error=None, username=None, **_ignored):
        return super()._render(login_error=login_error, username=username)


class AgoraNativeAuthenticator(NativeAuthenticator):
    """Sign-up with admin approval (people declared in organisations.yaml are pre-approved),
    password rules and lockout after repeated failures."""

    seed_passwords = Dict(
        config=True,
        help="Demo mode only: {username: password} of approved accounts created at hub start.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, password in self.seed_passwords.items():
            if self.user_exists(name):
                continue
            info = self.create_user(name, password)
            if info is None:
                raise HubError(f"demo user {name!r}: password rejected by the password rules")
            if not info.is_authorized:
                info.is_authorized = True
                self.db.commit()

    def get_handlers(self, app):
        return [(path, AgoraLoginHandler if handler is native_handlers.LoginHandler else handler)
                for path, handler in super().get_handlers(app)]

    def check_allowed(self, username, authentication=None):
        """Declared people, plus anyone an admin approved after sign-up."""
        if super().check_allowed(username, authentication):
            return True
        info = self.get_user(username)
        return bool(info is not None and info.is_authorized)


class AgoraAzureAdOAuthenticator(AzureAdOAuthenticator):
    """Azure AD login; the account name is the local part of the UPN made a valid Unix name
    (Jane.Doe@nhs.net -> jane-doe)."""

    def normalize_username(self, username):
        local = username.split("@", 1)[0].lower()
        return re.sub(r"[^a-z0-9_-]", "-", local)[:32]
