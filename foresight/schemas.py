from datetime import date

from ninja import Field, Schema


class ScenarioIn(Schema):
    name: str
    horizon_year: int
    reference_date: date | None = None
    retirement_age: int = 64
    attrition_rate: float = 0.05
    monte_carlo_runs: int = 0
    description: str = ""


class ScenarioPatch(Schema):
    name: str | None = None
    horizon_year: int | None = None
    reference_date: date | None = None
    retirement_age: int | None = None
    attrition_rate: float | None = None
    monte_carlo_runs: int | None = None
    description: str | None = None


class ScenarioOut(Schema):
    id: int
    name: str
    description: str
    horizon_year: int
    reference_date: date
    retirement_age: int
    attrition_rate: float
    monte_carlo_runs: int


class NeedSkillIn(Schema):
    skill_id: int
    level: int = 2
    change: str = Field("required", description="required (nouvelle ou émergente) ou declining (en déclin)",
                        pattern="^(required|declining)$")


class NeedIn(Schema):
    job_id: int
    target_headcount: float | None = None
    change_pct: float | None = None
    skills: list[NeedSkillIn] = []
    note: str = ""


class NeedSkillOut(Schema):
    skill_id: int
    skill: str
    level: int
    change: str

    @staticmethod
    def resolve_skill(obj):
        return obj.skill.label


class NeedOut(Schema):
    id: int
    job_id: int
    job: str
    target_headcount: float | None
    change_pct: float | None
    source: str
    note: str
    skills: list[NeedSkillOut]

    @staticmethod
    def resolve_job(obj):
        return obj.job.title

    @staticmethod
    def resolve_skills(obj):
        return list(obj.skills.all())


class PeriodOut(Schema):
    year: int
    headcount: float
    retirements: float
    planned: float
    attrition: float
    p10: float | None = None
    p50: float | None = None
    p90: float | None = None


class JobProjectionOut(Schema):
    job_id: int
    job: str
    periods: list[PeriodOut]


class ProjectionOut(Schema):
    reference_date: date
    horizon_year: int
    periods: list[PeriodOut]
    jobs: list[JobProjectionOut]


class JobGapOut(Schema):
    job_id: int
    job: str
    current: float
    projected: float
    target: float
    gap: float


class SkillGapOut(Schema):
    skill_id: int
    skill: str
    level: int
    demand: float
    supply: float
    gap: float


class GapsOut(Schema):
    jobs: list[JobGapOut]
    skills: list[SkillGapOut]


class HolderOut(Schema):
    employee_id: int
    name: str
    leaves_on: date | None


class RiskOut(Schema):
    skill_id: int
    skill: str
    level: int
    holders: int
    leaving_before_horizon: int
    reason: str
    people: list[HolderOut]


class RisksOut(Schema):
    risks: list[RiskOut]
