"""The HTTP edge: RFC 9457 problem details for validation errors, domain errors and crashes, in the
request language, and the order of checks of `entrypoint` (token, access, body size, input)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Annotated, Any

import pytest
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.event_handler.openapi.params import Query

from customer_id import clock, erasures, http, request
from customer_id.auth import Access, Owned
from customer_id.errors import Conflict, FieldError
from customer_id.schemas import ApiModel, IsoDate, Limit

SAMPLE = Path(__file__).resolve().parents[2] / "events" / "profile" / "put_profile.json"
SECRET = "db-password=hunter2 at internal.example:5432"


class Thing(ApiModel):
    display_name: str
    count: int


class Day(ApiModel):
    day: IsoDate


@pytest.fixture(scope="module")
def app() -> APIGatewayRestResolver:
    resolver = http.build_resolver()

    @resolver.post("/things")
    def create_thing(thing: Thing) -> dict[str, Any]:
        return {"displayName": thing.display_name, "count": thing.count}

    @resolver.get("/things")
    def list_things(limit: Annotated[Limit, Query()] = 20) -> dict[str, Any]:
        return {"limit": limit}

    @resolver.get("/range")
    def time_range(since: http.RangeFrom = None, until: http.RangeTo = None) -> dict[str, Any]:
        # what a list does with its range: the instants in UTC (`astimezone`)
        return {"from": since and clock.iso(since), "to": until and clock.iso(until)}

    @resolver.post("/days")
    def day(day: Day) -> dict[str, Any]:
        return {"day": day.day.isoformat()}

    @resolver.get("/boom")
    def boom() -> dict[str, Any]:
        raise Exception(SECRET)

    @resolver.get("/busy")
    def busy() -> dict[str, Any]:
        raise Conflict("insufficient_points", needed=500, available=120)

    @resolver.put("/customers/<customerId>/profile")
    def put_profile(customerId: str, thing: Thing) -> dict[str, Any]:
        return {"customerId": customerId}

    return resolver


def event(method: str, path: str, body: str | None = None, **headers: str) -> dict[str, Any]:
    """An API Gateway REST proxy event shaped like the `events/` samples."""
    sample: dict[str, Any] = json.loads(SAMPLE.read_text())
    built = copy.deepcopy(sample)
    all_headers = {"Accept": "application/json", "Content-Type": "application/json", **headers}
    built.update(
        resource=path,
        path=path,
        httpMethod=method,
        headers=all_headers,
        multiValueHeaders={name: [value] for name, value in all_headers.items()},
        pathParameters=None,
        body=body,
    )
    built["requestContext"].update(resourcePath=path, httpMethod=method, path=f"/dev{path}")
    return built


def content_type(response: dict[str, Any]) -> str:
    if "multiValueHeaders" in response and "Content-Type" in response["multiValueHeaders"]:
        return str(response["multiValueHeaders"]["Content-Type"][0])
    return str(response["headers"]["Content-Type"])


def problem_of(response: dict[str, Any], status: int) -> dict[str, Any]:
    assert response["statusCode"] == status, response["body"]
    assert content_type(response) == "application/problem+json"
    body: dict[str, Any] = json.loads(response["body"])
    assert body["status"] == status
    assert set(body) <= {"type", "title", "status", "detail", "errors"}
    return body


# ---- validation errors -------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["{bad json", '{"displayName": "x",}', "{'displayName': 'x'}", "nul"])
def test_malformed_json_is_a_400_saying_so(app: APIGatewayRestResolver, body: str) -> None:
    problem = problem_of(app.resolve(event("POST", "/things", body), None), 400)

    assert problem["type"] == "/problems/malformed-json"
    assert problem["title"] == "Invalid request"
    assert problem["detail"] == "The request body is not valid JSON."
    assert problem["errors"] == [{"field": "body", "message": "malformed JSON"}]


def test_unknown_field_is_a_400_naming_it(app: APIGatewayRestResolver) -> None:
    body = json.dumps({"displayName": "Layla", "count": 1, "favouriteColour": "teal"})

    problem = problem_of(app.resolve(event("POST", "/things", body), None), 400)

    assert problem["type"] == "/problems/invalid-input"
    assert problem["detail"] == "The request is not valid: see errors for each field."
    assert [error["field"] for error in problem["errors"]] == ["favouriteColour"]
    assert all(isinstance(error["message"], str) and error["message"] for error in problem["errors"])


def test_each_invalid_field_is_named_in_camel_case(app: APIGatewayRestResolver) -> None:
    body = json.dumps({"count": "many"})

    problem = problem_of(app.resolve(event("POST", "/things", body), None), 400)

    assert problem["type"] == "/problems/invalid-input"
    assert sorted(error["field"] for error in problem["errors"]) == ["count", "displayName"]


@pytest.mark.parametrize("body", [None, "", "[]", "42", '"text"'])
def test_a_body_that_is_not_an_object_is_a_400(app: APIGatewayRestResolver, body: str | None) -> None:
    problem = problem_of(app.resolve(event("POST", "/things", body), None), 400)
    assert problem["type"] == "/problems/invalid-input"
    assert [error["field"] for error in problem["errors"]] == ["body"]


@pytest.mark.parametrize("limit", ["0", "101", "ten"])
def test_invalid_query_parameter_is_a_400_naming_it(app: APIGatewayRestResolver, limit: str) -> None:
    built = event("GET", "/things")
    built["queryStringParameters"] = {"limit": limit}
    built["multiValueQueryStringParameters"] = {"limit": [limit]}

    problem = problem_of(app.resolve(built, None), 400)

    assert problem["type"] == "/problems/invalid-input"
    assert [error["field"] for error in problem["errors"]] == ["limit"]


def _range(app: APIGatewayRestResolver, **query: str) -> dict[str, Any]:
    built = event("GET", "/range")
    built["queryStringParameters"] = query
    built["multiValueQueryStringParameters"] = {name: [value] for name, value in query.items()}
    return app.resolve(built, None)


@pytest.mark.parametrize(
    "instant",
    [
        "0001-01-01T00:00:00+01:00",  # before year 1 in UTC: astimezone overflowed, a 500
        "9999-12-31T23:00:00-05:00",  # after year 9999 in UTC: the same
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "1969-12-31T23:59:59.999Z",
        "1970-01-01T01:59:59+02:00",  # 1969 in UTC
        "2100-01-01T00:00:00Z",
        "2099-12-31T19:00:00-05:00",  # 2100 in UTC
    ],
)
@pytest.mark.parametrize("name", ["from", "to"])
def test_an_instant_outside_1970_to_2100_is_a_400_naming_its_field(
    app: APIGatewayRestResolver, name: str, instant: str
) -> None:
    problem = problem_of(_range(app, **{name: instant}), 400)

    assert problem["type"] == "/problems/invalid-input"
    assert problem["errors"] == [
        {
            "field": name,
            "message": "Value error, must be from 1970-01-01T00:00:00Z to before 2100-01-01T00:00:00Z",
        }
    ]


@pytest.mark.parametrize(
    ("instant", "utc"),
    [
        ("1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000Z"),
        ("1970-01-01T02:00:00+02:00", "1970-01-01T00:00:00.000Z"),
        ("1969-12-31T19:00:00-05:00", "1970-01-01T00:00:00.000Z"),
        ("2099-12-31T23:59:59.999Z", "2099-12-31T23:59:59.999Z"),
        ("2100-01-01T04:59:59+05:00", "2099-12-31T23:59:59.000Z"),
    ],
)
def test_an_instant_from_1970_to_before_2100_is_taken(
    app: APIGatewayRestResolver, instant: str, utc: str
) -> None:
    response = _range(app, to=instant)

    assert response["statusCode"] == 200, response["body"]
    assert json.loads(response["body"]) == {"from": None, "to": utc}


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1969-12-31", "2100-01-01"])
def test_a_date_outside_1970_to_2100_is_a_400_naming_its_field(app: APIGatewayRestResolver, day: str) -> None:
    problem = problem_of(app.resolve(event("POST", "/days", json.dumps({"day": day})), None), 400)

    assert problem["type"] == "/problems/invalid-input"
    assert problem["errors"] == [
        {"field": "day", "message": "Value error, must be from 1970-01-01 to before 2100-01-01"}
    ]


@pytest.mark.parametrize("day", ["1970-01-01", "2099-12-31"])
def test_a_date_from_1970_to_before_2100_is_taken(app: APIGatewayRestResolver, day: str) -> None:
    response = app.resolve(event("POST", "/days", json.dumps({"day": day})), None)

    assert response["statusCode"] == 200, response["body"]
    assert json.loads(response["body"]) == {"day": day}


@pytest.mark.parametrize("day", ["2026-1-05", "٢٠٢٦-٠١-٠٥", "20260105", "2026-01-05T00:00:00Z"])
def test_a_date_is_written_yyyy_mm_dd_in_ascii_digits(app: APIGatewayRestResolver, day: str) -> None:
    problem = problem_of(app.resolve(event("POST", "/days", json.dumps({"day": day})), None), 400)

    assert problem["type"] == "/problems/invalid-input"
    assert problem["errors"] == [
        {"field": "day", "message": "Value error, must be a date written YYYY-MM-DD"}
    ]


def test_valid_request_passes(app: APIGatewayRestResolver) -> None:
    response = app.resolve(event("POST", "/things", json.dumps({"displayName": "Layla", "count": 2})), None)

    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"displayName": "Layla", "count": 2}


def test_problem_title_and_detail_come_in_the_request_language(app: APIGatewayRestResolver) -> None:
    request.begin(request.Request(caller=None, accept_language="ar"))

    response = app.resolve(event("POST", "/things", "{bad json"), None)

    problem = problem_of(response, 400)
    assert (problem["type"], problem["title"]) == ("/problems/malformed-json", "طلب غير صالح")
    assert problem["detail"] == "نص الطلب ليس JSON صالحًا."
    assert "طلب غير صالح" in response["body"]  # UTF-8, not \u escapes


def test_non_json_content_type_is_a_415_problem(app: APIGatewayRestResolver) -> None:
    built = event("POST", "/things", "displayName=Layla", **{"Content-Type": "text/plain"})

    problem = problem_of(app.resolve(built, None), 415)

    assert problem["type"] == "/problems/unsupported-media-type"
    assert problem["detail"] == "The request body must be JSON."


# ---- other errors ------------------------------------------------------------------------------


def test_a_crash_is_a_500_problem_without_internals(
    app: APIGatewayRestResolver, caplog: pytest.LogCaptureFixture
) -> None:
    response = app.resolve(event("GET", "/boom"), None)

    problem = problem_of(response, 500)
    assert problem["type"] == "/problems/internal-error"
    assert problem["title"] == "Internal error"
    assert problem["detail"] == "Something went wrong on our side. Please try again."
    for leak in ("Traceback", "hunter2", SECRET, 'File "', "Exception", "test_http.py"):
        assert leak not in response["body"]
    assert SECRET in caplog.text  # logged for operators, not answered


def test_a_domain_error_is_its_status_with_a_filled_in_detail(app: APIGatewayRestResolver) -> None:
    problem = problem_of(app.resolve(event("GET", "/busy"), None), 409)

    assert problem == {
        "type": "/problems/insufficient-points",
        "title": "Conflict",
        "status": 409,
        "detail": "Not enough points: 500 needed, 120 available.",
    }


def test_an_unknown_route_is_a_404_problem(app: APIGatewayRestResolver) -> None:
    problem = problem_of(app.resolve(event("GET", "/nowhere"), None), 404)
    assert problem["type"] == "/problems/route-not-found"


def test_problem_omits_empty_errors_and_falls_back_to_the_title() -> None:
    assert http.problem(403, "no_such_code") == {
        "type": "/problems/no-such-code",
        "title": "Forbidden",
        "status": 403,
        "detail": "Forbidden",
    }
    with_errors = http.problem(400, "invalid_cursor", [FieldError("cursor", "invalid cursor")])
    assert with_errors["errors"] == [{"field": "cursor", "message": "invalid cursor"}]


# ---- the handler wrapper: who, then how big, then what -----------------------------------------


CUSTOMER_PATH = "/customers/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/profile"


def profile_event(body: str | None, **headers: str) -> dict[str, Any]:
    built = event("PUT", CUSTOMER_PATH, body, **{"Accept-Language": "en", **headers})
    built["resource"] = "/customers/{customerId}/profile"
    built["pathParameters"] = {"customerId": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"}
    return built


@pytest.fixture(autouse=True)
def nobody_is_erased(monkeypatch: pytest.MonkeyPatch) -> None:
    """The erasure mark is a DynamoDB read (tests/integration/test_data_rights.py): here, no one has one."""
    monkeypatch.setattr(erasures, "is_erased", lambda customer_id: False)


def test_dispatch_answers_an_erased_customers_routes_404_before_the_body_is_read(
    app: APIGatewayRestResolver, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(erasures, "is_erased", lambda customer_id: asked.append(customer_id) is None)

    problem = problem_of(http._dispatch(app, Access.SELF, profile_event("{bad json"), None), 404)
    assert problem["type"] == "/problems/customer-not-found"
    assert asked == ["0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"]

    stranger = profile_event("{bad json")
    stranger["requestContext"]["authorizer"]["claims"]["sub"] = "someone-else"
    problem = problem_of(http._dispatch(app, Access.SELF, stranger, None), 403)  # access first
    assert problem["type"] == "/problems/forbidden"
    assert asked == ["0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"]


def test_dispatch_without_a_token_is_401_before_the_body_is_read(app: APIGatewayRestResolver) -> None:
    built = profile_event("{bad json")
    del built["requestContext"]["authorizer"]

    problem = problem_of(http._dispatch(app, Access.SELF, built, None), 401)
    assert problem["type"] == "/problems/unauthenticated"


def test_dispatch_on_another_customers_path_is_403_before_the_body_is_read(
    app: APIGatewayRestResolver,
) -> None:
    built = profile_event("{bad json")
    built["requestContext"]["authorizer"]["claims"]["sub"] = "someone-else"

    problem = problem_of(http._dispatch(app, Access.SELF, built, None), 403)
    assert problem["type"] == "/problems/forbidden"


def test_dispatch_refuses_a_body_over_64_kib(app: APIGatewayRestResolver) -> None:
    body = json.dumps({"displayName": "x" * (64 * 1024), "count": 1})

    problem = problem_of(http._dispatch(app, Access.SELF, profile_event(body), None), 413)
    assert problem["type"] == "/problems/payload-too-large"


def test_dispatch_then_validates_input_in_the_callers_language(app: APIGatewayRestResolver) -> None:
    response = http._dispatch(app, Access.SELF, profile_event("{}", **{"Accept-Language": "ar-SA"}), None)

    problem = problem_of(response, 400)
    assert (problem["type"], problem["title"]) == ("/problems/invalid-input", "طلب غير صالح")
    assert sorted(error["field"] for error in problem["errors"]) == ["count", "displayName"]


@pytest.mark.parametrize("body", ["[null, null]", "[{}]", "null", "7", '"text"', "true"])
def test_dispatch_refuses_a_body_that_is_not_an_object_even_where_the_body_is_optional(body: str) -> None:
    """A route whose body is optional (`Model | None`) would read `[null, null]` as no body."""
    resolver = http.build_resolver()

    class NoFields(ApiModel):
        pass

    @resolver.put("/customers/<customerId>/profile")
    def optional_body(customerId: str, body: NoFields | None = None) -> dict[str, Any]:
        return {"customerId": customerId}

    assert http._dispatch(resolver, Access.SELF, profile_event("{}"), None)["statusCode"] == 200
    problem = problem_of(http._dispatch(resolver, Access.SELF, profile_event(body), None), 400)
    assert problem["type"] == "/problems/invalid-input"
    assert problem["errors"] == [{"field": "body", "message": "a JSON object"}]


DEEP = http.MAX_JSON_DEPTH
LONG = http.MAX_JSON_NUMBER


def _thing(extra: str) -> str:
    return '{"displayName": "Layla", "count": 1, "extra": ' + extra + "}"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[" * 30_000, f"nested at most {DEEP} levels deep"),  # RecursionError in json: a 500
        ("[" * 30_000 + "]" * 30_000, f"nested at most {DEEP} levels deep"),
        ('{"a":' * 10_000 + "1" + "}" * 10_000, f"nested at most {DEEP} levels deep"),
        (_thing("[" * DEEP + "]" * DEEP), f"nested at most {DEEP} levels deep"),  # the object is one more
        ('{"displayName": "Layla", "count": ' + "9" * 4_400 + "}", f"numbers of at most {LONG} characters"),
        ('{"displayName": "Layla", "count": -' + "9" * LONG + "}", f"numbers of at most {LONG} characters"),
        (_thing("1." + "5" * LONG), f"numbers of at most {LONG} characters"),
        (_thing("1e" + "9" * LONG), f"numbers of at most {LONG} characters"),
    ],
)
def test_dispatch_refuses_json_nested_too_deep_or_with_too_long_a_number(body: str, message: str) -> None:
    """Python's json raises RecursionError for deep nesting and ValueError (not a JSONDecodeError)
    for an integer of more than 4,300 digits: both were 500s, from the edge's check or Powertools'
    parsing. The bounds are decided before anything parses the body."""
    resolver = http.build_resolver()
    ran: list[Thing] = []

    @resolver.put("/customers/<customerId>/profile")
    def put_profile(customerId: str, thing: Thing) -> dict[str, Any]:
        ran.append(thing)
        return {"customerId": customerId}

    problem = problem_of(http._dispatch(resolver, Access.SELF, profile_event(body), None), 400)
    assert problem["type"] == "/problems/invalid-input"
    assert problem["errors"] == [{"field": "body", "message": message}]
    assert ran == []


def test_dispatch_takes_json_at_its_bounds_and_anything_inside_strings(app: APIGatewayRestResolver) -> None:
    # 32 levels (the object, then 31 arrays) pass the bounds: the route's model refuses `extra`
    deepest = profile_event(_thing("[" * (DEEP - 1) + "]" * (DEEP - 1)))
    problem = problem_of(http._dispatch(app, Access.SELF, deepest, None), 400)
    assert problem["errors"] == [{"field": "extra", "message": "Extra inputs are not permitted"}]

    longest = '{"displayName": "Layla", "count": ' + "9" * LONG + "}"
    inside_strings = json.dumps({"displayName": "[{" * 5_000 + "9" * 5_000 + '"\\', "count": 1})
    for body in (longest, inside_strings):
        response = http._dispatch(app, Access.SELF, profile_event(body), None)
        assert response["statusCode"] == 200, response["body"]


# ---- owner routes: whose resource, before what is sent --------------------------------------------

OWNER_ID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"  # the sample event's caller


class Note(ApiModel):
    body: str


def owner_route(owners: dict[str, str], looked_up: list[str], ran: list[str]) -> http.Resolver:
    def owner_of(ticket_id: str) -> str | None:
        looked_up.append(ticket_id)
        return owners.get(ticket_id)

    resolver = http.build_resolver(Owned("ticketId", owner_of))

    @resolver.post("/tickets/<ticketId>/comments")
    def comment(ticketId: str, note: Note) -> dict[str, Any]:
        ran.append(ticketId)
        return {"ticketId": ticketId}

    return resolver


def comment_event(
    ticket_id: str, body: str, sub: str = OWNER_ID, groups: str | None = None
) -> dict[str, Any]:
    built = event("POST", f"/tickets/{ticket_id}/comments", body, **{"Accept-Language": "en"})
    built["resource"] = "/tickets/{ticketId}/comments"
    built["pathParameters"] = {"ticketId": ticket_id}
    claims = built["requestContext"]["authorizer"]["claims"]
    claims["sub"] = sub
    if groups is not None:
        claims["cognito:groups"] = groups
    return built


OWNER_OR_STAFF = Access.OWNER | Access.STAFF
OWNERS = {"t-mine": OWNER_ID, "t-theirs": "someone-else"}


@pytest.mark.parametrize("body", ['{"body": 7}', "{bad json", "[1]", json.dumps({"body": "x" * 70_000})])
@pytest.mark.parametrize("ticket_id", ["t-theirs", "t-missing"])
def test_someone_elses_or_a_missing_resource_is_404_whatever_the_body(ticket_id: str, body: str) -> None:
    looked_up: list[str] = []
    ran: list[str] = []
    resolver = owner_route(OWNERS, looked_up, ran)

    problem = problem_of(http._dispatch(resolver, OWNER_OR_STAFF, comment_event(ticket_id, body), None), 404)
    assert problem["type"] == "/problems/not-found"
    assert (looked_up, ran) == ([ticket_id], [])


def test_the_owner_and_staff_get_their_input_checked() -> None:
    looked_up: list[str] = []
    ran: list[str] = []
    resolver = owner_route(OWNERS, looked_up, ran)

    invalid = '{"body": 7}'
    problem = problem_of(
        http._dispatch(resolver, OWNER_OR_STAFF, comment_event("t-mine", invalid), None), 400
    )
    assert problem["type"] == "/problems/invalid-input"
    assert looked_up == ["t-mine"]
    as_agent = comment_event("t-theirs", invalid, sub="agent-1", groups="agents")
    problem = problem_of(http._dispatch(resolver, OWNER_OR_STAFF, as_agent, None), 400)
    assert problem["type"] == "/problems/invalid-input"
    assert looked_up == ["t-mine"]  # staff see every ticket: no lookup

    valid = '{"body": "Any news?"}'
    assert http._dispatch(resolver, OWNER_OR_STAFF, comment_event("t-mine", valid), None)["statusCode"] == 200
    as_agent = comment_event("t-theirs", valid, sub="agent-1", groups="agents")
    assert http._dispatch(resolver, OWNER_OR_STAFF, as_agent, None)["statusCode"] == 200
    assert ran == ["t-mine", "t-theirs"]


def test_without_a_token_an_owner_route_is_401_and_looks_nothing_up() -> None:
    looked_up: list[str] = []
    resolver = owner_route(OWNERS, looked_up, [])
    built = comment_event("t-theirs", "{bad json")
    del built["requestContext"]["authorizer"]

    assert problem_of(http._dispatch(resolver, OWNER_OR_STAFF, built, None), 401)["type"] == (
        "/problems/unauthenticated"
    )
    assert looked_up == []


def test_an_owner_route_must_say_how_its_owner_is_found() -> None:
    resolver = http.build_resolver()

    @resolver.post("/tickets/<ticketId>/comments")
    def comment(ticketId: str, note: Note) -> dict[str, Any]:
        return {"ticketId": ticketId}

    with pytest.raises(TypeError, match="owned"):
        http._dispatch(resolver, OWNER_OR_STAFF, comment_event("t-mine", '{"body": "x"}'), None)
