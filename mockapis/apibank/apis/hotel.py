"""Hotel bookings (database ``Hotel``): BookHotel. Rows are ``{hotel_name, check_in_time,
check_out_time, room_count, adult_count, child_count}``; the order id is ``len + 1`` as text
(``"11"`` on the initial database, as in the gold dialogues)."""

from __future__ import annotations

from typing import Any

from mockapis.apibank.apis.common import DATE, parse_time
from mockapis.apibank.base import Api, ApiBankError, Db, register

__all__ = ["BookHotel"]


@register
class BookHotel(Api):
    """Orders rooms at a hotel for a stay."""

    name = "BookHotel"
    database = "Hotel"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        check_in = parse_time(args["check_in_time"], DATE)
        check_out = parse_time(args["check_out_time"], DATE)
        if check_out <= check_in:
            raise ApiBankError("The check-out time must be later than the check-in time.")
        if args["hotel_name"].strip() == "":
            raise ApiBankError("The hotel name cannot be empty.")
        hotels = db.table("Hotel")
        order_id = str(len(hotels) + 1)
        hotels.put(
            order_id,
            {
                "hotel_name": args["hotel_name"],
                "check_in_time": args["check_in_time"],
                "check_out_time": args["check_out_time"],
                "room_count": args["room_count"],
                "adult_count": args["adult_count"],
                "child_count": args["child_count"],
            },
        )
        return order_id
