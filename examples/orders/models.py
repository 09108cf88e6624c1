"""The order record the service passes around."""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Order:
    id: str
    customer: str
    items: list[str]
    total: Decimal
    status: str = "new"
    events: list[str] = field(default_factory=list)

    def log(self, event: str) -> None:
        self.events.append(event)
