"""The asyncio tutorial's example: two awaits in a row take the sum of their delays.

Run it (``python3 say_after.py``): "hello" comes after 1 s, "world" 2 s later, 3 s in all.
Nothing is wrong with it, but the two calls do not depend on each other. Put the cursor on either
``await say_after(...)`` in ``main`` and press Ctrl+. for "Run concurrently": this project
requires Python 3.11 (pyproject.toml), so the calls become two tasks of an ``asyncio.TaskGroup``.
Run it again: the same words in the same order, in 2 s.
"""

import asyncio
import time


async def say_after(delay, what):
    await asyncio.sleep(delay)
    print(what)


async def main():
    print(f"started at {time.strftime('%X')}")
    await say_after(1, "hello")
    await say_after(2, "world")
    print(f"finished at {time.strftime('%X')}")


if __name__ == "__main__":
    asyncio.run(main())
