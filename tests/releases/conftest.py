import pytest
from django.core.management import call_command

from accounts.roles import Role
from releases import services
from tests import factories


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Release zips go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def seed(db):
    call_command("load_seed", verbosity=0)


@pytest.fixture
def release_editor(db):
    return factories.UserFactory(username="rel-ed", roles=[Role.EDITOR], first_name="Ada", last_name="Editor")


@pytest.fixture
def make_release(release_editor):
    def make(version="1.0.0", name="seed-corpus", filters=None, licence="CC-BY-4.0", description="The seed corpus."):
        return services.release_create(
            name=name,
            version=version,
            description=description,
            licence=licence,
            filters=filters or {},
            user=release_editor,
        )

    return make


@pytest.fixture
def published(seed, make_release):
    return services.release_build(release=make_release())
