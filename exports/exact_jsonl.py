"""JSON Lines with times to the microsecond: the serialization format of site backups (``jsonl-exact``).

Django's JSON encoder cuts times to milliseconds, so a restored backup gave back ``12:00:01.000`` for a
stored ``12:00:01.000500``: not the row that was backed up. This is Django's ``jsonl`` serializer with
an encoder that keeps every digit; its files are read back by the plain ``jsonl`` deserializer (the
fields parse full ISO 8601 times), so a backup still restores with ``loaddata``.
"""

import datetime
from typing import Any

from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class Serializer(jsonl.Serializer):
    def _init_options(self) -> None:
        super()._init_options()  # type: ignore[misc]  # not in django-stubs; Django 5.2 has it
        self.json_kwargs["cls"] = ExactJSONEncoder


Deserializer = jsonl.Deserializer
