"""A user's language: the one their e-mails are written in."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User


def user_language_set(*, user: User, language: str) -> User:
    """Store the language a user chose on the site, for the e-mails they get from now on."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose a valid language.")})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
