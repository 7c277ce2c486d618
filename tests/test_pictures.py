"""Pictures where they are used: icon plates in dark mode, the legend, tooltips and links."""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from archgen.catalog.services import load_services
from archgen.render.contrast import MIN_VISIBLE, contrast, hex_rgb, needs_plate, visible_share
from archgen.render.icons import icon_path, themed_icon
from archgen.render.themes import THEMES
from tests.conftest import FIXTURES, ROOT, SPECS

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
DARK, LIGHT = THEMES["dark"], THEMES["light"]


def node_images(svg_path) -> dict[str, bytes]:
    """The PNG bytes drawn for each node of a Graphviz SVG, by node name."""
    root = ET.parse(svg_path).getroot()
    # each icon is embedded once, in a <symbol>; nodes draw it with <use>
    symbols = {s.get("id"): s.find(f"{SVG}image") for s in root.iter(f"{SVG}symbol")}
    out = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") != "node":
            continue
        name = g.find(f"{SVG}title").text
        use = next(g.iter(f"{SVG}use"), None)
        image = symbols[use.get(f"{XLINK}href").removeprefix("#")] if use is not None else None
        if image is not None:
            href = image.get(f"{XLINK}href")
            out[name] = base64.b64decode(href.split(",", 1)[1])
    return out


def test_contrast_share_is_computed_from_pixels():
    black, white = FIXTURES / "icons" / "black-square.png", FIXTURES / "icons" / "white-square.png"
    assert visible_share(black, DARK.background) == 0.0
    assert visible_share(black, DARK.plate) == 1.0
    assert visible_share(white, DARK.background) == 1.0
    assert visible_share(white, LIGHT.background) == 0.0
    assert needs_plate(black, DARK.background, DARK.plate)
    assert not needs_plate(white, DARK.background, DARK.plate)
    assert needs_plate(white, LIGHT.background, LIGHT.plate)
    assert not needs_plate(black, LIGHT.background, LIGHT.plate)


def test_dark_artwork_gets_a_plate_only_in_dark_mode():
    services = load_services()
    splunk, catalog, athena = (services[s].icon for s in ("splunk", "glue-data-catalog", "athena"))
    assert visible_share(icon_path(splunk), DARK.background) < MIN_VISIBLE
    assert visible_share(icon_path(athena), DARK.background) >= MIN_VISIBLE
    assert themed_icon(splunk, DARK.background, DARK.plate) == f"plate-e5e7eb/{splunk}"
    assert themed_icon(catalog, DARK.background, DARK.plate) == f"plate-e5e7eb/{catalog}"
    assert themed_icon(athena, DARK.background, DARK.plate) == athena
    assert themed_icon(splunk, LIGHT.background, LIGHT.plate) == splunk


def test_plated_icon_in_dark_svg(cli, tmp_path):
    spec = ROOT / "specs" / "log-analytics.archgen.yaml"
    assert cli("render", spec, "-o", tmp_path / "dark", "-T", "svg", "--theme", "dark").exit_code == 0
    assert cli("render", spec, "-o", tmp_path / "light", "-T", "svg").exit_code == 0
    dark = node_images(tmp_path / "dark" / "log-analytics.svg")
    light = node_images(tmp_path / "light" / "log-analytics.svg")
    services = load_services()
    splunk = icon_path(services["splunk"].icon).read_bytes()
    assert light["siem"] == splunk
    assert dark["siem"] != splunk
    plate = Image.open(io.BytesIO(dark["siem"])).convert("RGBA")
    w, h = plate.size
    # Splunk's logo is 256 x 80 px of its 256 x 256 canvas (rows 88-167): the plate hugs it with
    # 12% of 256 = 31 px around it, corners rounded by 18% of its height
    assert plate.size == (256 + 2 * 31, 80 + 2 * 31) == (318, 142)
    assert plate.getpixel((159, 3)) == (0xE5, 0xE7, 0xEB, 255)  # the plate above the logo
    assert plate.getpixel((3, 71)) == (0xE5, 0xE7, 0xEB, 255)  # and left of it
    assert plate.getpixel((0, 0))[3] == 0 and plate.getpixel((317, 141))[3] == 0  # rounded corners
    splunk_art = Image.open(icon_path(services["splunk"].icon)).convert("RGBA")
    assert plate.crop((31, 31, 31 + 256, 31 + 80)).getpixel((10, 40)) == _over(splunk_art.getpixel((10, 128)),
                                                                                (0xE5, 0xE7, 0xEB))
    # a high-contrast icon is drawn as it is
    assert dark["to_splunk"] == icon_path(services["firehose"].icon).read_bytes()
    # still portable: no temporary folder named in the SVG
    text = (tmp_path / "dark" / "log-analytics.svg").read_text()
    assert "archgen-plates" not in text and not re.search(r'href="/', text)


