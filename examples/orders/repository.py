"""An in-memory order store with the latency of a real database round trip."""

import asyncio

from .models import Order


class OrderRepository:
    def __init__(self, latency: float = 0.01) -> None:
        self._orders: dict[str, Order] = {}
        self._lock = asyncio.Lock()
        self._latency = latency

    async def save(self, order: Order) -> None:
        async with self._lock:
            await asyncio.sleep(self._latency)
            self._orders[order.id] = order

    async def get(self, order_id: str) -> Order | None:
        await asyncio.sleep(self._latency)
        return self._orders.get(order_id)

    async def all(self) -> list[Order]:
        await asyncio.sleep(self._latency)
        return sorted(self._orders.values(), key=lambda order: order.id)
