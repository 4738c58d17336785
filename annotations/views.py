"""The annotator workspace: article list, annotation page, guidelines, and the JSON API the page writes through.

Views are thin: forms validate the payload, ``services`` write, ``selectors`` read. Every view needs
login (middleware) and the annotator or editor role; every write is POST/PATCH/DELETE with the CSRF
token in the ``X-CSRFToken`` header.
"""

import json
from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.roles import Role, role_required
from corpus.errors import validation_errors
from corpus.models import Article, Speaker
from corpus.services import speaker_create
from text.marks import EDGE_MARKS

from . import selectors, services
from .exceptions import VersionConflict
from .extensions import assigned_article_ids, workspace_panels
from .filters import ArticleListFilter
from .forms import MentionForm, QuoteForm, SpeakerForm, StanceForm, StanceTargetForm, errors_dict
from .models import EntityMention, Quote, Stance
from .permissions import can_annotate, can_change

ANNOTATOR_ROLES = (Role.ANNOTATOR, Role.EDITOR)
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ps", "sd", "syr", "ug", "ur", "yi"})


def text_direction(language: str) -> str:
    """``rtl`` or ``ltr`` from the article's language code (``ar``, ``he-IL``…), ``auto`` when unknown."""
    code = (language or "").lower().replace("_", "-").split("-")[0]
    if not code:
        return "auto"
    return "rtl" if code in RTL_LANGUAGES else "ltr"


# --- helpers ---


def json_errors(errors: dict, status: int = 400, **extra) -> JsonResponse:
    return JsonResponse({"errors": errors, **extra}, status=status)


def api_view(*methods):
    """JSON endpoint: login (middleware), annotator/editor role, allowed methods, JSON body parsed."""

    def decorator(view):
        @require_http_methods(list(methods))
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not can_annotate(request.user):
                return json_errors({"__all__": ["Your account does not have the annotator role."]}, status=403)
            payload = {}
            if request.method in ("POST", "PATCH") and request.body:
                try:
                    payload = json.loads(request.body)
                except (ValueError, UnicodeDecodeError):
                    return json_errors({"__all__": ["The request body is not valid JSON."]})
                if not isinstance(payload, dict):
                    return json_errors({"__all__": ["The request body must be a JSON object."]})
            try:
                return view(request, payload, *args, **kwargs)
            except ValidationError as exc:
                return json_errors(validation_errors(exc))
            except VersionConflict as exc:
                current = selectors.workspace_quotes(exc.current.article, exc.current.annotator).get(pk=exc.current.pk)
                return json_errors(
                    {"__all__": [str(exc)]}, status=409, current=selectors.quote_data(current, request.user)
                )
            except PermissionDenied as exc:
                return json_errors({"__all__": [str(exc) or "You may not change this annotation."]}, status=403)

        return wrapped

    return decorator


def _require_change(user, obj) -> None:
    if not can_change(user, obj):
        if (
            getattr(obj, "status", None) == "accepted"
            or getattr(getattr(obj, "quote", None), "status", None) == "accepted"
        ):
            raise PermissionDenied("This annotation has been accepted; it is read-only now.")
        raise PermissionDenied("You can only change your own annotations.")


def _state(request, article) -> dict:
    return selectors.workspace_state(article, request.user, request.GET.get("view", selectors.VIEW_MINE))


def _id_url(name: str) -> str:
    """A URL pattern for the browser with ``{id}`` where the object's id goes."""
    return reverse(name, args=[0]).replace("/0/", "/{id}/")


# --- pages ---


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


@role_required(*ANNOTATOR_ROLES)
def article_annotate(request, pk: int):
    article = get_object_or_404(Article.objects.with_tags(), pk=pk)
    state = _state(request, article)
    config = {
        "articleId": article.pk,
        "view": state["view"],
        "urls": {
            "state": reverse("annotations:api_state", args=[article.pk]),
            "quotes": reverse("annotations:api_quote_create", args=[article.pk]),
            "quote": _id_url("annotations:api_quote"),
            "quoteStances": _id_url("annotations:api_quote_stance"),
            "stance": _id_url("annotations:api_stance"),
            "mentions": reverse("annotations:api_mention_create", args=[article.pk]),
            "mention": _id_url("annotations:api_mention"),
            "speakers": reverse("annotations:api_speakers"),
            "targets": reverse("annotations:api_targets"),
            "submit": reverse("annotations:api_submit", args=[article.pk]),
            "preferences": reverse("preferences"),
        },
        "labels": [{"value": v, "label": label} for v, label in EntityMention.Label.choices],
        "kinds": [{"value": v, "label": label} for v, label in Quote.Kind.choices],
        "stanceLabels": [{"value": v, "label": label} for v, label in Stance.Label.choices],
        "speakerKinds": [{"value": v, "label": label} for v, label in Speaker.Kind.choices],
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
        },
    )


@role_required(*ANNOTATOR_ROLES)
def guidelines(request):
    return render(request, "annotations/guidelines.html", {"entity_labels": EntityMention.Label.choices})


# --- JSON API ---


@api_view("GET")
def api_state(request, payload, pk: int):
    article = get_object_or_404(Article, pk=pk)
    return JsonResponse(_state(request, article))