def _over(pixel, plate):
    """An RGBA pixel composited over an opaque plate colour, as Pillow's alpha_composite does."""
    r, g, b, a = pixel
    k = a / 255
    return (*(round(c * k + p * (1 - k)) for c, p in zip((r, g, b), plate)), 255)


def test_dark_artwork_fixture_is_put_on_a_plate_that_hugs_it():
    from archgen.render.icons import on_plate

    dark_logo, amber_logo = FIXTURES / "icons" / "dark-logo.png", FIXTURES / "icons" / "amber-logo.png"
    # both: a 176 x 64 px logo (columns 40-215, rows 96-159) on a transparent 256 x 256 canvas;
    # #232F3E has contrast 1.30 against the dark background #16191D, #F59E0B has 8.21
    assert visible_share(dark_logo, DARK.background) == 0.0
    assert visible_share(amber_logo, DARK.background) == 1.0
    assert needs_plate(dark_logo, DARK.background, DARK.plate)
    assert not needs_plate(amber_logo, DARK.background, DARK.plate)
    assert not needs_plate(dark_logo, LIGHT.background, LIGHT.plate)  # on white it is plain to see
    plate = on_plate(Image.open(dark_logo), DARK.plate)
    pad = round(176 * 0.12)
    assert pad == 21 and plate.size == (176 + 2 * pad, 64 + 2 * pad) == (218, 106)
    radius = round(106 * 0.18)
    assert radius == 19
    grey, logo = (0xE5, 0xE7, 0xEB, 255), (0x23, 0x2F, 0x3E, 255)
    assert plate.getpixel((109, 0)) == grey and plate.getpixel((0, 53)) == grey  # edges of the plate
    assert plate.getpixel((217, 53)) == grey and plate.getpixel((109, 105)) == grey
    assert plate.getpixel((20, 20)) == grey and plate.getpixel((197, 85)) == grey  # just outside the logo
    assert plate.getpixel((21, 21)) == logo and plate.getpixel((196, 84)) == logo  # the logo's corners
    assert plate.getpixel((0, 0))[3] == 0 and plate.getpixel((217, 105))[3] == 0  # rounded corners
    assert plate.getpixel((radius, radius)) == grey
    # the logo is now visible: contrast 10.96 with the plate instead of 1.30 with the background
    assert round(contrast(hex_rgb("#232F3E"), hex_rgb(DARK.plate)), 2) == 10.96
    assert round(contrast(hex_rgb("#232F3E"), hex_rgb(DARK.background)), 2) == 1.30
    assert visible_share(dark_logo, DARK.plate) == 1.0


def links(svg_path) -> dict[str, tuple[str, str | None]]:
    """Hover text (the ``<title>`` inside the anchor) and link of each node and edge."""
    root = ET.parse(svg_path).getroot()
    out = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") in ("node", "edge"):
            anchor = next(g.iter(f"{SVG}a"))
            name = re.sub(r":[a-z]+(?=->|$)", "", g.find(f"{SVG}title").text)  # without ports
            out[name] = (anchor.find(f"{SVG}title").text, anchor.get(f"{XLINK}href"))
    return out


