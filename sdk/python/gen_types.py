"""Writes src/leoma/types.py from the OpenAPI spec: one TypedDict per schema, Literal for enums.

    python3 gen_types.py ../../openapi/public.json src/leoma/types.py

`npm run openapi` runs it; test/sdk/python-sdk.e2e.test.ts fails when the committed file is stale.
Standard library only, like the SDK.
"""
import json
import keyword
import sys


def py_type(schema, required=True):
    if "$ref" in schema:
        text = repr(schema["$ref"].split("/")[-1])[1:-1]
        text = f"'{text}'"
    elif "allOf" in schema and len(schema["allOf"]) == 1:
        text = py_type(schema["allOf"][0])
    elif "enum" in schema:
        text = "Literal[" + ", ".join(repr(v) for v in schema["enum"]) + "]"
    else:
        kind = schema.get("type")
        if kind == "string":
            text = "str"
        elif kind == "integer":
            text = "int"
        elif kind == "number":
            text = "float"
        elif kind == "boolean":
            text = "bool"
        elif kind == "array":
            text = "List[" + py_type(schema.get("items", {})) + "]"
        elif kind == "object" and isinstance(schema.get("additionalProperties"), dict) and not schema.get("properties"):
            text = "Dict[str, " + py_type(schema["additionalProperties"]) + "]"
        elif kind == "object" or "properties" in schema:
            text = "Dict[str, Any]"
        else:
            text = "Any"
    if schema.get("nullable"):
        text = f"Optional[{text}]"
    return text


def main(spec_path, out_path):
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    lines = [
        '"""Types of the Leoma API\'s objects, generated from openapi/public.json by gen_types.py: do not edit."""',
        "from typing import Any, Dict, List, Literal, Optional, TypedDict",
        "",
        f"API_VERSION = {spec['components']['headers'].get('Leoma-Version', {}).get('schema', {}).get('example', '')!r}",
        '"""The API version these types describe; the client sends it as Leoma-Version unless told otherwise."""',
        "",
    ]
    for name, schema in spec["components"]["schemas"].items():
        if not name.isidentifier() or keyword.iskeyword(name):
            continue
        props = schema.get("properties")
        if schema.get("type") != "object" or not props:
            lines += ["", f"{name} = {py_type(schema)}", ""]
            continue
        fields = ",\n".join(f"        {field!r}: {py_type(sub)}" for field, sub in props.items())
        lines += ["", f"{name} = TypedDict(", f"    {name!r},", "    {", fields + ",", "    },", "    total=False,", ")"]
        if schema.get("description"):
            lines.append(f'"""{schema["description"].replace(chr(92), chr(92) * 2).replace(chr(34) * 3, "")}"""')
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines).rstrip() + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
