"""The playbook file format, validated with pydantic: unknown keys are errors, ids are slugs."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from toolkit.rules.policy import CLOCK_EVENTS, IncidentClock

SLUG = r"^[a-z0-9][a-z0-9_-]*$"
FIELD_TYPES = ("text", "bool", "int", "datetime", "choice", "multichoice", "ip", "email")
FACTS = ("exposure_start", "severity", "summary", "lessons")
"""Incident facts a question field may set (they appear in the report's summary)."""


class Strict(BaseModel):
    """A playbook section: unknown keys are errors, values immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(Strict):
    """One typed answer of a question (or a playbook input)."""

    type: Literal["text", "bool", "int", "datetime", "choice", "multichoice", "ip", "email"]
    prompt: str
    required: bool = True
    choices: tuple[str, ...] = ()
    default: str | int | bool | None = None
    min: int | None = None
    max: int | None = None
    fact: str | None = Field(default=None, description="incident fact set by this answer")

    @model_validator(mode="after")
    def _choices_given(self) -> FieldSpec:
        """A choice needs its choices; other types take none."""
        if self.type in ("choice", "multichoice") and not self.choices:
            raise ValueError(f"a {self.type} field needs choices")
        if self.type not in ("choice", "multichoice") and self.choices:
            raise ValueError(f"a {self.type} field takes no choices")
        return self

    @field_validator("fact")
    @classmethod
    def _known_fact(cls, value: str | None) -> str | None:
        """Only the facts the incident record holds."""
        if value is not None and value not in FACTS:
            raise ValueError(f"expected one of {', '.join(FACTS)}")
        return value


class Due(Strict):
    """A step's due time: this long after a clock starts (or after an incident event)."""

    clock: str | None = None
    event: str | None = None
    within: str

    @field_validator("event")
    @classmethod
    def _known_event(cls, value: str | None) -> str | None:
        """Only incident events keyvigil records."""
        if value is not None and value not in CLOCK_EVENTS:
            raise ValueError(f"expected one of {', '.join(CLOCK_EVENTS)}")
        return value


class StepBase(Strict):
    """What every step has: id, title, guidance (``?``), phase, role, conditions and due time."""

    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    guidance: str = ""
    phase: str
    role: str = "commander"
    required: bool = True
    skippable: bool = True
    when: str | None = Field(default=None, description="run only when this holds")
    evidence: Literal["none", "optional", "required"] = "none"
    due: Due | None = None
    marks: tuple[str, ...] = Field(default=(), description="incident events this step records")
    seed: str | None = Field(default=None, description="the line of the seed policy it comes from")


class AckStep(StepBase):
    """Read and acknowledge."""

    type: Literal["ack"]
    text: str


class ChecklistItem(Strict):
    """One box to tick."""

    id: str = Field(pattern=SLUG)
    text: str
    required: bool = True


class ChecklistStep(StepBase):
    """Items ticked one by one."""

    type: Literal["checklist"]
    items: tuple[ChecklistItem, ...] = Field(min_length=1)


class QuestionStep(StepBase):
    """Typed answers with validation."""

    type: Literal["question"]
    fields: dict[str, FieldSpec] = Field(min_length=1)


class Case(Strict):
    """One branch of a decision."""

    if_: str = Field(alias="if")
    goto: str
    label: str = ""


class DecisionStep(StepBase):
    """Branches on earlier answers or action outputs."""

    type: Literal["decision"]
    cases: tuple[Case, ...] = Field(min_length=1)
    default: str = Field(description="step id when no case holds ('next': the following step)")


class ActionStep(StepBase):
    """An automated action from the registry, with templated parameters."""

    type: Literal["action"]
    uses: str
    with_: dict[str, Any] = Field(default_factory=dict, alias="with")
    confirm: bool = Field(default=False, description="ask before running it")


class EvidenceStep(StepBase):
    """Collect one or more files into the evidence store."""

    type: Literal["evidence"]
    prompt: str
    min_files: int = Field(default=1, ge=0)


class NotifyStep(StepBase):
    """A notification was sent: to whom, when, with which reference; may stop clocks."""

    type: Literal["notify"]
    audience: str
    stops: tuple[str, ...] = ()


class IncludeStep(StepBase):
    """Hand over to another playbook; its steps run here, then this one continues."""

    type: Literal["include"]
    playbook: str = Field(pattern=SLUG)


Step = Annotated[
    AckStep
    | ChecklistStep
    | QuestionStep
    | DecisionStep
    | ActionStep
    | EvidenceStep
    | NotifyStep
    | IncludeStep,
    Field(discriminator="type"),
]


class Role(Strict):
    """A role on the incident."""

    title: str
    required: bool = False


class Phase(Strict):
    """A phase of the response (immediate, investigation, recovery...)."""

    id: str = Field(pattern=SLUG)
    title: str


class Metric(Strict):
    """A named interval between two incident events, e.g. time to revoke."""

    title: str
    start: str = Field(alias="from")
    end: str = Field(alias="to")

    @field_validator("start", "end")
    @classmethod
    def _known_event(cls, value: str) -> str:
        """Only incident events keyvigil records."""
        if value not in CLOCK_EVENTS:
            raise ValueError(f"expected one of {', '.join(CLOCK_EVENTS)}")
        return value


class Playbook(Strict):
    """One playbook file; ``id`` equals the file name."""

    id: str = Field(pattern=SLUG)
    title: str
    version: str
    description: str = ""
    incident_types: tuple[str, ...] = Field(min_length=1)
    roles: dict[str, Role]
    phases: tuple[Phase, ...] = Field(min_length=1)
    clocks: tuple[IncidentClock, ...] = ()
    metrics: dict[str, Metric] = Field(default_factory=dict)
    inputs: dict[str, FieldSpec] = Field(
        default_factory=dict, description="facts asked first; read as inputs.NAME"
    )
    steps: tuple[Step, ...] = Field(min_length=1)
    sources: tuple[str, ...] = ()
