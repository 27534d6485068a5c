"""The front end's byte budget (issue 12): the first load of `/` anonymous, `/` as staff and
`#/sites` within 150 KB gzipped, excluding map tiles and API data. The built bytes are
deterministic, so this is a unit test on the build's manifest; times stay in bench/."""

import gzip
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from backend.frontend import VENDOR_PRECACHE, read_manifest

BUDGET = 150 * 1024  # gzipped bytes
SLACK = 1.10  # fail only past the budget by more than 10 %

# What each page needs on its first load: the screen the route shows, plus what that screen
# fetches as soon as it is drawn (the map: Leaflet; the sites' markers are grouped by our own code).
# A visitor's start page is the public site map (issue 12), so "/" anonymous is "#/sites".
SITE_MAP = {"screens": ["sites/sites-screen.js"], "on_mount": ["leaflet-src.esm.js", *VENDOR_PRECACHE]}
PAGES = {
    "/ anonymous": SITE_MAP,
    "/ staff": {"screens": ["visits/nearby-screen.js"], "on_mount": []},
    "#/sites": SITE_MAP,
}
LANGUAGE = "zh"  # the default; the other language's strings are never loaded alongside


def first_load(manifest: dict, screens: list[str], on_mount: list[str]) -> dict[str, int]:
    """URL → gzipped bytes: the shell's entry and stylesheet, the screens, everything they
    import statically, the active language's strings they load (top-level await), and the
    files the screen loads when drawn."""
    outputs = manifest["outputs"]
    wanted = [manifest["entry"], *(manifest["byEntry"][screen] for screen in screens)]
    wanted += [url for url, output in outputs.items() if any(source.endswith(name) for name in on_mount for source in output["sources"])]
    files = {manifest["stylesheet"]: outputs[manifest["stylesheet"]]["gzip"]}
    while wanted:
        url = wanted.pop()
        if url in files:
            continue
        files[url] = outputs[url]["gzip"]
        for imported in outputs[url]["imports"]:
            target = outputs[imported["url"]]
            strings = (target["entry"] or "").endswith(f"/strings.{LANGUAGE}.js")
            if imported["kind"] == "import-statement" or (imported["kind"] == "dynamic-import" and strings):
                wanted.append(imported["url"])
    for path in on_mount:
        if path.startswith("vendor/"):  # served as it is, gzipped by WhiteNoise
            files[path] = len(gzip.compress(Path(finders.find(path)).read_bytes(), compresslevel=9))
    return files


@pytest.mark.parametrize("page", PAGES)
def test_it_keeps_the_first_load_within_the_byte_budget(page):
    manifest = read_manifest()
    files = first_load(manifest, **PAGES[page])
    total = sum(files.values())
    print(f"\n{page}: {len(files)} files, {total / 1024:.1f} KB gzipped (budget {BUDGET // 1024} KB)")
    for url, size in sorted(files.items(), key=lambda item: -item[1]):
        print(f"  {size / 1024:6.1f} KB  {url}")
    assert total <= BUDGET * SLACK, f"{page}: {total} bytes gzipped, budget {BUDGET} (+10 %)"
