import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from releases.models import Release


def test_release_build_prints_the_zip_path_last_and_release_verify_checks_it(seed, admin_user, media):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "release_build",
        "--name",
        "seed-corpus",
        "--version",
        "2.0.0",
        "--filter",
        "kind=direct",
        stdout=out,
        stderr=err,
    )
    path = out.getvalue().strip().splitlines()[-1]
    release = Release.objects.get()
    assert path == release.file.path and release.filters == {"kind": "direct"} and release.created_by == admin_user
    assert release.counts["quotes"] == 2
    verified = io.StringIO()
    call_command("release_verify", path, stdout=verified)
    assert verified.getvalue().startswith("OK seed-corpus 2.0.0")

    tampered = media / "tampered.zip"
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(tampered, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info, data + b"\n" if info.filename.endswith("README.md") else data)
    errors = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("release_verify", str(tampered), stderr=errors)
    assert failure.value.returncode == 1
    assert "README.md" in errors.getvalue() and "WRONG" in errors.getvalue()


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["--version", "1"], "not a semantic version"),
        (["--version", "1.0.0", "--filter", "colour=red"], "Unknown filter"),
        (["--version", "1.0.0", "--filter", "nonsense"], "KEY=VALUE"),
    ],
)
def test_release_build_refuses_bad_input_and_writes_nothing(seed, admin_user, media, arguments, words):
    with pytest.raises(CommandError, match=words):
        call_command("release_build", "--name", "seed-corpus", *arguments, stdout=io.StringIO())
    assert not Release.objects.exists()
    assert not media.exists() or not any(media.rglob("*.zip"))
