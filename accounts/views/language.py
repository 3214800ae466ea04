"""The site's language switcher: Django's, and for a signed-in user it also stores the
choice, so that their e-mails come in the language they read the site in."""

import contextlib

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts.services.language import user_language_set
from accounts.web import signed_in_user


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    response = set_language(request)
    if request.user.is_authenticated:
        # Django's view ignores a language the site does not offer; so does this.
        with contextlib.suppress(ValidationError):
            user_language_set(
                user=signed_in_user(request), language=request.POST.get("language", "")
            )
    return response
