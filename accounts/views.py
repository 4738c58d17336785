from django.shortcuts import render

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
