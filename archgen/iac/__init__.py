"""Infrastructure code in, archgen specs out: ``archgen import`` and ``archgen diff``.

CloudFormation and SAM templates (YAML or JSON), CDK cloud assemblies and Terraform
``show -json`` output are read into one inventory of resources; resource types map to
catalog services, integration properties become flows (``archgen/data/iac.yaml``), and the
result is written as an ordinary spec.
"""

from __future__ import annotations

from archgen.iac.model import ImportResult
from archgen.iac.pipeline import import_sources

__all__ = ["ImportResult", "import_sources"]
