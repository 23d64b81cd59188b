"""GET /openapi.json: the OpenAPI document of this API (smartevse/api/openapi.json)."""

# The file sits next to this module on the drive; it is read per request (about 31 KB,
# freed after the answer) rather than held. tests/api/test_openapi.py keeps it true.

PATH = __file__.rsplit("/", 1)[0] + "/openapi.json"


def get_openapi(app, params, body):
    try:
        with open(PATH, "rb") as f:
            return 200, f.read()
    except OSError:
        return 404, {"error": "Not found"}
