"""Registries of kinds: a challenge or intervention class registers itself once, and everything else (the
scenario's tagged union, the catalogue for faces, error messages listing what exists) is derived from that."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar, Union

from pydantic import BaseModel, Field

M = TypeVar("M", bound=BaseModel)


class Registry(dict[str, type[BaseModel]]):
    """Classes by the default of their ``kind`` field, in registration order."""

    def register(self, cls: type[M]) -> type[M]:
        """Class decorator: add ``cls`` under its ``kind``."""
        kind = cls.model_fields["kind"].default
        if kind in self:
            raise ValueError(f"kind {kind!r} is registered twice")
        self[kind] = cls
        return cls

    def union(self) -> Any:
        """The tagged union of every registered class (pydantic picks the member by ``kind``)."""
        return Annotated[Union[tuple(self.values())], Field(discriminator="kind")]  # noqa: UP007 (built at run time)
