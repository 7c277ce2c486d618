"""archgen: checked AWS data-analytics architecture diagrams from YAML specs."""

__version__ = "0.1.0"
