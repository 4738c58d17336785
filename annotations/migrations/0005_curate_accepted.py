"""Turn today's accepted quotes and mentions into the curated layer.

Every accepted annotator's quote is matched against the article's curated quotes made so far with
the one same-quote rule (``annotations.curation``): it joins the curated quote it matches, or a
curated copy of it is made (spans, cue, mention, speaker, tags and stances). Duplicates collapse into
one curated quote with several supporters; no annotator's quote is changed or lost. Mentions join on
the same span and label.
"""

from django.db import migrations

from annotations.curation import best_match
from annotations.spans import parse_span_offsets

BATCH = 500


def _snapshot(quote, stances, tags):
    return {
        "layer": quote.layer, "kind": quote.kind, "spans": [list(s) for s in parse_span_offsets(quote.span_offsets)],
        "text": quote.text, "speaker_id": quote.speaker_id, "status": quote.status,
        "support_count": quote.support_count, "supported_by": quote.supported_by,
        "stances": stances, "tags": tags, "version": quote.version,
    }


def curate(apps, schema_editor):
    Quote = apps.get_model("annotations", "Quote")
    QuoteSpan = apps.get_model("annotations", "QuoteSpan")
    Stance = apps.get_model("annotations", "Stance")
    QuoteEvent = apps.get_model("annotations", "QuoteEvent")
    EntityMention = apps.get_model("annotations", "EntityMention")
    MentionEvent = apps.get_model("annotations", "MentionEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    quote_type, _ = ContentType.objects.get_or_create(app_label="annotations", model="quote")

    accepted = Quote.objects.filter(layer="annotation", status="accepted", curated__isnull=True)
    article_ids = sorted(set(accepted.values_list("article_id", flat=True)))
    for article_id in article_ids:
        curated = [(c.pk, parse_span_offsets(c.span_offsets), c)
                   for c in Quote.objects.filter(layer="curated", article_id=article_id)]
        sources = accepted.filter(article_id=article_id).select_related("annotator").order_by("reviewed_at", "pk")
        for source in sources:
            spans = parse_span_offsets(source.span_offsets)
            key = best_match(spans, ((pk, other) for pk, other, _ in curated))
            if key is None:
                copy = Quote.objects.create(
                    article_id=article_id, kind=source.kind, speaker_id=source.speaker_id, start=source.start,
                    end=source.end, text=source.text, span_offsets=source.span_offsets,
                    cue_start=source.cue_start, cue_end=source.cue_end, cue_text=source.cue_text,
                    speaker_mention_start=source.speaker_mention_start,
                    speaker_mention_end=source.speaker_mention_end,
                    speaker_mention_text=source.speaker_mention_text, annotator_id=source.reviewed_by_id,
                    status="accepted", reviewed_by_id=source.reviewed_by_id, reviewed_at=source.reviewed_at,
                    review_note=source.review_note, origin=source.origin, layer="curated",
                )
                QuoteSpan.objects.bulk_create([
                    QuoteSpan(quote=copy, position=s.position, start=s.start, end=s.end, text=s.text)
                    for s in QuoteSpan.objects.filter(quote=source)
                ])
                curated.append((copy.pk, spans, copy))
                target = copy
            else:
                target = next(c for pk, _, c in curated if pk == key)
            have = set(Stance.objects.filter(quote=target).values_list("target_id", flat=True))
            Stance.objects.bulk_create([
                Stance(quote=target, target_id=s.target_id, label=s.label, annotator_id=s.annotator_id, note=s.note)
                for s in Stance.objects.filter(quote=source).order_by("pk") if s.target_id not in have
            ], ignore_conflicts=True)
            have_tags = set(TaggedItem.objects.filter(content_type=quote_type, object_id=target.pk)
                            .values_list("tag_id", flat=True))
            TaggedItem.objects.bulk_create([
                TaggedItem(content_type=quote_type, object_id=target.pk, tag_id=tag_id)
                for tag_id in TaggedItem.objects.filter(content_type=quote_type, object_id=source.pk)
                .values_list("tag_id", flat=True) if tag_id not in have_tags
            ])
            source.curated = target
            source.save(update_fields=["curated"])
        for _, _, target in curated:
            names = list(Quote.objects.filter(curated=target).order_by("annotator__username")
                         .values_list("annotator__username", flat=True))
            target.support_count, target.supported_by = len(names), ";".join(names)
            target.save(update_fields=["support_count", "supported_by"])
            stances = [{"target": t, "label": label, "annotator": a} for t, label, a in
                       Stance.objects.filter(quote=target).order_by("target__name", "annotator__username")
                       .values_list("target__name", "label", "annotator__username")]
            tags = sorted(TaggedItem.objects.filter(content_type=quote_type, object_id=target.pk)
                          .values_list("tag__name", flat=True))
            QuoteEvent.objects.create(
                quote_id=target.pk, actor_id=target.annotator_id, action="create", before=None,
                after=_snapshot(target, stances, tags),
                note=f"Curated layer made by migration from {len(names)} accepted quote(s).",
            )

    mentions = EntityMention.objects.filter(layer="annotation", status="accepted", curated__isnull=True)
    made = {}
    for source in mentions.order_by("article_id", "reviewed_at", "pk").iterator(chunk_size=BATCH):
        key = (source.article_id, source.start, source.end, source.label)
        target = made.get(key)
        if target is None:
            target = EntityMention.objects.filter(layer="curated", article_id=source.article_id, start=source.start,
                                                  end=source.end, label=source.label).first()
        if target is None:
            target = EntityMention.objects.create(
                article_id=source.article_id, start=source.start, end=source.end, text=source.text,
                label=source.label, speaker_id=source.speaker_id, annotator_id=source.reviewed_by_id,
                status="accepted", reviewed_by_id=source.reviewed_by_id, reviewed_at=source.reviewed_at,
                origin=source.origin, layer="curated",
            )
        made[key] = target
        source.curated = target
        source.save(update_fields=["curated"])
    for target in made.values():
        names = list(EntityMention.objects.filter(curated=target).order_by("annotator__username")
                     .values_list("annotator__username", flat=True))
        target.support_count, target.supported_by = len(names), ";".join(names)
        target.save(update_fields=["support_count", "supported_by"])
        MentionEvent.objects.create(
            mention_id=target.pk, actor_id=target.annotator_id, action="create", before=None,
            after={"start": target.start, "end": target.end, "label": target.label, "layer": "curated",
                   "support_count": target.support_count},
            note="Curated layer made by migration.",
        )


def uncurate(apps, schema_editor):
    """Back to one layer: the annotators' rows stay, the curated rows go."""
    Quote = apps.get_model("annotations", "Quote")
    EntityMention = apps.get_model("annotations", "EntityMention")
    Quote.objects.filter(layer="annotation").update(curated=None)
    EntityMention.objects.filter(layer="annotation").update(curated=None)
    Quote.objects.filter(layer="curated").delete()
    EntityMention.objects.filter(layer="curated").delete()
    # The old schema's history cascades with its quote: events of quotes that are gone cannot stay.
    QuoteEvent = apps.get_model("annotations", "QuoteEvent")
    QuoteEvent.objects.exclude(quote_id__in=Quote.objects.values("pk")).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0004_curated_layer"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(curate, uncurate)]
