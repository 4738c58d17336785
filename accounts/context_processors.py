from .roles import Role, has_role


def roles(request):
    user = getattr(request, "user", None)
    return {
        "is_annotator": has_role(user, Role.ANNOTATOR, Role.EDITOR),
        "is_editor": has_role(user, Role.EDITOR),
        "is_researcher": has_role(user, Role.RESEARCHER, Role.EDITOR),
    }
