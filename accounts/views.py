import json

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from . import services
from .roles import Role, has_role


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


@require_http_methods(["GET", "POST"])
def preferences(request):
    """The signed-in user's interface preferences as JSON; POST replaces the sections it sends."""
    if not request.user.is_authenticated:
        return JsonResponse({"errors": {"__all__": ["Log in first."]}}, status=401)
    if request.method == "GET":
        return JsonResponse({"preferences": services.preferences_get(user=request.user)})
    try:
        changes = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"errors": {"__all__": ["The request body is not valid JSON."]}}, status=400)
    try:
        data = services.preferences_update(user=request.user, changes=changes)
    except ValidationError as exc:
        return JsonResponse({"errors": {"__all__": list(exc.messages)}}, status=400)
    return JsonResponse({"preferences": data})
