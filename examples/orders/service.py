"""Placing an order: charge the customer, store the order, write the receipt, audit it."""

import asyncio
from pathlib import Path

from .models import Order
from .payments import PaymentClient
from .receipts import write_receipt
from .repository import OrderRepository


class OrderService:
    def __init__(self, repository: OrderRepository, payments: PaymentClient, receipts: Path) -> None:
        self._repository = repository
        self._payments = payments
        self._receipts = receipts
        self._audit_lock = asyncio.Lock()
        self.audit_trail: list[str] = []

    async def place(self, order: Order) -> str:
        charge_id = await self._payments.charge(order.id, order.total)
        order.status = "paid"
        order.log(f"charged {charge_id}")
        await self._repository.save(order)

        loop = asyncio.get_running_loop()
        loop.run_in_executor(None, write_receipt, self._receipts, order)

        self._audit(order, "placed")
        return charge_id

    async def cancel(self, order_id: str) -> bool:
        order = await self._repository.get(order_id)
        if order is None or order.status == "shipped":
            return False
        order.status = "cancelled"
        await self._repository.save(order)
        await self._audit(order, "cancelled")
        return True

    async def _audit(self, order: Order, action: str) -> None:
        async with self._audit_lock:
            await asyncio.sleep(0)  # the audit store is remote in production
            self.audit_trail.append(f"{order.id} {action}")
