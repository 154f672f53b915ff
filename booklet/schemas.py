import datetime

from ninja import Schema


class EvidenceOut(Schema):
    id: int
    kind: str
    rae_step: str
    note: str
    observed_on: datetime.date
    situation: str
    observer_name: str
    valid_until: datetime.date | None
    file_name: str
    sha256: str
    url: str | None
    origin: str


class SkillOut(Schema):
    skill_id: int
    skill: str
    level: int | None
    status: str
    assessed_on: datetime.date | None
    origin: str
    evidence: list[EvidenceOut]


class ExperienceOut(Schema):
    id: int
    kind: str
    title: str
    place: str
    start: datetime.date
    end: datetime.date | None
    description: str
    skill_ids: list[int]
    author_name: str
    origin: str


class EndorsementOut(Schema):
    id: int
    skill_id: int | None
    experience_id: int | None
    name: str
    email: str
    status: str
    comment: str
    requested_at: datetime.datetime
    expires_at: datetime.datetime
    responded_at: datetime.datetime | None
    origin: str


class InterviewOut(Schema):
    id: int
    kind: str
    held_on: datetime.date
    participants: str
    skill_ids: list[int]
    wishes: str
    goals: str
    trainings: str
    non_mandatory_training: bool
    next_due: datetime.date | None
    author_name: str
    origin: str


class PathwayOut(Schema):
    id: int
    kind: str
    start: datetime.date
    end: datetime.date | None
    employer: str
    convention: str
    outcome: str
    notes: str
    origin: str


class OrientationOut(Schema):
    id: int
    decision: str
    decided_on: datetime.date
    ends_on: datetime.date | None
    rqth: bool


class BookletOut(Schema):
    staff_number: str
    experiences: list[ExperienceOut]
    skills: list[SkillOut]
    endorsements: list[EndorsementOut]
    interviews: list[InterviewOut]
    pathway: list[PathwayOut]
    orientations: list[OrientationOut] | None = None


class ExperienceIn(Schema):
    kind: str = "work"
    title: str
    place: str = ""
    start: datetime.date
    end: datetime.date | None = None
    description: str = ""
    skill_ids: list[int] = []


class ExperiencePatch(Schema):
    kind: str | None = None
    title: str | None = None
    place: str | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    description: str | None = None
    skill_ids: list[int] | None = None


class EvidenceIn(Schema):
    skill_id: int
    kind: str = "note"
    note: str = ""
    observed_on: datetime.date
    situation: str = ""
    rae_step: str = ""
    valid_until: datetime.date | None = None


class EvidencePatch(Schema):
    note: str | None = None
    situation: str | None = None
    observed_on: datetime.date | None = None
    rae_step: str | None = None
    valid_until: datetime.date | None = None


class SkillLevelIn(Schema):
    skill_id: int
    level: int
    status: str | None = None
    assessed_on: datetime.date | None = None


class EndorsementIn(Schema):
    skill_id: int | None = None
    experience_id: int | None = None
    email: str
    name: str


class EndorsementPatch(Schema):
    name: str | None = None


class InterviewIn(Schema):
    kind: str
    held_on: datetime.date
    participants: str = ""
    skill_ids: list[int] = []
    wishes: str = ""
    goals: str = ""
    trainings: str = ""
    non_mandatory_training: bool = False
    next_due: datetime.date | None = None


class InterviewPatch(Schema):
    kind: str | None = None
    held_on: datetime.date | None = None
    participants: str | None = None
    skill_ids: list[int] | None = None
    wishes: str | None = None
    goals: str | None = None
    trainings: str | None = None
    non_mandatory_training: bool | None = None
    next_due: datetime.date | None = None


class PathwayIn(Schema):
    kind: str
    start: datetime.date
    end: datetime.date | None = None
    employer: str = ""
    convention: str = ""
    outcome: str = "ongoing"
    notes: str = ""


class PathwayPatch(Schema):
    kind: str | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    employer: str | None = None
    convention: str | None = None
    outcome: str | None = None
    notes: str | None = None


class OrientationIn(Schema):
    decision: str
    decided_on: datetime.date
    ends_on: datetime.date | None = None
    rqth: bool = False


class AuditEntryOut(Schema):
    at: datetime.datetime
    user: str
    action: str
    item: str
    ip: str | None


class AuditOut(Schema):
    entries: list[AuditEntryOut]


class ImportOut(Schema):
    experiences: int
    skills: int
    evidence: int
    endorsements: int
    interviews: int
    pathway: int


class InterviewDueOut(Schema):
    staff_number: str
    name: str
    kind: str
    last_held_on: datetime.date | None
    due_on: datetime.date
    state: str
    six_year_risk: bool


class InterviewDuePage(Schema):
    items: list[InterviewDueOut]
    count: int
    overdue: int
    due_soon: int
    six_year_risk: int
