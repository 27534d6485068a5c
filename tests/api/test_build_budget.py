"""The front end's byte budget (issue 12): the first load of `/` anonymous, `/` as staff and
`#/sites` within 150 KB gzipped, excluding map tiles and API data. The built bytes are
deterministic, so this is a unit test on the build's manifest; times stay in bench/
(bench/frontend_budgets.py measures the same loads on the wire, headers included)."""

import pytest

from backend.frontend import VISITOR_ON_MOUNT, VISITOR_START, built_files_of, first_load, read_manifest

BUDGET = 150 * 1024  # gzipped bytes
SLACK = 1.10  # fail only past the budget by more than 10 %

# What each page needs on its first load: the screen the route shows, plus what that screen
# fetches as soon as it is drawn (the map: Leaflet; the sites' markers are grouped by our own code).
# A visitor's start page is the public site map (issue 12), so "/" anonymous is "#/sites".
PAGES = {
    "/ anonymous": {"screens": VISITOR_START, "on_mount": VISITOR_ON_MOUNT},
    "/ staff": {"screens": ("visits/nearby-screen.js",), "on_mount": ()},
    "#/sites": {"screens": ("sites/sites-screen.js",), "on_mount": ("leaflet-src.esm.js",)},
}


def page_files(manifest: dict, screens: tuple[str, ...], on_mount: tuple[str, ...]) -> dict[str, int]:
    """URL → gzipped bytes: the shell's stylesheet and entry, the screens, everything they import
    statically, the default language's strings they wait for, and the files loaded when drawn."""
    outputs = manifest["outputs"]
    urls = [manifest["entry"], *(manifest["byEntry"][screen] for screen in screens), *built_files_of(manifest, on_mount)]
    files = {manifest["stylesheet"]: outputs[manifest["stylesheet"]]["gzip"]}
    files.update({url: outputs[url]["gzip"] for url in first_load(manifest, urls)})
    return files


@pytest.mark.parametrize("page", PAGES)
def test_it_keeps_the_first_load_within_the_byte_budget(page):
    files = page_files(read_manifest(), **PAGES[page])
    total = sum(files.values())
    print(f"\n{page}: {len(files)} files, {total / 1024:.1f} KB gzipped (budget {BUDGET // 1024} KB)")
    for url, size in sorted(files.items(), key=lambda item: -item[1]):
        print(f"  {size / 1024:6.1f} KB  {url}")
    assert total <= BUDGET * SLACK, f"{page}: {total} bytes gzipped, budget {BUDGET} (+10 %)"


@pytest.mark.django_db
def test_it_preloads_the_visitors_start_screen_for_visitors_only(client, users):
    # A visitor lands on the site map: its modules come with the shell's, not after the
    # session check; a logged-in user's shell does not fetch a screen it may never open.
    manifest = read_manifest()
    start = f'<link rel="modulepreload" href="/static/{manifest["byEntry"]["sites/sites-screen.js"]}">'
    leaflet = built_files_of(manifest, ("leaflet-src.esm.js",))[0]
    visitor = client.get("/").content.decode()
    assert start in visitor and f"/static/{leaflet}" in visitor
    client.force_login(users["staff"])
    staff = client.get("/").content.decode()
    assert start not in staff and f"/static/{leaflet}" not in staff
    assert f'<script type="module" src="/static/{manifest["entry"]}">' in staff
