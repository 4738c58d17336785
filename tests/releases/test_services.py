"""Create, build, change log, failure and immutability of releases (releases.services)."""

import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction

from annotations.models import Quote
from releases import services
from releases.models import Release
from releases.versions import version_key


def stored_files(media):
    return sorted(p.name for p in media.rglob("*") if p.is_file()) if media.exists() else []


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"version": "1.0"}, "version", "not a semantic version"),
        ({"version": "v1.0.0"}, "version", "not a semantic version"),
        ({"version": "01.0.0"}, "version", "not a semantic version"),
        ({"name": "Bad Name!"}, "name", "lower-case letters"),
        ({"filters": {"colour": "red"}}, "filters", "colour: Unknown filter"),
        ({"filters": {"sort": "-published"}}, "filters", "sort: Unknown filter"),
        ({"filters": {"published_after": "yesterday"}}, "filters", "published_after"),
        ({"licence": "WTFPL"}, "licence", "not a valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(make_release, media, fields, field, words):
    arguments = {"version": "1.0.0", "name": "seed-corpus", "filters": {}, "licence": "CC-BY-4.0", **fields}
    with pytest.raises(ValidationError) as error:
        make_release(**arguments)
    assert field in error.value.message_dict
    assert words in " ".join(error.value.message_dict[field])
    assert not Release.objects.exists()
    assert stored_files(media) == []


def test_a_duplicate_version_is_refused(published, make_release, media):
    before = stored_files(media)
    with pytest.raises(ValidationError) as error:
        make_release(version="1.0.0")
    assert "exists already" in str(error.value.message_dict["version"])
    assert Release.objects.count() == 1 and stored_files(media) == before
    with pytest.raises(IntegrityError), transaction.atomic():  # the database's own unique constraint
        Release.objects.create(name="seed-corpus", version="1.0.0", created_by=published.created_by)


def test_versions_sort_by_semantic_version_precedence():
    order = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta", "1.0.0-rc.1", "1.0.0", "1.2.0", "1.10.0", "2.0.0"]
    assert sorted(sorted(order, reverse=True), key=version_key) == order


def test_a_published_release_is_immutable(published):
    with pytest.raises(services.ReleaseImmutable):
        services.release_update(release=published, description="Changed.")
    with pytest.raises(services.ReleaseImmutable):
        services.release_delete(release=published)
    with pytest.raises(services.ReleaseImmutable):
        services.release_build(release=published)
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        Release.objects.filter(pk=published.pk).update(description="Changed behind the services' back.")
    published.refresh_from_db()
    assert published.description == "The seed corpus." and published.status == "published"


def test_the_admin_shows_a_release_read_only(published, admin_client):
    page = admin_client.get(f"/admin/releases/release/{published.pk}/change/")
    assert page.status_code == 200
    assert b'name="version"' not in page.content and b"1.0.0" in page.content
    admin_client.post(f"/admin/releases/release/{published.pk}/change/", {"description": "x"})
    published.refresh_from_db()
    assert published.description == "The seed corpus."
    assert admin_client.get(f"/admin/releases/release/{published.pk}/delete/").status_code == 403


def test_an_unpublished_release_can_change_and_go(seed, make_release):
    release = make_release()
    assert services.release_update(release=release, description="Better words.").description == "Better words."
    services.release_delete(release=release)
    assert not Release.objects.exists()


def test_progress_is_reported_and_a_stop_leaves_nothing_but_a_failed_row(seed, make_release, media):
    calls = []
    release = services.release_build(release=make_release(), progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, calls[0][1]) and calls[-1] == (calls[0][1], calls[0][1])
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    kept = stored_files(media)
    assert kept == [f"{release.folder}.zip"]

    class Cancelled(Exception):
        pass

    ticks = []

    def stop():
        ticks.append(1)
        if len(ticks) > 8:
            raise Cancelled("cancelled by the user")

    second = make_release(version="1.1.0")
    with pytest.raises(Cancelled):
        services.release_build(release=second, should_stop=stop)
    second.refresh_from_db()
    assert second.status == "failed" and "cancelled by the user" in second.error
    assert not second.file and second.sha256 == "" and second.manifest == {}
    assert stored_files(media) == kept

    third = make_release(version="1.2.0")

    def stop_at_once():
        raise Cancelled("at once")

    with pytest.raises(Cancelled):
        services.release_build(release=third, should_stop=stop_at_once)
    third.refresh_from_db()
    assert third.status == "failed" and stored_files(media) == kept
    # a failed release can be built again
    third = services.release_build(release=third)
    assert third.status == "published"


def _changes(release):
    with zipfile.ZipFile(release.file.path) as z:
        return json.loads(z.read(f"{release.folder}/changelog.json")), z.read(f"{release.folder}/CHANGELOG.md").decode()


def test_the_change_log_lists_added_removed_and_changed_quotes_by_id(seed, make_release):
    indirect = list(Quote.objects.curated().filter(kind="indirect").order_by("pk").values_list("pk", flat=True))
    others = set(Quote.objects.curated().exclude(kind="indirect").values_list("pk", flat=True))
    first = services.release_build(release=make_release(filters={"kind": "indirect"}))
    data, text = _changes(first)
    assert data["previous"] is None and "first release" in text

    removed, changed = indirect[0], indirect[1]
    Quote.objects.filter(pk=removed).delete()
    Quote.objects.filter(pk=changed).update(cue_text="declared")
    second = services.release_build(release=make_release(version="1.1.0"))
    assert second.previous == first
    data, text = _changes(second)
    assert data["previous"]["version"] == "1.0.0" and data["previous"]["sha256"] == first.sha256
    assert data["removed"] == [removed]
    assert data["changed"] == [changed]
    assert set(data["added"]) == others and data["added"] == sorted(data["added"])
    assert data["counts"] == {"added": len(others), "removed": 1, "changed": 1}
    assert f"## Removed (1)\n\n{removed}\n" in text and f"## Changed (1)\n\n{changed}\n" in text
    assert "quotes added" in second.datasheet

    # the previous release is the highest published version below, whatever the order of creation
    patch = make_release(version="1.0.1")
    assert patch.previous == first


def test_an_abandoned_build_fails_its_release_and_deletes_the_zip_it_was_saving(seed, make_release, media):
    from django.core.files.base import ContentFile

    from releases.models import release_storage

    release = make_release()
    assert not services.release_abandon_build(release_id=release.pk, reason="gone")  # pending: not building
    Release.objects.filter(pk=release.pk).update(status=Release.Status.BUILDING)
    storage = release_storage()
    partial = storage.save("releases/seed-corpus-1.0.0.zip", ContentFile(b"half a zip"))
    other = storage.save("releases/other-1.0.0.zip", ContentFile(b"another release's zip"))
    assert services.release_abandon_build(release_id=release.pk, reason="The worker stopped.")
    release.refresh_from_db()
    assert (release.status, release.error) == (Release.Status.FAILED, "The worker stopped.")
    assert not storage.exists(partial) and storage.exists(other)
    assert services.release_build(release=release).status == Release.Status.PUBLISHED  # it can be built again
    assert not services.release_abandon_build(release_id=release.pk, reason="late")  # published: untouched
    release.refresh_from_db()
    assert release.status == Release.Status.PUBLISHED and storage.exists(release.file.name)
