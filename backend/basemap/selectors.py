from geo.bbox import BBox

from .models import BaseLayer


def base_layers() -> list[BaseLayer]:
    return list(BaseLayer.objects.all())


def town_summary() -> dict | None:
    """Name, centre [lat, lng] and bbox [minLng, minLat, maxLng, maxLat] of the town boundary."""
    boundary = BaseLayer.objects.filter(kind=BaseLayer.Kind.BOUNDARY).first()
    if boundary is None:
        return None
    features = boundary.geojson.get("features") or [boundary.geojson]
    box = BBox.of_geojson(features[0]["geometry"])
    lat, lng = box.center()
    return {
        "name": features[0].get("properties", {}).get("name", boundary.name),
        "center": [lat, lng],
        "bbox": [box.min_lng, box.min_lat, box.max_lng, box.max_lat],
    }
