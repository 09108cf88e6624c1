"""Client for the payment provider: one request per charge, bounded by a timeout."""

import asyncio
from decimal import Decimal


class PaymentError(Exception):
    pass


class PaymentClient:
    def __init__(self, timeout: float = 1.0) -> None:
        self._timeout = timeout
        self._charges: dict[str, Decimal] = {}

    async def _post_charge(self, order_id: str, amount: Decimal) -> str:
        await asyncio.sleep(0.02)  # the provider's round trip
        if amount <= 0:
            raise PaymentError(f"refusing to charge {amount} for {order_id}")
        self._charges[order_id] = amount
        return f"ch_{order_id}"

    async def charge(self, order_id: str, amount: Decimal) -> str:
        return await asyncio.wait_for(self._post_charge(order_id, amount), self._timeout)

    def charged(self, order_id: str) -> Decimal | None:
        return self._charges.get(order_id)
