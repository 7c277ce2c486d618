"""Colours and edge styles for the light and dark themes."""

from __future__ import annotations

from dataclasses import dataclass

FONT = "DejaVu Sans,Helvetica,Arial,sans-serif"


@dataclass(frozen=True)
class EdgeStyle:
    color: str
    style: str
    penwidth: str
    arrowhead: str


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    text: str
    muted: str
    cluster_fills: tuple[str, ...]
    cluster_border: str
    emr_fill: str
    edges: dict[str, EdgeStyle]
    faded: str
    plate: str  # behind icons whose artwork has too little contrast with the background


def _edges(stream: str, batch: str, event: str, query: str, control: str, custom: str) -> dict[str, EdgeStyle]:
    return {
        "stream": EdgeStyle(stream, "solid", "1.8", "normal"),
        "batch": EdgeStyle(batch, "dashed", "1.4", "normal"),
        "event": EdgeStyle(event, "solid", "1.3", "vee"),
        "query": EdgeStyle(query, "solid", "1.0", "onormal"),
        "control": EdgeStyle(control, "dotted", "1.3", "odot"),
        "custom-code": EdgeStyle(custom, "solid", "1.2", "empty"),
        "unknown": EdgeStyle(custom, "solid", "1.0", "normal"),
    }


THEMES = {
    "light": Theme(
        name="light", background="#FFFFFF", text="#1F2937", muted="#6B7280",
        cluster_fills=("#EFF6FB", "#F1F7EC", "#F4F1FA", "#FDF8E8"), cluster_border="#A8B3BF",
        emr_fill="#FFF4E5",
        edges=_edges("#1F6FB2", "#5B6B7A", "#C2410C", "#2F7D32", "#7E3FA6", "#4B5563"),
        faded="#D1D5DB", plate="#374151",
    ),
    "dark": Theme(
        name="dark", background="#16191D", text="#E5E7EB", muted="#9CA3AF",
        cluster_fills=("#1F2A36", "#1E2B22", "#272235", "#2E2A1C"), cluster_border="#4B5563",
        emr_fill="#33281A",
        edges=_edges("#5FA8E8", "#A3B1BF", "#F28B52", "#7CC47F", "#C38BE6", "#C9CDD2"),
        faded="#3F444B", plate="#E5E7EB",
    ),
}

KIND_NAMES = {
    "stream": "stream (records in motion)",
    "batch": "batch (files, loads, exports)",
    "event": "event (notifications, triggers)",
    "query": "query (read in place)",
    "control": "control (orchestration, permissions)",
    "custom-code": "custom code (SDK, libraries)",
}
