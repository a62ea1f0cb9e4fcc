"""apikey and JWT checks, roles (401 vs 403, RLS bypass) and schema profiles (reference §4.3, §5)."""

import time
import unittest

import jwt

from gateway_testing import FIXTURES, DatabaseTestCase, PrivateGateway, rest_client

RLS_FIXTURE = """
create table private_notes (id integer primary key, body text);
insert into private_notes values (1, 'only the service role sees this');
alter table private_notes enable row level security;
"""


class AuthTests(DatabaseTestCase):
    FIXTURES = FIXTURES + RLS_FIXTURE

    def token(self, secret=None, algorithm="HS256", **claims):
        return jwt.encode(claims, secret or self.env.jwt_secret, algorithm=algorithm)

    def with_bearer(self, bearer):
        return rest_client(self.db.url + "/rest/v1", self.env.service_key, bearer)

    def assertJwtError(self, reply, code, message):
        self.assertError(reply, 401, code, message)
        self.assertEqual(reply.header("WWW-Authenticate"), f'Bearer error="invalid_token", error_description="{message}"')

    def test_missing_api_key_is_kong_401(self):
        reply = self.api.request("GET", "/items", headers={"apikey": None})
        self.assertEqual((reply.status, reply.json()), (401, {"message": "No API key found in request"}))
        self.assertEqual(reply.header("WWW-Authenticate"), 'Key realm="kong"')

    def test_wrong_api_key_is_kong_401(self):
        reply = self.api.request("GET", "/items", headers={"apikey": "nope"})
        self.assertEqual((reply.status, reply.json()), (401, {"message": "Invalid authentication credentials"}))
        reply = self.api.request("GET", "/items", raw_headers=[("apikey", self.env.service_key)])
        self.assertEqual((reply.status, reply.json()), (401, {"message": "Duplicate API key found"}))

    def test_api_key_in_the_query_string(self):
        reply = self.api.request("GET", f"/items?id=eq.1&apikey={self.env.anon_key}", headers={"apikey": None})
        self.assertEqual((reply.status, reply.json()), (200, [{"id": 1}]))

    def test_bad_tokens_are_pgrst301(self):
        self.assertJwtError(self.with_bearer(self.token("x" * 40, role="service_role")).request("GET", "/items"),
                            "PGRST301", "JWT cryptographic operation failed")
        self.assertJwtError(self.with_bearer("abc.def").request("GET", "/items"), "PGRST301",
                            "Expected 3 parts in JWT; got 2")
        self.assertJwtError(self.api.request("GET", "/items", headers={"Authorization": "Bearer "}), "PGRST301",
                            "Empty JWT is sent in Authorization header")
        self.assertJwtError(self.with_bearer(self.token(algorithm="HS512", role="anon")).request("GET", "/items"),
                            "PGRST301", "Wrong or unsupported encoding algorithm")

    def test_expired_token_is_pgrst303_with_30_seconds_leeway(self):
        expired = self.token(role="service_role", exp=int(time.time()) - 60)
        self.assertJwtError(self.with_bearer(expired).request("GET", "/items"), "PGRST303", "JWT expired")
        recent = self.token(role="service_role", exp=int(time.time()) - 10)
        self.assertEqual(self.with_bearer(recent).request("GET", "/items?id=eq.1").status, 200)
        future = self.token(role="service_role", nbf=int(time.time()) + 120)
        self.assertJwtError(self.with_bearer(future).request("GET", "/items"), "PGRST303", "JWT not yet valid")
        bad_exp = self.token(role="service_role", exp="soon")
        self.assertJwtError(self.with_bearer(bad_exp).request("GET", "/items"), "PGRST303",
                            "The JWT 'exp' claim must be a number")

    def test_permission_denied_is_401_for_anon_and_403_otherwise(self):
        anon = rest_client(self.db.url + "/rest/v1", self.env.anon_key)
        reply = anon.request("GET", "/authors_only")
        self.assertError(reply, 401, "42501", "permission denied for table authors_only")
        self.assertEqual(reply.header("WWW-Authenticate"), "Bearer")
        no_bearer = anon.request("GET", "/authors_only", headers={"Authorization": None})
        self.assertEqual(no_bearer.status, 401)
        user = self.with_bearer(self.token(role="authenticated", sub="8d3f0000-0000-0000-0000-000000000001"))
        self.assertError(user.request("GET", "/authors_only"), 403, "42501")
        self.assertEqual(self.api.request("GET", "/authors_only").json(), [{"id": 1, "secret": "hidden"}])

    def test_service_role_bypasses_row_level_security(self):
        self.assertEqual(self.api.request("GET", "/private_notes").json(),
                         [{"id": 1, "body": "only the service role sees this"}])
        anon = rest_client(self.db.url + "/rest/v1", self.env.anon_key)
        self.assertEqual(anon.request("GET", "/private_notes").json(), [])
        body = self.assertError(anon.request("POST", "/private_notes", body={"id": 2, "body": "x"}), 401, "42501")
        self.assertIn("row-level security", body["message"])

    def test_claims_and_role_reach_sql(self):
        sub = "8d3f0000-0000-0000-0000-000000000001"
        user = self.with_bearer(self.token(role="authenticated", sub=sub, email="a@b.c"))
        me = user.request("POST", "/rpc/whoami", body={}).json()
        self.assertEqual((me["current_user"], me["uid"], me["claims"]["email"]), ("authenticated", sub, "a@b.c"))
        no_role = self.with_bearer(self.token(sub=sub)).request("POST", "/rpc/whoami", body={}).json()
        self.assertEqual((no_role["current_user"], no_role["claims"]["role"]), ("anon", "anon"))
        self.assertError(self.with_bearer(self.token(role="nobody")).request("GET", "/items"), 401, "22023",
                         'role "nobody" does not exist')

    def test_profiles_select_only_exposed_schemas(self):
        reply = self.api.request("GET", "/items?id=eq.1", headers={"Accept-Profile": "other"})
        self.assertError(reply, 406, "PGRST106", "Invalid schema: other", None,
                         "Only the following schemas are exposed: public")
        self.assertError(self.api.request("POST", "/items", body={"id": 99}, headers={"Content-Profile": "nope"}),
                         406, "PGRST106")
        reply = self.api.request("GET", "/items?id=eq.1", headers={"Content-Profile": "nope"})
        self.assertEqual(reply.status, 200)
        reply = self.api.request("POST", "/rpc/sayhello", body={"name": "p"}, headers={"Content-Profile": "public"})
        self.assertEqual((reply.status, reply.header("Content-Profile")), (200, "public"))


