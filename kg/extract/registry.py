"""The registry of extraction components, in the manner of a pipeline's
component factory: each component names what it needs and what it adds.

A document's extraction is a small dataflow over named artefacts:
``context`` (the document and the lexicon) → ``mentions`` → ``mention-index``
→ ``relations`` and ``quantities``. ``run_components`` derives the order
from what each component requires (registration order only breaks ties) and
refuses a component whose needs nothing provides, so adding a relation
pattern is one module and one ``register`` line, not an edit to a chain of
calls.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Component:
    """One extraction step: ``run(*artefacts it requires)`` → what it assigns."""

    name: str
    run: Callable[..., Any]
    requires: tuple[str, ...]
    assigns: str
    #: Several components may add to a list artefact ("relations"); the first
    #: to assign a single artefact ("mentions") owns it.
    adds: bool = False


class ComponentError(Exception):
    """The registry cannot run: a need that nothing provides, or an artefact assigned twice."""


def order_components(components: Iterable[Component], given: Iterable[str]) -> list[Component]:
    """The components in an order where each runs after everything it needs.

    Among the components that can run, the first registered goes first, so
    the order (and the order of the results) is stable."""
    pending = list(components)
    available = set(given)
    adders = {c.assigns for c in pending if c.adds}
    ordered: list[Component] = []
    while pending:
        # An artefact several components add to is complete only when all have run.
        ready = [c for c in pending
                 if all(r in available and not any(p.adds and p.assigns == r for p in pending) for r in c.requires)]
        if not ready:
            missing = sorted({r for c in pending for r in c.requires if r not in available and r not in adders
                              and not any(p.assigns == r for p in pending)})
            names = ", ".join(c.name for c in pending)
            raise ComponentError(f"cannot run {names}: nothing provides {', '.join(missing) or 'a cycle of needs'}")
        component = ready[0]
        if component.assigns in available and not component.adds:
            raise ComponentError(f"{component.name} assigns {component.assigns!r}, which is already provided")
        ordered.append(component)
        pending.remove(component)
        available.add(component.assigns)
    return ordered


def run_components(components: Iterable[Component], artefacts: dict[str, Any]) -> dict[str, Any]:
    """Run every component in dependency order over ``artefacts`` (updated
    and returned); list artefacts that several components add to are
    concatenated in the order the components ran."""
    for component in order_components(components, artefacts):
        value = component.run(*(artefacts[r] for r in component.requires))
        if component.adds:
            artefacts[component.assigns] = artefacts.get(component.assigns, []) + list(value)
        else:
            artefacts[component.assigns] = value
    return artefacts
