"""Run the demo: python -m orders (from the examples folder)."""

import asyncio
import tempfile
from decimal import Decimal
from pathlib import Path

from .models import Order
from .payments import PaymentClient
from .repository import OrderRepository
from .service import OrderService
from .worker import FulfillmentWorker

ORDERS = [
    Order("A-1001", "ada@example.com", ["keyboard"], Decimal("89.00")),
    Order("A-1002", "grace@example.com", ["monitor", "cable"], Decimal("219.50")),
    Order("A-1003", "linus@example.com", ["mouse"], Decimal("25.00")),
]


async def main() -> None:
    repository = OrderRepository()
    receipts = Path(tempfile.mkdtemp(prefix="receipts-"))
    service = OrderService(repository, PaymentClient(), receipts)
    worker = FulfillmentWorker(repository)
    worker.start()

    async with asyncio.TaskGroup() as tg:
        for order in ORDERS:
            tg.create_task(service.place(order))
    for order in ORDERS:
        worker.submit(order)
    await worker.drain()
    await asyncio.sleep(0.1)
    await worker.stop()

    for order in await repository.all():
        print(f"{order.id} {order.status:8} {', '.join(order.events)}")
    print(f"audit trail: {service.audit_trail or 'empty'}")
    print(f"receipts: {sorted(p.name for p in receipts.iterdir())}")


if __name__ == "__main__":
    asyncio.run(main())
