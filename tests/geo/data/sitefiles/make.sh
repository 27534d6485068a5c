#!/bin/sh
# Remakes the import test files from the src_*.csv texts with GDAL's own tools
# (Debian gdal-bin 3.6: apt-get install gdal-bin). CI has no ogr2ogr: the made files are committed.
set -e
cd "$(dirname "$0")"
rm -f gbk_nocpg.* truncated_4549.* swapped_4549.* beijing.geojson lnglat_xy.csv metres_nocrs.geojson clockwise.*
# 16: a GBK DBF without .cpg (ogr2ogr writes CP936 and a .cpg; old GBK systems write no .cpg)
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=CP936 -a_srs EPSG:4326 -oo KEEP_GEOM_COLUMNS=NO -oo X_POSSIBLE_NAMES=经度 -oo Y_POSSIBLE_NAMES=纬度 gbk_nocpg.shp src_gbk.csv
rm gbk_nocpg.cpg
# 19 (and 18 with --crs gcj02): long English names cut to 10 characters, CGCS2000 GK zone 40 (EPSG:4549)
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=UTF-8 -s_srs EPSG:4326 -t_srs EPSG:4549 -oo KEEP_GEOM_COLUMNS=NO -oo X_POSSIBLE_NAMES=lng -oo Y_POSSIBLE_NAMES=lat truncated_4549.shp src_points.csv
# 17: easting and northing swapped in an EPSG:4549 file
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=UTF-8 -a_srs EPSG:4549 -oo KEEP_GEOM_COLUMNS=NO -oo X_POSSIBLE_NAMES=x -oo Y_POSSIBLE_NAMES=y swapped_4549.shp src_swapped.csv
# 17: one point in the town, one in Beijing
ogr2ogr -f GeoJSON -a_srs EPSG:4326 -oo KEEP_GEOM_COLUMNS=NO -oo X_POSSIBLE_NAMES=lng -oo Y_POSSIBLE_NAMES=lat beijing.geojson src_beijing.csv
# 17: a lng/lat CSV (X/Y columns) to be imported with a wrong --crs EPSG:4549
ogr2ogr -f CSV -lco GEOMETRY=AS_XY -oo KEEP_GEOM_COLUMNS=NO -oo X_POSSIBLE_NAMES=lng -oo Y_POSSIBLE_NAMES=lat lnglat_xy.csv src_points.csv
# 18: GK metres in a GeoJSON without a crs member (the source has no SRS)
ogr2ogr -f GeoJSON -oo KEEP_GEOM_COLUMNS=NO -oo X_POSSIBLE_NAMES=x -oo Y_POSSIBLE_NAMES=y metres_nocrs.geojson src_metres.csv
# 21: polygons in a Shapefile (exterior rings clockwise, as the format stores them)
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=UTF-8 -a_srs EPSG:4326 -oo GEOM_POSSIBLE_NAMES=wkt -oo KEEP_GEOM_COLUMNS=NO clockwise.shp src_polygon.csv
