from django.core.management.base import BaseCommand

from clusters.services import clusters_rebuild


class Command(BaseCommand):
    help = "Rebuild every quote cluster from the curated layer (the same clusters as kept incrementally)."

    def handle(self, *args, **options):
        result = clusters_rebuild()
        self.stdout.write(
            f"{result.quotes} curated quotes in {result.clusters} clusters "
            f"({result.repeated} of two or more) in {result.seconds:.1f} s"
        )
