#!/usr/bin/env python3
"""Writes Sources/Sandbox/BuiltinSchemas.swift: OpenAPI v3 schemas of the built-in kinds the
Sandbox publishes, so `kubectl explain deployment.spec` shows fields and descriptions.

The schemas come from the Kubernetes Python client, which is generated from kube-apiserver's
own OpenAPI document (field names, types, required fields and descriptions):

    python3 -m venv /tmp/k8s && /tmp/k8s/bin/pip install kubernetes==37.0.2
    /tmp/k8s/bin/python scripts/generate-builtin-openapi.py > Sources/Sandbox/BuiltinSchemas.swift
"""
import json
import re
import sys
import textwrap

import kubernetes.client.models as models

# The kinds our charts and the corpus charts render most, by group, version and client class.
KINDS = [
    ("", "v1", "ConfigMap"), ("", "v1", "Namespace"), ("", "v1", "PersistentVolumeClaim"), ("", "v1", "Pod"),
    ("", "v1", "Secret"), ("", "v1", "Service"), ("", "v1", "ServiceAccount"),
    ("apps", "v1", "DaemonSet"), ("apps", "v1", "Deployment"), ("apps", "v1", "ReplicaSet"), ("apps", "v1", "StatefulSet"),
    ("batch", "v1", "CronJob"), ("batch", "v1", "Job"),
    ("rbac.authorization.k8s.io", "v1", "ClusterRole"), ("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding"),
    ("rbac.authorization.k8s.io", "v1", "Role"), ("rbac.authorization.k8s.io", "v1", "RoleBinding"),
    ("apiextensions.k8s.io", "v1", "CustomResourceDefinition"),
    ("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration"),
    ("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration"),
    ("policy", "v1", "PodDisruptionBudget"), ("networking.k8s.io", "v1", "Ingress"),
    ("networking.k8s.io", "v1", "NetworkPolicy"), ("autoscaling", "v2", "HorizontalPodAutoscaler"),
    ("coordination.k8s.io", "v1", "Lease"),
]

PRIMITIVES = {
    "int": {"type": "integer", "format": "int64"}, "float": {"type": "number", "format": "double"},
    "str": {"type": "string"}, "bool": {"type": "boolean"}, "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"}, "bytearray": {"type": "string", "format": "byte"},
    "bytes": {"type": "string", "format": "byte"},
    "object": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
}


INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
INT_OR_STRING_SCHEMA = {
    "description": "IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling "
                   "and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, "
                   "a JSON field that can accept a name or number.",
    # As kube-apiserver's v3 document has it (OpenAPIV3OneOfTypes), so explain shows <IntOrString>.
    "format": "int-or-string", "oneOf": [{"type": "integer"}, {"type": "string"}],
}


def is_int_or_string(annotation):
    """The client types IntOrString fields as a Union of int and str (the schema only says object)."""
    text = repr(annotation)
    return "Union[" in text and "int" in text and "str" in text


def schema_name(class_name):
    prefix, version, name = re.match(r"^([A-Za-z]*?)(V\d+(?:alpha\d+|beta\d+)?)([A-Z].*)$", class_name).groups()
    group = prefix.lower() + "." if prefix else ""
    return f"io.k8s.sandbox.{group}{version.lower()}.{name}"


def description(cls):
    text = (cls.__doc__ or "").split("Attributes:")[0]
    return " ".join(textwrap.dedent(text).split())


def type_schema(text, pending):
    if text in PRIMITIVES:
        return dict(PRIMITIVES[text])
    if text.startswith(("list[", "List[")) and text.endswith("]"):
        return {"type": "array", "items": type_schema(text[5:-1], pending)}
    if text.startswith(("dict(", "Dict[")) and text.endswith((")", "]")):
        return {"type": "object", "additionalProperties": type_schema(text[5:-1].split(", ", 1)[1], pending)}
    pending.append(text)
    return {"allOf": [{"$ref": "#/components/schemas/" + schema_name(text)}]}


def class_schema(cls, pending):
    properties = {}
    required = []
    for attribute, json_name in cls.attribute_map.items():
        # Names that clash with Python or pydantic are `var_`-prefixed fields (`_from`, `schema`).
        field = cls.model_fields.get(attribute) or cls.model_fields["var_" + attribute.lstrip("_")]
        if is_int_or_string(field.annotation):
            prop = {"allOf": [{"$ref": "#/components/schemas/" + INT_OR_STRING}]}
        else:
            prop = type_schema(cls.openapi_types[attribute], pending)
        if field.description:
            prop["description"] = " ".join(field.description.split())
        properties[json_name] = prop
        if field.is_required():
            required.append(json_name)
    schema = {"description": description(cls), "type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def main():
    schemas, kinds = {}, []
    pending = []
    for group, version, kind in KINDS:
        class_name = version.upper()[0] + version[1:] + kind
        kinds.append({"group": group, "version": version, "kind": kind, "schema": schema_name(class_name)})
        pending.append(class_name)
    while pending:
        class_name = pending.pop()
        name = schema_name(class_name)
        if name in schemas:
            continue
        schemas[name] = class_schema(getattr(models, class_name), pending)
    schemas[INT_OR_STRING] = INT_OR_STRING_SCHEMA
    for entry in kinds:
        schemas[entry["schema"]]["x-kubernetes-group-version-kind"] = [
            {"group": entry["group"], "version": entry["version"], "kind": entry["kind"]}]
    document = json.dumps({"schemas": schemas}, sort_keys=True, separators=(",", ":"))
    assert '"""#' not in document
    sys.stdout.write(f'''// Generated by scripts/generate-builtin-openapi.py from the Kubernetes Python client
// {models.__name__} (kubernetes==37.0.2); do not edit.

/// OpenAPI v3 schemas of the built-in kinds the Sandbox publishes under `/openapi/v3`, so that
/// `kubectl explain` shows their fields. Field names, types, required fields and descriptions
/// are kube-apiserver's; patch strategies are not included (see docs/sandbox.md).
enum BuiltinSchemas {{
    static let json = #"""
{document}
"""#
}}
''')


main()
