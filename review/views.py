"""Editors' pages. Thin: forms parse, services write, selectors read. Every write is a POST with CSRF."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import Role, role_required
from annotations.exceptions import VersionConflict
from annotations.filters import ArticleListFilter
from annotations.models import EntityMention, Layer, Quote, StanceTarget, Status
from annotations.pagination import CappedPaginator
from corpus.errors import validation_message
from corpus.models import Article, Speaker
from jobs.models import Job
from jobs.selectors import latest_job
from jobs.services import job_enqueue
from text.marks import EDGE_MARKS

from . import agreement_csv, selectors, services
from .filters import ReviewedQuoteFilter
from .forms import AssignForm, BulkForm, CorrectForm, DecisionForm, RejectForm, SpeakerMergeForm
from .jobs import AGREEMENT_REFRESH
from .models import Assignment, SpeakerMerge

PAGE_SIZE = 20
QID_PATTERN = re.compile(r"^Q[1-9][0-9]{0,12}$")
editor_required = role_required(Role.EDITOR)


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _conflict(request, conflict: VersionConflict):
    """HTTP 409 with the quote as it is now, so the editor decides again on the current state."""
    quote = selectors.quote_detail(conflict.current.pk)
    return render(
        request,
        "review/quote_conflict.html",
        {
            "quote": quote,
            "message": str(conflict),
            "context": selectors.quote_in_paragraph(quote),
            "next": _next_url(request, reverse("review:index")),
            "section": "queue",
        },
        status=409,
    )


# --- Queue --------------------------------------------------------------------------------------


@require_GET
@editor_required
def index(request):
    filterset = selectors.queue_filter(request.GET)
    sort = request.GET.get("sort") or selectors.DEFAULT_SORT
    if filterset.is_valid():
        queryset = selectors.queue_sort(filterset.qs, sort)
    else:
        queryset = Quote.objects.none()
    page = CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    quotes = list(page.object_list)
    relations = selectors.curated_relations(quotes)
    items = [(quote, selectors.quote_in_paragraph(quote), relations[quote.pk]) for quote in quotes]
    query = request.GET.copy()
    query.pop("page", None)
    status_query = request.GET.copy()
    for key in ("page", "status"):
        status_query.pop(key, None)
    return render(
        request,
        "review/quote_queue.html",
        {
            "filter": filterset,
            "page": page,
            "items": items,
            "counts": selectors.status_counts(request.GET),
            "status": filterset.form.data.get("status"),
            "statuses": Status.choices,
            "sorts": [(key, label) for key, (label, _) in selectors.SORTS.items()],
            "sort": sort if sort in selectors.SORTS else selectors.DEFAULT_SORT,
            "query": query.urlencode(),
            "status_query": status_query.urlencode(),
            "here": request.get_full_path(),
            "section": "queue",
        },
    )


@require_GET
@editor_required
def quote_detail(request, pk: int):
    try:
        quote = selectors.quote_detail(pk)
    except Quote.DoesNotExist:
        return render(request, "review/not_found.html", {"what": f"Quote #{pk}"}, status=404)
    targets = list(StanceTarget.objects.order_by("name"))
    form = CorrectForm(initial=CorrectForm.initial_for(quote), targets=targets)
    return render(request, "review/quote_detail.html", _detail_context(request, quote, form))


def _detail_context(request, quote: Quote, form: CorrectForm, error: str | None = None) -> dict:
    return {
        "quote": quote,
        "context": selectors.quote_in_paragraph(quote),
        "correct_form": form,
        "correct_error": error,
        "quote_marks": EDGE_MARKS,  # the selection's trimming in correct.js: text.marks's one set
        "next": _next_url(request, reverse("review:index")),
        "relation": selectors.curated_relations([quote])[quote.pk] if quote.layer == Layer.ANNOTATION else None,
        "events": selectors.audit_trail(quote),
        "section": "queue",
    }


@require_GET
@editor_required
def quote_history(request, pk: int):
    """Every event of a quote, newest first; a deleted quote keeps its history."""
    quote = selectors.quote_detail(pk) if Quote.objects.filter(pk=pk).exists() else None
    events = selectors.events_of(pk)
    if quote is None and not events:
        return render(request, "review/not_found.html", {"what": f"Quote #{pk}"}, status=404)
    return render(
        request, "review/quote_history.html", {"quote": quote, "quote_id": pk, "events": events, "section": "queue"}
    )


def _decide(request, pk: int, decision: str):
    quote = get_object_or_404(Quote, pk=pk)
    form = (RejectForm if decision == "reject" else DecisionForm)(request.POST)
    back = _next_url(request, reverse("review:index"))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"Quote #{pk} unchanged: {error}")
        return redirect(back)
    try:
        services.quote_review(
            quote=quote,
            reviewer=request.user,
            decision=decision,
            expected_version=form.cleaned_data["expected_version"],
            reason=form.cleaned_data.get("reason") or "",
        )
    except VersionConflict as conflict:
        return _conflict(request, conflict)
    except ValidationError as exc:
        messages.error(request, f"Quote #{pk} unchanged: {validation_message(exc)}")
        return redirect(back)
    messages.success(request, f"Quote #{pk} {'accepted' if decision == 'accept' else 'rejected'}.")
    return redirect(back)


@require_POST
@editor_required
def quote_accept(request, pk: int):
    return _decide(request, pk, "accept")


@require_POST
@editor_required
def quote_reject(request, pk: int):
    return _decide(request, pk, "reject")


@require_POST
@editor_required
def quote_correct(request, pk: int):
    quote = get_object_or_404(Quote, pk=pk)
    targets = list(StanceTarget.objects.order_by("name"))
    form = CorrectForm(request.POST, targets=targets)
    error = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.quote_correct_and_accept(
                quote=quote,
                reviewer=request.user,
                expected_version=data["expected_version"],
                spans=data["spans"],
                kind=data["kind"],
                speaker=data["speaker"],
                cue=data["cue"],
                speaker_mention=data["speaker_mention"],
                stances=form.stances(),
                note=data["note"],
            )
        except VersionConflict as conflict:
            return _conflict(request, conflict)
        except ValidationError as exc:
            error = validation_message(exc)
        else:
            messages.success(
                request,
                f"Quote #{pk} corrected."
                if quote.layer == Layer.CURATED
                else f"Quote #{pk} accepted; the curated quote is corrected.",
            )
            return redirect(_next_url(request, reverse("review:quote", args=[pk])))
    detail = selectors.quote_detail(pk)
    return render(request, "review/quote_detail.html", _detail_context(request, detail, form, error), status=400)


@require_POST
@editor_required
def bulk(request):
    form = BulkForm(request.POST)
    back = _next_url(request, reverse("review:index"))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"Nothing changed: {error}")
        return redirect(back)
    data = form.cleaned_data
    try:
        outcomes = services.bulk_review(
            quote_ids=data["ids"],
            reviewer=request.user,
            decision=data["decision"],
            reason=data["reason"],
            versions=data["versions"],
        )
    except ValidationError as exc:
        messages.error(request, f"Nothing changed: {validation_message(exc)}")
        return redirect(back)
    done = [o for o in outcomes if o.outcome in ("accepted", "rejected")]
    if done:
        messages.success(request, f"{len(done)} quote(s) {done[0].outcome}.")
    for outcome in outcomes:
        if outcome.outcome not in ("accepted", "rejected"):
            messages.warning(request, outcome.message)
    return redirect(back)


# --- Annotator's own outcomes -------------------------------------------------------------------


@require_GET
@role_required(Role.ANNOTATOR, Role.EDITOR)
def mine(request):
    quote_filter = ReviewedQuoteFilter(request.GET, queryset=selectors.my_reviewed_quotes(request.user))
    form = quote_filter.form
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    page = Paginator(quote_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for quote in page:
        # What the editor changed: the curated quote's differences from the annotator's own version.
        quote.differences = selectors.quote_differences(quote, quote.curated) if quote.curated else ()
    return render(
        request,
        "review/quote_mine.html",
        {
            "form": form,
            "page": page,
            "status": status,
            "counts": selectors.my_status_counts(request.user),
            "section": "mine",
        },
    )


# --- Assignment ---------------------------------------------------------------------------------


@editor_required
def assignments(request):
    form = AssignForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["mode"] == "spread":
                    created = services.assignments_spread(
                        articles=list(data["articles"]),
                        annotators=list(data["annotators"]),
                        per_article=data["per_article"],
                        assigned_by=request.user,
                    )
                else:
                    created = services.assignments_create(
                        articles=list(data["articles"]),
                        annotators=list(data["annotators"]),
                        assigned_by=request.user,
                    )
            except ValidationError as exc:
                messages.error(request, f"Nothing assigned: {validation_message(exc)}")
            else:
                messages.success(
                    request,
                    f"{len(created)} new assignment(s)."
                    if created
                    else "Those annotators had those articles already; nothing changed.",
                )
                return redirect(_next_url(request, reverse("review:assignments")))
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, f"Nothing assigned: {error}")
    # The annotators' article filter (title, tag, outlet, dates): one meaning of each on both pages.
    article_filter = ArticleListFilter(
        request.GET,
        queryset=Article.objects.only("id", "title", "outlet", "published").order_by("-published", "title", "id"),
    )
    search = request.GET.get("q", "").strip()
    page = Paginator(article_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    progress = selectors.article_progress(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "review/assignment_list.html",
        {
            "form": form,
            "filter_form": article_filter.form,
            "page": page,
            "rows": [(a, progress[a.pk]) for a in page.object_list],
            "load": selectors.annotator_load(),
            "search": search,
            "query": query.urlencode(),
            "selected_articles": {str(v) for v in request.POST.getlist("articles")},
            "selected_annotators": {str(v) for v in request.POST.getlist("annotators")},
            "section": "assignments",
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@editor_required
def assignment_delete(request, pk: int):
    assignment = get_object_or_404(Assignment.objects.select_related("article", "annotator"), pk=pk)
    services.assignment_delete(assignment=assignment, actor=request.user)
    messages.success(
        request, f"{assignment.annotator.get_username()} is no longer assigned to “{assignment.article.title}”."
    )
    return redirect(_next_url(request, reverse("review:assignments")))


# --- Adjudication -------------------------------------------------------------------------------


@require_GET
@editor_required
def adjudicate(request, pk: int):
    article = get_object_or_404(Article, pk=pk)
    data = selectors.adjudication(article)
    return render(
        request,
        "review/article_adjudicate.html",
        {"article": article, **data, "here": request.get_full_path(), "section": "assignments"},
    )


@require_POST
@editor_required
def adjudicate_pick(request, pk: int):
    article = get_object_or_404(Article, pk=pk)
    back = _next_url(request, reverse("review:adjudicate", args=[pk]))
    try:
        chosen_id = int(request.POST["chosen"])
        ids = [int(v) for v in request.POST.get("group", "").split(",") if v.strip()]
        versions = {int(k[8:]): int(v) for k, v in request.POST.items() if k.startswith("version_")}
    except (KeyError, ValueError):
        messages.error(request, "Nothing changed: the choice is malformed; reload the page.")
        return redirect(back)
    group = {q.pk: q for q in Quote.objects.filter(article=article, pk__in={chosen_id, *ids})}
    if chosen_id not in group:
        messages.error(request, "Nothing changed: that quote is not on this article.")
        return redirect(back)
    try:
        services.adjudicate_pick(
            chosen=group[chosen_id],
            others=[q for q in group.values() if q.pk != chosen_id],
            reviewer=request.user,
            versions=versions,
            merged=request.POST.get("merged") == "1",
        )
    except VersionConflict as conflict:
        return _conflict(request, conflict)
    except ValidationError as exc:
        messages.error(request, f"Nothing changed: {validation_message(exc)}")
        return redirect(back)
    verb = "merged and accepted" if request.POST.get("merged") == "1" else "accepted; the other versions rejected"
    messages.success(request, f"Quote #{chosen_id} {verb}.")
    return redirect(back)


@require_POST
@editor_required
def adjudicate_entity(request, pk: int):
    article = get_object_or_404(Article, pk=pk)
    back = _next_url(request, reverse("review:adjudicate", args=[pk]))
    try:
        chosen_id = int(request.POST["chosen"])
        ids = [int(v) for v in request.POST.get("group", "").split(",") if v.strip()]
    except (KeyError, ValueError):
        messages.error(request, "Nothing changed: the choice is malformed; reload the page.")
        return redirect(back)
    group = {m.pk: m for m in EntityMention.objects.filter(article=article, pk__in={chosen_id, *ids})}
    if chosen_id not in group:
        messages.error(request, "Nothing changed: that entity is not on this article.")
        return redirect(back)
    services.entity_adjudicate_pick(chosen=group[chosen_id], others=list(group.values()), reviewer=request.user)
    messages.success(request, f"Entity “{group[chosen_id].text}” accepted.")
    return redirect(back)


# --- Agreement ----------------------------------------------------------------------------------


def _pair_rows(report, users):
    rows = []
    for (a, b), stats in sorted(
        report.pairs.items(), key=lambda kv: (users.get(kv[0][0], ""), users.get(kv[0][1], ""))
    ):
        rows.append({"a": users.get(a, a), "b": users.get(b, b), "stats": stats})
    return rows


@require_GET
@editor_required
def agreement_corpus(request):
    """Stored figures (review.models.ArticleAgreement): a few changed articles are recomputed here, more
    wait for "Recompute now" or ``manage.py refresh_agreement``; the page says how current it is."""
    stored = services.agreement_catch_up()
    page = Paginator(selectors.stored_article_agreement(), PAGE_SIZE).get_page(request.GET.get("page"))
    article_rows = selectors.article_rows_for_page(list(page.object_list))
    report = stored.corpus
    users = selectors.usernames(
        {u for row in article_rows for u in row["report"].annotators} | (report.annotators if report else set())
    )
    for row in article_rows:
        row["pooled"] = row["report"].pooled()
        row["annotators"] = sorted(users.get(u, str(u)) for u in row["report"].annotators)
    return render(
        request,
        "review/agreement_detail.html",
        {
            "scope": "corpus",
            "report": report if report is not None and report.articles else None,
            "pooled": report.pooled() if report is not None else None,
            "pairs": _pair_rows(report, users) if report is not None else [],
            "page": page,
            "article_rows": article_rows,
            "stored": stored,
            "agreement_job": latest_job(kind=AGREEMENT_REFRESH),
            "pending": stored.pending,
            "section": "agreement",
        },
    )


@require_POST
@editor_required
def agreement_refresh(request):
    """Enqueue the background job that recomputes the agreement (one at a time: a queued or running one
    is shown instead of starting another)."""
    running = Job.objects.active().filter(kind=AGREEMENT_REFRESH).order_by("-id").first()
    if running is not None:
        messages.info(request, "Agreement is being recomputed already.")
        return redirect("jobs:detail", pk=running.pk)
    job = job_enqueue(kind=AGREEMENT_REFRESH, params={}, user=request.user)
    messages.success(request, "Agreement will be recomputed in the background.")
    return redirect("jobs:detail", pk=job.pk)


@require_GET
@editor_required
def agreement_article(request, pk: int):
    article = get_object_or_404(Article.objects.only("id", "title", "slug"), pk=pk)
    result = selectors.agreement_figures([article.pk])
    report = result.by_article.get(article.pk)
    return render(
        request,
        "review/agreement_detail.html",
        {
            "scope": "article",
            "article": article,
            "report": report,
            "pooled": report.pooled() if report else None,
            "pairs": _pair_rows(report, result.users) if report else [],
            "pending_names": result.pending.get(article.pk, []),
            "participants": sorted(result.users.get(u, u) for u in report.annotators) if report else [],
            "section": "agreement",
        },
    )


@require_GET
@editor_required
def agreement_corpus_csv(request):
    """The stored figures, as the page shows them (recompute first for the latest)."""
    stored = services.agreement_catch_up()
    return agreement_csv.response("agreement-corpus.csv", agreement_csv.stored_rows(stored))


@require_GET
@editor_required
def agreement_article_csv(request, pk: int):
    article = get_object_or_404(Article.objects.only("id", "title", "slug"), pk=pk)
    rows = agreement_csv.article_rows(selectors.agreement_figures([article.pk]), article)
    return agreement_csv.response(f"agreement-article-{article.pk}.csv", rows)


# --- Speakers -----------------------------------------------------------------------------------


@editor_required
def speaker_merge(request):
    form = SpeakerMergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not request.POST.get("confirm"):
        # First the editor sees what will move, then confirms.
        return render(
            request,
            "review/speaker_merge_confirm.html",
            {
                "source": form.cleaned_data["source"],
                "target": form.cleaned_data["target"],
                "preview": selectors.merge_preview(form.cleaned_data["source"]),
                **selectors.merge_sides(form.cleaned_data["source"], form.cleaned_data["target"]),
                "section": "speakers",
            },
        )
    if request.method == "POST" and form.is_valid():
        try:
            record = services.speaker_merge(
                source=form.cleaned_data["source"], target=form.cleaned_data["target"], actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, f"Nothing merged: {validation_message(exc)}")
        else:
            messages.success(
                request,
                f"“{record.source_name}” merged into “{record.target_name}”: {record.aliases_moved} alias(es), "
                f"{record.quotes_moved} quote(s) and {record.mentions_moved} mention(s) moved.",
            )
            return redirect("review:speaker_merge")
    merges = SpeakerMerge.objects.select_related("merged_by", "target", "undone_by")[:20]
    return render(
        request,
        "review/speaker_merge.html",
        {"form": form, "merges": merges, "section": "speakers"},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@editor_required
def speaker_merge_undo(request, pk: int):
    merge = get_object_or_404(SpeakerMerge, pk=pk)
    try:
        speaker = services.speaker_merge_undo(merge=merge, actor=request.user)
    except ValidationError as exc:
        messages.error(request, f"Nothing changed: {validation_message(exc)}")
    else:
        messages.success(request, f"Merge undone: “{speaker.name}” is back with its quotes and mentions.")
    return redirect("review:speaker_merge")


# --- Speakers: Wikidata link and merge candidates ----------------------------------------------------


@editor_required
def speaker_wikidata(request, pk: int):
    """Search Wikidata for a speaker, preview an item's claims, and link it once the editor confirms."""
    from corpus import services as corpus_services
    from corpus import wikidata

    speaker = get_object_or_404(Speaker, pk=pk)
    query = (request.GET.get("q") or speaker.name).strip()[:200]
    qid = (request.POST.get("qid") or request.GET.get("qid") or "").strip()
    context = {
        "speaker": speaker,
        "q": query,
        "matches": [],
        "entity": None,
        "error": "",
        "section": "speakers",
        "attributes": list(speaker.attributes.order_by("name")),
    }
    try:
        if qid and not QID_PATTERN.match(qid):
            raise wikidata.WikidataUnavailable(f"“{qid}” is not a Wikidata QID (Q followed by digits).")
        if request.method == "POST":
            entity = wikidata.fetch(qid)
            try:
                changes = corpus_services.speaker_wikidata_link(speaker=speaker, entity=entity, actor=request.user)
            except ValidationError as exc:
                messages.error(request, f"Nothing linked: {validation_message(exc)}")
            else:
                messages.success(
                    request, f"{speaker.name} is linked to {qid}. " + ("; ".join(changes) or "Nothing else changed.")
                )
            return redirect("review:speaker_wikidata", pk=speaker.pk)
        if qid:
            context["entity"] = wikidata.fetch(qid)
        else:
            context["matches"] = wikidata.search(query)
    except wikidata.WikidataUnavailable as exc:
        context["error"] = str(exc)
    return render(request, "review/speaker_wikidata.html", context)


@require_GET
@editor_required
def speaker_wikidata_proposals(request):
    """The Wikidata items annotators proposed for speakers, oldest first, a page at a time, each with
    Confirm and Reject."""
    page = Paginator(selectors.wikidata_proposals(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "review/speaker_wikidata_proposals.html", {"page": page, "section": "speakers"})


def _proposal_qid(request) -> str:
    """The proposed QID the editor saw (the form sends it back): a decision about another one is refused."""
    return (request.POST.get("qid") or "").strip()[:20]


@require_POST
@editor_required
def speaker_wikidata_proposal_confirm(request, pk: int):
    """Confirm a proposal: the item is read from Wikidata and linked as on the speaker's Wikidata page
    (``corpus.services.speaker_wikidata_proposal_confirm``)."""
    from corpus import services as corpus_services
    from corpus import wikidata

    speaker = get_object_or_404(Speaker, pk=pk)
    qid = _proposal_qid(request)
    back = _next_url(request, reverse("review:speaker_wikidata_proposals"))
    if not QID_PATTERN.match(qid):
        messages.error(request, f"Nothing confirmed: “{qid}” is not a Wikidata QID (Q followed by digits).")
        return redirect(back)
    if speaker.wikidata_qid_proposed != qid:
        messages.error(request, f"Nothing confirmed: {qid} is not the item proposed for {speaker.name} (any more).")
        return redirect(back)
    try:
        entity = wikidata.fetch(qid)
        changes = corpus_services.speaker_wikidata_proposal_confirm(speaker=speaker, entity=entity, actor=request.user)
    except wikidata.WikidataUnavailable as exc:
        messages.error(request, f"Nothing confirmed: {exc}")
    except ValidationError as exc:
        messages.error(request, f"Nothing confirmed: {validation_message(exc)}")
    else:
        messages.success(
            request,
            f"Confirmed: {speaker.name} is linked to {qid}. " + ("; ".join(changes) or "Nothing else changed."),
        )
    return redirect(back)


@require_POST
@editor_required
def speaker_wikidata_proposal_reject(request, pk: int):
    from corpus import services as corpus_services

    speaker = get_object_or_404(Speaker, pk=pk)
    qid = _proposal_qid(request)
    back = _next_url(request, reverse("review:speaker_wikidata_proposals"))
    try:
        corpus_services.speaker_wikidata_proposal_reject(speaker=speaker, qid=qid, actor=request.user)
    except ValidationError as exc:
        messages.error(request, f"Nothing rejected: {validation_message(exc)}")
    else:
        messages.success(request, f"Rejected: {qid} is no longer proposed for {speaker.name}; nothing was linked.")
    return redirect(back)


@require_GET
@editor_required
def speaker_candidates(request):
    return render(
        request, "review/speaker_candidates.html", {"candidates": selectors.merge_candidates(), "section": "speakers"}
    )
