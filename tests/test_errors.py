"""A UserError that a route lets through becomes a 400 with its message, as page or JSON."""
from plc.errors import UserError


def test_a_user_error_a_route_lets_through_is_a_bad_request_with_its_message(app, client):
    @app.route("/tries-something")
    def tries_something():
        raise UserError("Choose a role from the list.")

    page = client.get("/tries-something")
    assert page.status_code == 400 and "Choose a role from the list." in page.get_data(as_text=True)
    answer = client.get("/tries-something", headers={"Accept": "application/json"})
    assert answer.status_code == 400
    assert answer.get_json() == {"error": "Something was wrong with that request: Choose a role from the list."}
