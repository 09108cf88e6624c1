"""Receipts are plain text files; writing one is blocking I/O, so it runs in a thread."""

from pathlib import Path

from .models import Order


def write_receipt(folder: Path, order: Order) -> Path:
    path = folder / f"{order.id}.txt"
    lines = [f"Receipt for order {order.id}", f"Customer: {order.customer}"]
    lines += [f"  - {item}" for item in order.items]
    lines.append(f"Total: {order.total}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
