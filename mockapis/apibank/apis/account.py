"""Accounts and banking: GetUserToken, CheckToken, RegisterUser, ModifyPassword, DeleteAccount,
ForgotPassword (database ``Account``), QueryBalance (``Bank``, read-only) and OpenBankAccount
(its own database, ``BankAccounts``, as upstream's class keeps one)."""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any, ClassVar

from mockapis.apibank import home
from mockapis.apibank.base import Api, ApiBankError, Db, register

__all__ = [
    "VERIFICATION_CODE",
    "CheckToken",
    "DeleteAccount",
    "ForgotPassword",
    "GetUserToken",
    "ModifyPassword",
    "OpenBankAccount",
    "QueryBalance",
    "RegisterUser",
]

VERIFICATION_CODE = 970420
"""The code ForgotPassword sends. Upstream's is the same on every run (the gold dialogues all
show 970420 and replay exactly), so it is kept constant rather than drawn from the RNG."""

_TOKEN_ALPHABET = string.ascii_letters + string.digits


def _account(db: Db, username: str) -> dict[str, Any]:
    found = db.table("Account").get(username)
    return dict(found) if isinstance(found, Mapping) else {}


@register
class GetUserToken(Api):
    """The token of a user, given username and password."""

    name = "GetUserToken"
    database = "Account"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        accounts = db.table("Account")
        username = args["username"]
        if username not in accounts:
            raise ApiBankError("The username does not exist.")
        account = accounts[username]
        if account["password"] != args["password"]:
            raise ApiBankError("The password is incorrect.")
        return {"token": account["token"]}


@register
class CheckToken(Api):
    """The username owning a token (the tool manager's token checker)."""

    name = "CheckToken"
    database = "Account"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        return {"username": db.check_token(args["token"])}


@register
class RegisterUser(Api):
    """A new account with a random 18-character lower-case token (from the episode RNG)."""

    name = "RegisterUser"
    database = "Account"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        accounts = db.table("Account")
        username = args["username"]
        if username in accounts:
            raise ApiBankError("The username already exists.")
        token = "".join(db.rng.choices(_TOKEN_ALPHABET, k=18)).lower()
        accounts.put(
            username, {"password": args["password"], "token": token, "email": args["email"]}
        )
        return {"token": token}

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream: the token's value is ignored (it is random); a call that succeeded where
        the gold failed is wrong; input and exception must match."""
        if gold.get("output") is None and response.get("output") is not None:
            return False
        return response.get("input") == gold.get("input") and response.get("exception") == gold.get(
            "exception"
        )


@register
class ModifyPassword(Api):
    """A new password for the token's user, given the old one."""

    name = "ModifyPassword"
    database = "Account"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        username = db.check_token(args["token"])
        account = _account(db, username)
        if account.get("password") != args["old_password"]:
            raise ApiBankError("The old password is incorrect.")
        db.table("Account").put(username, {**account, "password": args["new_password"]})
        return {"status": "success"}


@register
class DeleteAccount(Api):
    """Deletes the token's account."""

    name = "DeleteAccount"
    database = "Account"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        username = db.check_token(args["token"])
        db.table("Account").delete(username)
        return {"status": "success"}


@register
class ForgotPassword(Api):
    """Two steps: ``status='Forgot Password'`` with username and email returns a verification
    code; ``status='Verification Code'`` with that code (and optionally the username) sets
    ``new_password``. Pending codes live in the table ``apibank.VerificationCodes``."""

    name = "ForgotPassword"
    database = "Account"
    defaults: ClassVar[Mapping[str, Any]] = {
        "username": None,
        "email": None,
        "verification_code": None,
        "new_password": None,
    }

    def input_of(self, args: Mapping[str, Any]) -> Any:
        """Upstream's input holds only the parameters given."""
        return {k: v for k, v in args.items() if k in self.input_parameters and v is not None}

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        status = args["status"]
        codes = db.table("VerificationCodes")
        if status == "Forgot Password":
            username, email = args.get("username"), args.get("email")
            if username is None or email is None:
                raise ApiBankError("Username and email are required.")
            account = db.table("Account").get(username)
            if account is None:
                raise ApiBankError("The username does not exist.")
            if account.get("email") != email:
                raise ApiBankError("The email is incorrect.")
            codes.put(username, {"verification_code": VERIFICATION_CODE})
            return VERIFICATION_CODE
        if status == "Verification Code":
            code, new_password = args.get("verification_code"), args.get("new_password")
            if code is None or new_password is None:
                raise ApiBankError("Verification code and new password are required.")
            username = args.get("username")
            candidates = [username] if username is not None else list(codes.keys())
            for user in candidates:
                pending = codes.get(user) if user is not None else None
                if pending is not None and pending.get("verification_code") == code:
                    account = _account(db, str(user))
                    if not account:
                        raise ApiBankError("The username does not exist.")
                    db.table("Account").put(str(user), {**account, "password": new_password})
                    codes.delete(user)
                    return "success"
            raise ApiBankError("The verification code is incorrect.")
        raise ApiBankError("The status is invalid.")


@register
class QueryBalance(Api):
    """The bank balance of the token's user (``Bank``)."""

    name = "QueryBalance"
    database = "Bank"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        username = db.check_token(args["token"])
        bank = home.init_database("Bank")
        if username not in bank:
            raise ApiBankError("The user does not have a bank account.")
        return bank[username]["balance"]


@register
class OpenBankAccount(Api):
    """Opens an account; ``"failed"`` (an output, not an exception) when the account exists.
    Its database starts as upstream's: one account ``test`` under the int key 0."""

    name = "OpenBankAccount"
    database = "BankAccounts"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        accounts = db.table("BankAccounts")
        for value in accounts.values():
            if value.get("account") == args["account"]:
                return "failed"
        accounts.put(
            len(accounts) + 1,
            {"account": args["account"], "password": args["password"], "name": args["name"]},
        )
        return "success"
