from ninja import Schema


class SkillOut(Schema):
    code_ogr: str
    label: str
    kind: str
    kind_label: str
    group_code_ogr: str
    group_label: str
    category: str

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()


class TitleOut(Schema):
    code_ogr: str
    label: str
    label_short: str
    is_main: bool


class MobilityTargetOut(Schema):
    code: str
    label: str
    order: int


class OccupationOut(Schema):
    code: str
    label: str
    parent_code: str
    domain_code: str
    ecological_tag: str
    digital_tag: str
    demographic_tag: str


class OccupationDetailOut(OccupationOut):
    code_ogr: str
    definition: str
    access: str
    regulated_tag: str
    executive_tag: str
    titles: list[TitleOut]
    core_skills: list[SkillOut]
    emerging_skills: list[SkillOut]
    other_skills: list[SkillOut]
    mobility_targets: list[MobilityTargetOut]


class OccupationItemOut(OccupationOut):
    """A ROME occupation (``code`` is its ROME code) or an ESCO one (``code`` is its URI; no ROME tags)."""

    source: str
    alt_labels: list[str]


class SkillItemOut(Schema):
    """A ROME skill (``code`` is its code OGR, also in ``code_ogr``) or an ESCO skill (``code`` is its URI;
    no ROME nature or group)."""

    source: str
    code: str
    label: str
    alt_labels: list[str]
    code_ogr: str
    kind: str
    kind_label: str
    group_code_ogr: str
    group_label: str
    category: str


class OccupationPage(Schema):
    items: list[OccupationItemOut]
    count: int


class SkillPage(Schema):
    items: list[SkillItemOut]
    count: int
