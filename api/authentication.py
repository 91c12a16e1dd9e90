"""Signing in to the API with a token: ``Authorization: Token <key>`` (or ``Bearer <key>``).

The key is looked up by its SHA-256 (``api.models.ApiToken``); a missing, revoked or
malformed key, or one of a deactivated user, is refused with 401.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from api.models import ApiToken, key_hash

# last_used_at is written at most this often per token, not on every request.
USED_EVERY = datetime.timedelta(minutes=5)
KEYWORDS = ("token", "bearer")


class HashedTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header: give the word Token, a space and the key.")
            )
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from exc
        return self.authenticate_key(key)

    def authenticate_key(self, key: str):
        token = ApiToken.objects.live().select_related("user").filter(digest=key_hash(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token's user is not active."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword
