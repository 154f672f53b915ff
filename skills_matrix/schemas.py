from datetime import date, datetime

from ninja import Field, Schema

from core.dates import InputDate

from .models import EmployeeSkill, SkillKind, SkillMapping


class OrgSkillIn(Schema):
    label: str
    kind: str = SkillKind.KNOW_HOW
    description: str = ""


class OrgSkillPatch(Schema):
    label: str | None = None
    kind: str | None = None
    description: str | None = None


class OrgSkillOut(Schema):
    id: int
    label: str
    kind: str
    description: str
    needs_mapping: bool


class OrgSkillPage(Schema):
    items: list[OrgSkillOut]
    count: int


class MappingOut(Schema):
    id: int
    org_skill_id: int
    source: str
    code: str
    label: str
    confidence: float
    status: str
    reviewed_at: datetime | None

    @staticmethod
    def resolve_source(obj: SkillMapping):
        return "rome" if obj.rome_skill_id else "esco"

    @staticmethod
    def resolve_code(obj: SkillMapping):
        return obj.rome_skill.code_ogr if obj.rome_skill_id else obj.esco_skill.uri

    @staticmethod
    def resolve_label(obj: SkillMapping):
        return obj.rome_skill.label if obj.rome_skill_id else obj.esco_skill.label


class MappingIn(Schema):
    source: str = Field("rome", description="rome (code OGR) ou esco (URI)")
    code: str = Field(..., description="code OGR de la compétence ROME ou URI de la compétence ESCO")


class MappingReviewIn(Schema):
    ids: list[int]
    status: str = Field(..., description="accepted ou rejected")


class RequirementIn(Schema):
    skill_id: int
    target_level: int | None = Field(None, description="2 pour une nouvelle exigence ; sinon inchangé")
    weight: float | None = Field(None, description="1 pour une nouvelle exigence ; sinon inchangé")
    critical: bool | None = Field(None, description="false pour une nouvelle exigence ; sinon inchangé")


class RequirementPatch(Schema):
    target_level: int | None = None
    weight: float | None = None
    critical: bool | None = None


class RequirementOut(Schema):
    id: int
    skill_id: int
    skill_label: str = Field(..., alias="skill.label")
    target_level: int
    weight: float
    critical: bool


class RequirementsFromRomeOut(Schema):
    added: int
    items: list[RequirementOut]
    count: int


class RequirementPage(Schema):
    items: list[RequirementOut]
    count: int


class EmployeeSkillIn(Schema):
    skill_id: int | None = None
    skill_label: str | None = Field(None, description="crée la compétence si elle n'existe pas (RH)")
    level: int
    status: str | None = Field(None, description=", ".join(EmployeeSkill.Status.values))
    source: str | None = Field(None, description=", ".join(EmployeeSkill.Source.values))
    assessed_on: InputDate | None = None


class EmployeeSkillOut(Schema):
    id: int
    skill_id: int
    skill_label: str = Field(..., alias="skill.label")
    level: int
    status: str
    source: str
    assessed_on: date | None
    valid_from: datetime
    valid_to: datetime | None


class EmployeeSkillPage(Schema):
    staff_number: str
    at: date | None
    items: list[EmployeeSkillOut]
    count: int


class MatrixFilters(Schema):
    org_unit: int | None = None
    job: int | None = None
    kind: str | None = None
    at: InputDate | None = None
    limit: int = 100
    offset: int = 0


class MatrixSkillOut(Schema):
    id: int
    label: str
    kind: str


class MatrixRowOut(Schema):
    staff_number: str
    last_name: str
    first_name: str
    job_title: str
    org_unit_name: str
    levels: list[int | None]
    targets: list[int]
    gaps: list[int]
    gap_count: int


class MatrixOut(Schema):
    at: date | None
    skills: list[MatrixSkillOut]
    items: list[MatrixRowOut]
    count: int


class SkillLevelOut(Schema):
    value: int
    label: str
    description: str


class SkillLevelIn(Schema):
    label: str
    description: str = ""