@api_view("POST")
def api_quote_create(request, payload, pk: int):
    article = get_object_or_404(Article, pk=pk)
    form = QuoteForm(payload, article=article)
    if not form.is_valid():
        return json_errors(errors_dict(form))
    quote = services.quote_save(article=article, actor=request.user, fields=form.service_fields())
    quote = selectors.workspace_quotes(article, request.user).get(pk=quote.pk)
    return JsonResponse({"quote": selectors.quote_data(quote, request.user)}, status=201)


@api_view("GET", "PATCH", "DELETE")
def api_quote(request, payload, pk: int):
    quote = get_object_or_404(Quote.objects.select_related("article", "annotator"), pk=pk)
    if request.method == "GET":
        if quote.annotator_id != request.user.pk and quote.status != "accepted" and not can_change(request.user, quote):
            raise PermissionDenied("You can only see your own drafts.")
        current = selectors.workspace_quotes(quote.article, quote.annotator).get(pk=quote.pk)
        return JsonResponse({"quote": selectors.quote_data(current, request.user)})
    _require_change(request.user, quote)
    if request.method == "DELETE":
        services.quote_delete(quote=quote, actor=request.user)
        return JsonResponse({"deleted": pk})
    form = QuoteForm(payload, article=quote.article, partial=True)
    if not form.is_valid():
        return json_errors(errors_dict(form))
    services.quote_save(
        article=quote.article,
        actor=request.user,
        quote=quote,
        expected_version=form.cleaned_data.get("version"),
        fields=form.service_fields(),
    )
    current = selectors.workspace_quotes(quote.article, quote.annotator).get(pk=quote.pk)
    return JsonResponse({"quote": selectors.quote_data(current, request.user)})


@api_view("POST")
def api_quote_stance(request, payload, pk: int):
    quote = get_object_or_404(Quote.objects.select_related("annotator", "speaker"), pk=pk)
    _require_change(request.user, quote)
    form = StanceForm(payload)
    if not form.is_valid():
        return json_errors(errors_dict(form))
    data = form.cleaned_data
    target = data.get("target") or services.stance_target_get_or_create(name=data["target_name"])
    stance = services.stance_set(
        quote=quote, target=target, label=data["label"], annotator=request.user, note=data.get("note", "")
    )
    return JsonResponse({"stance": selectors.stance_data(stance)}, status=201)


@api_view("DELETE")
def api_stance(request, payload, pk: int):
    stance = get_object_or_404(Stance.objects.select_related("quote"), pk=pk)
    _require_change(request.user, stance)
    services.stance_delete(stance=stance, actor=request.user)
    return JsonResponse({"deleted": pk})


@api_view("POST")
def api_mention_create(request, payload, pk: int):
    article = get_object_or_404(Article, pk=pk)
    form = MentionForm(payload, article=article)
    if not form.is_valid():
        return json_errors(errors_dict(form))
    data = form.cleaned_data
    mention = services.entity_mention_save(
        article=article,
        actor=request.user,
        start=data["start"],
        end=data["end"],
        label=data["label"],
        text=data.get("text") or None,
    )
    return JsonResponse({"mention": selectors.mention_data(mention, request.user)}, status=201)


@api_view("PATCH", "DELETE")
def api_mention(request, payload, pk: int):
    mention = get_object_or_404(EntityMention.objects.select_related("article", "annotator"), pk=pk)
    _require_change(request.user, mention)
    if request.method == "DELETE":
        services.entity_mention_delete(mention=mention, actor=request.user)
        return JsonResponse({"deleted": pk})
    form = MentionForm(payload, article=mention.article, partial=True)
    if not form.is_valid():
        return json_errors(errors_dict(form))
    data = form.cleaned_data
    mention = services.entity_mention_save(
        article=mention.article,
        actor=request.user,
        mention=mention,
        start=data.get("start"),
        end=data.get("end"),
        label=data.get("label") or None,
    )
    return JsonResponse({"mention": selectors.mention_data(mention, request.user)})


@api_view("GET", "POST")
def api_speakers(request, payload):
    if request.method == "GET":
        return JsonResponse({"results": selectors.speaker_search(request.GET.get("q", ""))})
    form = SpeakerForm(payload)
    if not form.is_valid():
        return json_errors(errors_dict(form))
    speaker = speaker_create(**form.service_kwargs())
    return JsonResponse({"speaker": selectors.speaker_data(speaker)}, status=201)


@api_view("GET", "POST")
def api_targets(request, payload):
    if request.method == "GET":
        return JsonResponse({"results": selectors.target_search(request.GET.get("q", ""))})
    form = StanceTargetForm(payload)
    if not form.is_valid():
        return json_errors(errors_dict(form))
    target = services.stance_target_create(
        name=form.cleaned_data["name"], description=form.cleaned_data.get("description", "")
    )
    return JsonResponse(
        {"target": {"id": target.pk, "name": target.name, "description": target.description}}, status=201
    )


@api_view("POST")
def api_submit(request, payload, pk: int):
    article = get_object_or_404(Article, pk=pk)
    count = services.annotations_submit(article=article, annotator=request.user)
    return JsonResponse({"submitted": count, **selectors.workspace_state(article, request.user)})


@require_http_methods(["GET"])
@role_required(Role.ANNOTATOR, Role.EDITOR, Role.RESEARCHER)
def lookup(request, kind):
    """The search behind a filter's LookupSelect: ``{"results": [{value, label, detail}]}``, at most 10."""
    if kind not in selectors.LOOKUPS:
        raise Http404("No such lookup.")
    return JsonResponse({"results": selectors.lookup(kind, request.GET.get("q", ""))})
