"""The OpenAPI document of the REST API (smartevse/api/openapi.json) and the route table
agree both ways (issue 11 item 2: "keep it true: the tests check every documented route")."""

import json
import os

from openapi_spec_validator import validate

from sim import Simulation
from smartevse.api import routes
from smartevse.settings.table import KEYS, R_MQTT, R_OCPP, R_POST, R_PUBLISH, REST_NAMES, RESTS

DOC_PATH = os.path.join(os.path.dirname(routes.__file__), "openapi.json")
DOC = json.load(open(DOC_PATH))
METHODS = ("get", "post", "put", "delete", "patch")


def documented():
    """{(METHOD, route path)}: `{name}` is the route table's prefix `*`."""
    out = {}
    for path, item in DOC["paths"].items():
        for method in METHODS:
            if method in item:
                out[(method.upper(), path.replace("{name}", "*"))] = item[method]
    return out


def test_the_document_is_valid_openapi_3():
    """Given smartevse/api/openapi.json, then it passes the OpenAPI 3.0 schema."""
    validate(DOC)


def test_every_route_is_documented():
    """Given the route table, then each (method, path) has its operation in the document."""
    missing = set(routes.ROUTES) - set(documented())
    assert missing == set()


def test_every_documented_route_exists_or_names_the_feature_that_registers_it():
    """Given the document, then every operation is in the route table, except one marked
    `x-registered-by` (POST /rfid, the RFID feature's), which may be absent."""
    extra = {key for key, op in documented().items()
             if key not in routes.ROUTES and "x-registered-by" not in op}
    assert extra == set()
    assert "x-registered-by" in documented()[("POST", "/rfid")]


def test_the_documented_protection_is_the_route_tables():
    """Given AuthMode's open paths (interfaces.md 1.2), then exactly those operations say
    `security: []`, every other one needs the session and documents 401 and 403."""
    for (method, path), op in documented().items():
        if path in routes.OPEN_PATHS:
            assert op["security"] == [], path
        else:
            assert op["security"] == [{"session": []}], path
            assert "401" in op["responses"] and "403" in op["responses"], path


def test_post_settings_documents_every_parameter_of_the_settings_table():
    """Given the table's REST rows, then POST /settings documents each one's name on the
    wire, besides the parameters that are not settings (interfaces.md 1.5)."""
    names = {p["name"] for p in DOC["paths"]["/settings"]["post"]["parameters"]}
    for key, rest in zip(KEYS, RESTS):
        if rest & (R_POST | R_PUBLISH | R_MQTT | R_OCPP):
            assert REST_NAMES.get(key, key) in names, key
    assert {"mode", "phases", "override_current", "starttime", "backlight"} <= names


def test_the_controller_serves_the_document_at_get_openapi_json():
    """Given a controller, when GET /openapi.json, then the same document as JSON, open
    even with AuthMode on."""
    s = Simulation(settings={"lcd_pin": 1234, "auth_mode": "Required"})
    status, data = s.rest("GET", "/openapi.json")
    assert status == 200 and json.loads(data) == DOC
    assert routes.content_type("/openapi.json", data) == "application/json"