class ExposedSchemasTests(DatabaseTestCase):
    """A private gateway exposing `public,other` (the brief's configurable list)."""

    FIXTURES = FIXTURES

    def setUp(self):
        self.gateway = PrivateGateway(self.env, self.db.dsn, ["--schemas", "public,other"])
        self.addCleanup(self.gateway.stop)
        self.client = self.gateway.rest()

    def test_profiles_switch_the_schema_and_are_echoed(self):
        reply = self.client.request("GET", "/things", headers={"Accept-Profile": "other"})
        self.assertEqual((reply.status, reply.json()), (200, [{"id": 1, "label": "from other"}]))
        self.assertEqual(reply.header("Content-Profile"), "other")
        self.assertError(self.client.request("GET", "/things"), 404, "PGRST205")
        reply = self.client.request("GET", "/items?id=eq.1")
        self.assertEqual((reply.json(), reply.header("Content-Profile")), ([{"id": 1}], "public"))
        reply = self.client.request("POST", "/rpc/hello", body={}, headers={"Content-Profile": "other"})
        self.assertEqual(reply.json(), "hello from other")
        reply = self.client.request("POST", "/things", body={"id": 2, "label": "x"},
                                    headers={"Content-Profile": "other", "Prefer": "return=representation"})
        self.assertEqual((reply.status, reply.json()), (201, [{"id": 2, "label": "x"}]))
        self.assertError(self.client.request("GET", "/things", headers={"Accept-Profile": "auth"}), 406, "PGRST106",
                         hint="Only the following schemas are exposed: public, other")


if __name__ == "__main__":
    unittest.main()