def test_svg_tooltips_and_doc_links(cli, tmp_path):
    spec = ROOT / "specs" / "clickstream.archgen.yaml"
    assert cli("render", spec, "-o", tmp_path, "-T", "svg,dot").exit_code == 0
    found = links(tmp_path / "clickstream.svg")
    assert len(found) == 8 + 9  # every component and every flow
    assert found["delivery"] == (
        "Click delivery · Amazon Data Firehose\nstatus: current\n"
        "A fully managed delivery stream that buffers, optionally transforms, and loads records into S3, "
        "Redshift, OpenSearch, Splunk, Snowflake or HTTP endpoints.\n"
        "https://docs.aws.amazon.com/firehose/latest/dev/what-is-this-service.html",
        "https://docs.aws.amazon.com/firehose/latest/dev/what-is-this-service.html")
    assert found["lake->catalog"] == (
        "Data lake → Glue Data Catalog\n"
        "crawler (control): A Glue crawler connects to a data store, infers schemas and partitions, "
        "and writes table definitions to the Glue Data Catalog.\n"
        "rule crawl-s3\nhttps://docs.aws.amazon.com/glue/latest/dg/crawler-data-stores.html",
        "https://docs.aws.amazon.com/glue/latest/dg/crawler-data-stores.html")
    assert all(href.startswith("https://docs.aws.amazon.com/") for _, href in found.values())
    dot = (tmp_path / "clickstream.dot").read_text()
    assert "archgentip" not in dot and "tooltip" not in dot
    assert 'URL="https://docs.aws.amazon.com/glue/latest/dg/crawler-data-stores.html"' in dot


def test_tooltips_keep_backslashes_and_markup_literal(cli, tmp_path):
    spec = tmp_path / "odd.yaml"
    spec.write_text('archgen: 1\ntitle: Odd\nsources:\n  a: {service: sdk, label: "C:\\\\N <b>&amp;"}\n'
                    "streams:\n  b: kinesis-data-streams\nflows:\n  - a -> b\n")
    assert cli("render", spec, "-o", tmp_path, "-T", "svg").exit_code == 0
    found = links(tmp_path / "odd.svg")
    assert found["a"][0].startswith("C:\\N <b>&amp; · AWS SDK\n")
    assert found["a->b"][0].startswith("C:\\N <b>&amp; → Kinesis Data Streams\n")


def test_hidden_parts_of_a_view_have_no_links(cli, tmp_path):
    spec = ROOT / "specs" / "clickstream.archgen.yaml"
    assert cli("render", spec, "-o", tmp_path, "-T", "svg", "--view", "ingest").exit_code == 0
    found = links(tmp_path / "clickstream--ingest.svg")
    assert sorted(found) == ["clicks", "clicks->delivery", "delivery", "delivery->lake", "lake", "web",
                             "web->clicks"]


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name.split(".")[0])
def test_every_node_and_flow_of_the_examples_has_a_hover_text_and_a_doc_link(cli, tmp_path, spec):
    from archgen.check import check_file

    assert cli("render", spec, "-o", tmp_path, "-T", "svg").exit_code == 0
    svg = next(tmp_path.glob("*.svg"))
    root = ET.parse(svg).getroot()
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class") in ("node", "edge")]
    found = links(svg)
    assert len(found) == len(groups) > 0  # every node and edge group carries an anchor
    model = check_file(spec).spec
    services = load_services()
    drawn = [c for c in model.components.values() if c.id in found]
    assert len(drawn) == len(model.components)  # an EMR cluster too, with its node groups
    for comp in drawn:
        tip, href = found[comp.id]
        name = services[comp.service].name
        assert tip.split("\n")[0].endswith(f" · {name}") or tip.split("\n")[0] == name, tip
        assert "\nstatus: " in tip
        if comp.service == "users":
            assert href is None  # people have no AWS doc page
        else:
            assert href.startswith("https://docs.aws.amazon.com/") and href in tip, (comp.id, href)
    flows = [(k, v) for k, v in found.items() if "->" in k]
    assert flows and all(" → " in tip.split("\n")[0] and href.startswith("https://docs.aws.amazon.com/")
                         and href in tip for _, (tip, href) in flows)
