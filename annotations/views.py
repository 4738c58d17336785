"""The annotator workspace: article list, annotation page, guidelines, and the filters' lookups.

The page reads and writes through the API's workspace operations (``api.routers.workspace``, under
/api/v1/workspace/), with the session cookie and the CSRF token in ``X-CSRFToken``; their URLs are in
the page's config. Every view here needs login (middleware) and the annotator or editor role.
"""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from accounts.roles import Role, role_required
from corpus.models import Article, RoleCategory, Speaker
from text.marks import EDGE_MARKS

from . import selectors
from .extensions import assigned_article_ids, workspace_panels
from .filters import ArticleListFilter
from .forms import NO_GENDER_KINDS, gender_choices
from .models import EntityMention, Quote, Stance
from .permissions import can_judge_speakers

ANNOTATOR_ROLES = (Role.ANNOTATOR, Role.EDITOR)
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ps", "sd", "syr", "ug", "ur", "yi"})


def text_direction(language: str) -> str:
    """``rtl`` or ``ltr`` from the article's language code (``ar``, ``he-IL``…), ``auto`` when unknown."""
    code = (language or "").lower().replace("_", "-").split("-")[0]
    if not code:
        return "auto"
    return "rtl" if code in RTL_LANGUAGES else "ltr"


# --- helpers ---


def _state(request, article) -> dict:
    return selectors.workspace_state(article, request.user, request.GET.get("view", selectors.VIEW_MINE))


def _id_url(name: str, rest: str = "") -> str:
    """A URL pattern for the browser with ``{id}`` where the object's id goes (API paths have no end slash)."""
    url = reverse(name, args=[0])
    return url.removesuffix(f"/0{rest}") + "/{id}" + rest


# --- pages ---


@require_safe
@role_required(*ANNOTATOR_ROLES)
def index(request):
    params = request.GET
    article_filter = ArticleListFilter(
        params, queryset=selectors.annotator_articles(request.user, assigned_ids=assigned_article_ids(request.user))
    )
    page = Paginator(article_filter.qs, 25).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    return render(
        request,
        "annotations/article_list.html",
        {
            "page": page,
            "filters": {
                "q": params.get("q", ""),
                "tag": params.get("tag", ""),
                "outlet": params.get("outlet", ""),
                "from": params.get("from", ""),
                "to": params.get("to", ""),
            },
            "choices": selectors.article_filter_choices(),
            "errors": article_filter.form.errors,
            "query": query.urlencode(),
        },
    )


@require_safe
@role_required(*ANNOTATOR_ROLES)
def article_annotate(request, pk: int):
    article = get_object_or_404(Article.objects.with_tags(), pk=pk)
    state = _state(request, article)
    config = {
        "articleId": article.pk,
        "view": state["view"],
        "urls": {
            "state": reverse("api-v1:workspace_state", args=[article.pk]),
            "quotes": reverse("api-v1:workspace_quote_create", args=[article.pk]),
            "quote": _id_url("api-v1:workspace_quote"),
            "quoteStances": _id_url("api-v1:workspace_stance_set", "/stances"),
            "stance": _id_url("api-v1:workspace_stance_delete"),
            "mentions": reverse("api-v1:workspace_mention_create", args=[article.pk]),
            "mention": _id_url("api-v1:workspace_mention_update"),
            "speakers": reverse("api-v1:workspace_speaker_search"),
            "wikidata": reverse("api-v1:workspace_wikidata_search"),
            "targets": reverse("api-v1:workspace_target_search"),
            "submit": reverse("api-v1:workspace_submit", args=[article.pk]),
            "preferences": reverse("api-v1:preferences_get"),
        },
        "labels": [{"value": v, "label": label} for v, label in EntityMention.Label.choices],
        "kinds": [{"value": v, "label": label} for v, label in Quote.Kind.choices],
        "stanceLabels": [{"value": v, "label": label} for v, label in Stance.Label.choices],
        "speakerKinds": [{"value": v, "label": label} for v, label in Speaker.Kind.choices],
        "noGenderKinds": sorted(NO_GENDER_KINDS),
        "quoteMarks": EDGE_MARKS,
    }
    return render(
        request,
        "annotations/article_annotate.html",
        {
            "article": article,
            "state": state,
            "config": config,
            "text_dir": text_direction(article.language),
            "panels": list(workspace_panels),
            "entity_labels": EntityMention.Label.choices,
            # The quote's kinds (numbered as the digit keys pick them: config.kinds, the same order) and the
            # stance labels, from the models: their labels are translated there.
            "quote_kinds": Quote.Kind.choices,
            "default_quote_kind": Quote._meta.get_field("kind").default,
            "stance_labels": Stance.Label.choices,
            # The new-speaker form's choices, from the models (one list each).
            "speaker_kinds": Speaker.Kind.choices,
            "genders": gender_choices(),
            "role_categories": list(RoleCategory.objects.values_list("code", "label")),
            "can_judge_speakers": can_judge_speakers(request.user),
        },
    )


@require_safe
@role_required(*ANNOTATOR_ROLES)
def guidelines(request):
    return render(request, "annotations/guidelines.html", {"entity_labels": EntityMention.Label.choices})
