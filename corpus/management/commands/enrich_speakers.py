"""Refresh every speaker that has a Wikidata QID from Wikidata, and report what changed."""

from django.core.management.base import BaseCommand, CommandError

from corpus import wikidata
from corpus.models import Speaker
from corpus.services import speaker_wikidata_link


class Command(BaseCommand):
    help = "Refresh every speaker that has a Wikidata QID (attributes from the article or an editor are kept)."

    def handle(self, *args, **options):
        speakers = Speaker.objects.exclude(wikidata_qid="").order_by("pk")
        changed = failed = 0
        for speaker in speakers.iterator():
            try:
                entity = wikidata.fetch(speaker.wikidata_qid)
            except wikidata.WikidataUnavailable as exc:
                failed += 1
                self.stderr.write(f"{speaker.name} ({speaker.wikidata_qid}): {exc}")
                continue
            lines = speaker_wikidata_link(speaker=speaker, entity=entity)
            if lines:
                changed += 1
                self.stdout.write(f"{speaker.name} ({speaker.wikidata_qid}): " + "; ".join(lines))
        self.stdout.write(f"speakers={speakers.count()} changed={changed} failed={failed}")
        if failed and not changed and failed == speakers.count():
            raise CommandError("Wikidata could not be read for any speaker; nothing changed.")
