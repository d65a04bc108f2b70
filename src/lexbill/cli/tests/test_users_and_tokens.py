from django.contrib.auth import get_user_model
from django_scopes import scopes_disabled

from lexbill.core.models import ApiToken, Membership
from lexbill.core.services import api_token_authenticate


def test_user_add_prints_a_one_time_password_that_works(run, firm):
    result = run("user", "add", "clerk@arnsley.example", "--role", "billing")
    assert result.exit_code == 0
    password = result.stdout.splitlines()[-1].removeprefix("one-time password: ")
    user = get_user_model().objects.get(username="clerk@arnsley.example")
    assert user.check_password(password)
    with scopes_disabled():
        assert Membership.objects.get(user=user).role == "billing"


def test_user_add_with_password_and_json(run_json, firm):
    out = run_json("user", "add", "Partner@Arnsley.example", "--role", "attorney", "--password", "s3cret-pass!")
    assert out == {"email": "partner@arnsley.example", "role": "attorney", "firm": "arnsley", "password": None}
    assert get_user_model().objects.get(username="partner@arnsley.example").check_password("s3cret-pass!")


def test_user_add_refuses_bad_email_and_role(run, firm):
    result = run("user", "add", "not-an-email", "--role", "billing")
    assert result.exit_code == 1 and "not an email address" in result.stderr
    result = run("user", "add", "a@b.example", "--role", "king")
    assert (result.exit_code, result.stderr) == (
        1, "lexbill: error: --role: 'king' is not one of 'admin', 'billing', 'attorney', 'accounting', 'client'.\n")
    assert get_user_model().objects.count() == 0


def test_token_create_binds_user_and_firm(run_json, firm, admin_user):
    raw = run_json("token", "create", "--user", "admin@arnsley.example")["token"]
    token = api_token_authenticate(raw)
    assert (token.user, token.firm) == (admin_user, firm)
    assert api_token_authenticate(raw + "x") is None
    with scopes_disabled():
        assert ApiToken.objects.get().token_hash != raw  # only the hash is stored


def test_firm_add_and_list(run, run_json, db):
    assert run("firm", "add", "Baker & Co", "--currency", "gbp").exit_code == 0
    assert run_json("firm", "list") == [{"slug": "baker-co", "name": "Baker & Co", "currency": "GBP"}]
    result = run("firm", "add", "Baker & Co")
    assert result.exit_code == 1 and "already exists" in result.stderr
