"""Rendering: spec → neutral graph model → Graphviz (in-process) → PNG/SVG/PDF/DOT."""
