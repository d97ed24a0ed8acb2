"""Hospital appointments (database ``Appointments``): AppointmentRegistration,
CancelRegistration, ModifyRegistration, QueryRegistration. Rows are
``{patient_name, date, doctor_name}`` under an 8-digit appointment id."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from mockapis.apibank.apis.common import normalise_date, valid
from mockapis.apibank.base import Api, ApiBankError, Db, register
from mockapis.apibank.checks import by, same_call, stripped

__all__ = [
    "AppointmentRegistration",
    "CancelRegistration",
    "ModifyRegistration",
    "QueryRegistration",
]


def _normalised(value: Any) -> Any:
    return normalise_date(value) if isinstance(value, str) else value


@register
class AppointmentRegistration(Api):
    """Registers an appointment under a random 8-digit id (drawn from the episode RNG)."""

    name = "AppointmentRegistration"
    database = "Appointments"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        valid(normalise_date(args["date"]))
        appointments = db.table("Appointments")
        appointment_id = str(db.rng.randint(10_000_000, 99_999_999))
        while appointment_id in appointments:
            appointment_id = str(db.rng.randint(10_000_000, 99_999_999))
        appointments.put(
            appointment_id,
            {
                "patient_name": args["patient_name"],
                "date": args["date"],
                "doctor_name": args["doctor_name"],
            },
        )
        return appointment_id

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """The id is random: same input and exception, and an id whenever the gold has one."""
        return bool(
            response.get("input") == gold.get("input")
            and response.get("exception") == gold.get("exception")
            and (response.get("output") is None) == (gold.get("output") is None)
        )


@register
class CancelRegistration(Api):
    """Cancels an appointment by id."""

    name = "CancelRegistration"
    database = "Appointments"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        appointment_id = args["appointment_id"].strip()
        appointments = db.table("Appointments")
        if appointment_id not in appointments:
            raise ApiBankError("The appointment ID does not exist.")
        appointments.delete(appointment_id)
        return "success"


@register
class ModifyRegistration(Api):
    """Changes the date and/or the doctor of an appointment (at least one must change)."""

    name = "ModifyRegistration"
    database = "Appointments"
    defaults: ClassVar[Mapping[str, Any]] = {
        "new_appointment_date": None,
        "new_appointment_doctor": None,
    }

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        appointment_id = args["appointment_id"].strip()
        appointments = db.table("Appointments")
        if appointment_id not in appointments:
            raise ApiBankError("The appointment ID does not exist.")
        date, doctor = args["new_appointment_date"], args["new_appointment_doctor"]
        if date is not None:
            date = normalise_date(date)
        if doctor is not None:
            doctor = doctor.strip()
            if doctor == "":
                raise ApiBankError("Fail because the doctor name is empty.")
        date = valid(date)
        row = dict(appointments[appointment_id])
        if date is None and doctor is None:
            raise ApiBankError("Fail because no modification is made.")
        if date is None:
            if doctor == row["doctor_name"]:
                raise ApiBankError("Fail because doctor is not changed.")
            row["doctor_name"] = doctor
        elif doctor is None:
            if date == row["date"]:
                raise ApiBankError("Fail because date is not changed.")
            row["date"] = date
        else:
            if date == row["date"] and doctor == row["doctor_name"]:
                raise ApiBankError("Fail because no modification is made.")
            if date == row["date"]:
                raise ApiBankError("Fail because date is not changed.")
            if doctor == row["doctor_name"]:
                raise ApiBankError("Fail because doctor is not changed.")
            row["date"], row["doctor_name"] = date, doctor
        appointments.put(appointment_id, row)
        return "success"

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream: ids stripped, dates normalised, doctors stripped; output and exception."""
        got, want = response["input"], gold["input"]

        def norm(i: Mapping[str, Any]) -> tuple[Any, Any, Any]:
            doctor = i["new_appointment_doctor"]
            return (
                i["appointment_id"].strip(),
                _normalised(i["new_appointment_date"]),
                doctor.strip() if doctor is not None else None,
            )

        left, right = norm(got), norm(want)
        return bool(
            left[0] == right[0]
            and str(left[1]) == str(right[1])
            and left[2] == right[2]
            and response["output"] == gold["output"]
            and response["exception"] == gold["exception"]
        )


@register
class QueryRegistration(Api):
    """The appointments of a patient on a date: ``{appointment_id: row}``."""

    name = "QueryRegistration"
    database = "Appointments"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        patient = args["patient_name"].strip()
        date = valid(normalise_date(args["date"]))
        found = {
            key: row
            for key, row in db.table("Appointments").items()
            if row.get("patient_name") == patient and _normalised(row.get("date")) == date
        }
        if not found:
            raise ApiBankError("No appointments found.")
        return found

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream: names stripped, dates normalised; output and exception equal."""
        compare = {"patient_name": stripped, "date": by(lambda d: str(_normalised(d)))}
        return same_call(response, gold, compare=compare)
