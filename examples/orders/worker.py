"""The fulfillment worker: takes paid orders off a queue, ships them, emails the customer."""

import asyncio
import contextlib

from .models import Order
from .repository import OrderRepository


class FulfillmentWorker:
    def __init__(self, repository: OrderRepository) -> None:
        self._repository = repository
        self._queue: asyncio.Queue[Order] = asyncio.Queue()
        self._runner: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._runner = asyncio.create_task(self._run(), name="fulfillment")

    def submit(self, order: Order) -> None:
        self._queue.put_nowait(order)

    async def drain(self) -> None:
        await self._queue.join()

    async def stop(self) -> None:
        if self._runner is not None:
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner

    async def _run(self) -> None:
        while True:
            order = await self._queue.get()
            try:
                await self._ship(order)
            finally:
                self._queue.task_done()

    async def _ship(self, order: Order) -> None:
        await asyncio.sleep(0.01)  # hand the parcel to the carrier
        order.status = "shipped"
        order.log("shipped")
        await self._repository.save(order)
        # Don't hold up the queue for the email.
        asyncio.create_task(self._email_customer(order))

    async def _email_customer(self, order: Order) -> None:
        loop = asyncio.get_running_loop()
        reply = loop.create_future()
        loop.call_later(0.05, reply.set_result, "250 OK")  # the mail server's answer
        order.log(f"email sent: {await reply}")
