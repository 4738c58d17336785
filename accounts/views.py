from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from corpus.errors import validation_errors, validation_message

from . import services
from .forms import ApiTokenForm
from .models import ApiToken
from .roles import Role, has_role


@require_safe
def home(request):
    """Each role's starting points; a user with several roles sees each of them."""
    user = request.user
    return render(
        request,
        "accounts/home.html",
        {
            "show_annotator": has_role(user, Role.ANNOTATOR),
            "show_editor": has_role(user, Role.EDITOR),
            "show_researcher": has_role(user, Role.RESEARCHER),
        },
    )


def _token_page(request, form: ApiTokenForm, *, created: ApiToken | None = None, raw: str = "", status: int = 200):
    tokens = [
        (token, services.api_token_status(token))
        for token in ApiToken.objects.filter(user=request.user).order_by("-created", "-id")
    ]
    response = render(
        request,
        "accounts/token_list.html",
        {
            "form": form,
            "tokens": tokens,
            "created": created,
            "raw_token": raw,
            "api_url": request.build_absolute_uri("/api/v1/"),
            "export_url": request.build_absolute_uri(reverse("exports:quotes_csv")),
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"  # the page that shows a new token must not be cached
    return response


@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """The signed-in user's personal API tokens: list, create (the token is shown once), revoke."""
    if request.method == "GET":
        return _token_page(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _token_page(request, form, status=400)
    try:
        token, raw = services.api_token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            read_only=form.cleaned_data["read_only"],
            expires_days=form.cleaned_data["expires_days"],
        )
    except ValidationError as exc:
        for field, errors in validation_errors(exc).items():
            form.add_error(field if field in form.fields else None, errors)
        return _token_page(request, form, status=400)
    return _token_page(request, ApiTokenForm(), created=token, raw=raw, status=201)


@require_POST
def api_token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    try:
        services.api_token_revoke(token=token, by=request.user)
    except ValidationError as exc:
        messages.error(request, validation_message(exc))
    else:
        messages.success(request, f"Token {token.prefix}… ({token.name}) revoked; it no longer opens anything.")
    return redirect("api_tokens")


@login_not_required
@require_http_methods(["GET", "HEAD"])
def favicon(request):
    """Browsers ask for /favicon.ico before reading the page's <link rel="icon">."""
    return redirect(static("favicon.svg"), permanent=True)
