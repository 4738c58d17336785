from django.shortcuts import render

from accounts.roles import Role, role_required


@role_required(Role.RESEARCHER, Role.EDITOR)
def index(request):
    # Placeholder until this section is built; the page says so.
    return render(request, "includes/placeholder.html", {"section": "Exports"})
