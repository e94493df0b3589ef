"""The committed SDL (``schema/schema.graphql``): print it, or check it matches the code.

``python -m schema.sdl`` rewrites the file; the drift test compares it.
"""

from __future__ import annotations

from pathlib import Path

from strawberry.printer import print_schema

from schema.root import build_schema

__all__ = ["SDL_PATH", "current_sdl"]

SDL_PATH = Path(__file__).with_name("schema.graphql")


def current_sdl() -> str:
    """The SDL the code defines, newline-terminated."""
    return print_schema(build_schema()) + "\n"


if __name__ == "__main__":
    SDL_PATH.write_text(current_sdl(), encoding="utf-8")
    print(f"wrote {SDL_PATH}")
