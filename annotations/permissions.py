"""Who may change which annotation. Views call these before any service that writes."""

from accounts.roles import Role, has_role

from .models import EntityMention, Quote, Stance, Status


def can_annotate(user) -> bool:
    return has_role(user, Role.ANNOTATOR, Role.EDITOR)


def can_change(user, obj: Quote | EntityMention | Stance) -> bool:
    """Annotators change their own work until it is accepted; editors change anything."""
    if has_role(user, Role.EDITOR):
        return True
    if not can_annotate(user):
        return False
    owner_id = obj.annotator_id
    status = obj.quote.status if isinstance(obj, Stance) else obj.status
    return owner_id == user.pk and status != Status.ACCEPTED


def can_judge_speakers(user) -> bool:
    """Whose judgment is a source of a speaker's gender or role (the codebook's "editor's judgment")."""
    return has_role(user, Role.EDITOR)
