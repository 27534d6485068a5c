import pytest

pytestmark = pytest.mark.django_db


def test_it_sends_a_csp_without_inline_scripts_or_styles(client):
    csp = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    # Inline style attributes let injected markup restyle a page; scripts set element.style instead.
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_it_allows_geolocation_and_camera_for_our_origin_only(client):
    policy = client.get("/")["Permissions-Policy"]
    assert "geolocation=(self)" in policy
    assert "camera=(self)" in policy
    assert "microphone=()" in policy


def test_it_adds_the_tile_host_to_img_src_when_tiles_are_configured(settings):
    from backend.basemap.tiles import tile_origins

    assert tile_origins("none") == []
    assert tile_origins("tianditu:abc") == ["https://*.tianditu.gov.cn"]
