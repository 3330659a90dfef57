"""Prints `template.yaml` as CloudFormation, transformed by the SAM translator exactly as `sam deploy`
transforms it (the functions' generated roles included).

Run by tests/iam.py inside the SAM CLI's own environment (`uv tool run --from aws-sam-cli==...`,
the one `make validate` and `make build` use): the translator pins a pydantic older than the
service's, so it cannot share the project's virtualenv. Imports nothing of the project."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from samtranslator.translator.transform import transform  # type: ignore[import-not-found]
from samtranslator.yaml_helper import yaml_parse  # type: ignore[import-not-found]


class _NoManagedPolicyNames:
    """Policies given by a managed policy's bare name would need IAM to look them up: the template
    names none, so there is nothing to load (SAM's own managed policies come with their ARNs)."""

    def load(self) -> dict[str, str]:
        return {}


def main(path: str, parameters: str) -> None:
    document: dict[str, Any] = yaml_parse(Path(path).read_text())
    for resource in document["Resources"].values():
        properties = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri"):  # as `sam package` leaves them: uploaded to S3
            if isinstance(properties.get(key), str):
                properties[key] = f"s3://packaged/{properties[key]}"
    json.dump(transform(document, json.loads(parameters), _NoManagedPolicyNames()), sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
