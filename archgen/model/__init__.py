"""Reading specs: YAML with positions, the JSON Schema, and the typed model."""
