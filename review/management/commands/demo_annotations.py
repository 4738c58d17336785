"""Give the demo annotators submitted work on the seed article, so the demo editor has a queue to review,
disagreements to adjudicate and agreement figures to read. Runs once; later runs change nothing."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from annotations import services as annotation_services
from annotations.models import EntityMention, Quote, Status
from corpus.models import Article
from review import services

SEED_SLUG = "ice-signals-mass-immigration-arrests"


def _shorter(quote: Quote) -> list[tuple[int, int]]:
    """The quote's spans with the last word of the last span left out: a typical boundary disagreement."""
    spans = [(s.start, s.end) for s in quote.spans.all()]
    start, end = spans[-1]
    text = quote.article.body[start:end]
    cut = text.rstrip(" .,").rfind(" ")
    if cut > 0:
        spans[-1] = (start, start + len(text[:cut].rstrip(" ,")))
    return spans


class Command(BaseCommand):
    help = "Create submitted demo annotations by annotator and annotator2 on the seed article (once)."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        try:
            article = Article.objects.get(slug=SEED_SLUG)
            first, second = User.objects.get(username="annotator"), User.objects.get(username="annotator2")
            editor = User.objects.get(username="editor")
        except (Article.DoesNotExist, User.DoesNotExist):
            raise CommandError(
                "Load the seed (manage.py load_seed) and the demo accounts (manage.py demo_accounts) first."
            ) from None
        if Quote.objects.filter(article=article, annotator__in=[first, second]).exists():
            self.stdout.write("Demo annotations exist already; nothing changed.")
            return
        services.assignments_create(articles=[article], annotators=[first, second], assigned_by=editor)
        gold = list(
            Quote.objects.curated().for_article(article).in_text_order().prefetch_related("spans", "stances__target")
        )
        made = 0
        for user, picks in ((first, range(12)), (second, range(4, 16))):
            for index in picks:
                quote = gold[index]
                disagree = user == second and index % 4 == 1
                spans = _shorter(quote) if disagree else [(s.start, s.end) for s in quote.spans.all()]
                copy = annotation_services.quote_create(
                    article=article,
                    spans=spans,
                    kind=quote.kind,
                    speaker=quote.speaker,
                    cue=quote.cue,
                    speaker_mention=quote.speaker_mention,
                    annotator=user,
                    status=Status.SUBMITTED,
                )
                for stance in quote.stances.all():
                    label = "neutral" if disagree and stance.label != "neutral" else stance.label
                    annotation_services.stance_set(quote=copy, target=stance.target, label=label, annotator=user)
                made += 1
        mentions = list(EntityMention.objects.curated().filter(article=article).order_by("start"))
        for user, picks in ((first, mentions[:30]), (second, mentions[10:])):
            for mention in picks:
                annotation_services.entity_mention_create(
                    article=article,
                    start=mention.start,
                    end=mention.end,
                    label=mention.label,
                    speaker=mention.speaker,
                    annotator=user,
                    status=Status.SUBMITTED,
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {made} submitted demo quotes by annotator and annotator2 on the seed article; "
                "the editor's review queue has them."
            )
        )
