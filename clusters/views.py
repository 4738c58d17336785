"""The cluster pages of the research section: for researchers, editors and superusers, GET only."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from accounts.roles import Role, role_required
from annotations.filters import SORT_CHOICES
from annotations.models import StanceTarget
from annotations.pagination import CappedPaginator

from . import selectors
from .models import Cluster

CLUSTERS_PER_PAGE = 50
OCCURRENCES_PER_PAGE = 50

_role = role_required(Role.RESEARCHER, Role.EDITOR)


def research_only(view):
    return require_safe(_role(view))


@research_only
def cluster_list(request):
    form, quote_filter, clusters = selectors.ranked_clusters(request.GET)
    page = CappedPaginator(clusters, CLUSTERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "clusters/cluster_list.html",
        {
            "form": form,
            "quote_form": quote_filter.form,
            "page": page,
            "sort_choices": SORT_CHOICES,
            "targets": StanceTarget.objects.all(),
        },
    )


@research_only
def cluster_detail(request, pk: int):
    cluster = get_object_or_404(Cluster.objects.select_related("first_quote__speaker", "first_article"), pk=pk)
    page = CappedPaginator(selectors.occurrences(cluster), OCCURRENCES_PER_PAGE).get_page(request.GET.get("page"))
    rows = selectors.with_differences(list(page.object_list), cluster.first_quote)
    return render(
        request,
        "clusters/cluster_detail.html",
        {
            "cluster": cluster,
            "page": page,
            "rows": rows,
            "speakers": selectors.cluster_speakers(cluster),
            "outlets": selectors.cluster_outlets(cluster),
        },
    )
