from datetime import datetime

from ninja import Field, Schema


class ImportErrorOut(Schema):
    row: int
    column: str
    value: str
    message: str


class ImportChangeOut(Schema):
    staff_number: str
    field: str = Field(description="Champ du salarié : last_name, hire_date, fte, is_active, rome_code…")
    field_label: str
    old_value: str = Field(description='Valeur avant, telle qu\'enregistrée ("2010-01-02", "1.000", "true").')
    new_value: str
    old_display: str = Field(description='Valeur avant, telle qu\'affichée ("02/01/2010", "100 %", "présent").')
    new_display: str


class ImportCountsOut(Schema):
    rows: int
    created: int
    updated: int
    unchanged: int
    invalid: int
    departed: int
    skills: int


class ImportDecisionsOut(Schema):
    level_scales: dict[str, str] = Field(
        default_factory=dict, description='Colonne de compétence → échelle lue : "0-4" ou "1-5" (ramenée à 0–4).')
    date_formats: dict[str, str] = Field(
        default_factory=dict,
        description='Colonne de dates → lecture : "DMY", "MDY", "YMD" (texte), "excel" (numéros de série), '
                    '"cells" (cellules au format date).')


class ImportCreatedItemsOut(Schema):
    jobs: list[str] = Field(description="Intitulés des emplois créés (qu'une simulation créerait).")
    org_units: list[str] = Field(description="Noms des services créés.")
    skills: list[str] = Field(description="Libellés des compétences créées.")


class ImportColumnOut(Schema):
    column: str
    decision: str = Field(description='"field", "skill", "ignored", "sensitive", "unknown" ou "duplicate".')
    target: str = Field(description='Champ, "skill:<compétence>" ou vide.')
    reason: str = Field(description='Pourquoi : "header", "mapping", "skill_header", "known_skill", "identifier", '
                                    '"count", "date", "score", "flag", "sensitive", "not_levels"…')


class ImportJobOut(Schema):
    id: int
    status: str
    status_label: str
    progress: int
    phase: str
    file_name: str
    created_at: datetime
    finished_at: datetime | None
    created_by: str | None
    dry_run: bool
    partial: bool
    full_export: bool
    header_row: int | None
    counts: ImportCountsOut
    level_scale: str = Field(description='Échelle des niveaux demandée : "auto", "0-4" ou "1-5".')
    date_order: str = Field(description='Ordre des dates demandé : "auto", "DMY" ou "MDY".')
    decisions: ImportDecisionsOut = Field(description="Comment le fichier a été lu, colonne par colonne.")
    error_count: int = Field(description="Nombre total d'erreurs du fichier.")
    errors_offset: int = Field(0, description="Rang de la première erreur de `errors` (paramètre errors_offset).")
    errors: list[ImportErrorOut] = Field(
        description="Les erreurs de errors_offset à errors_offset + errors_limit (toutes avec des appels "
                    "successifs) ; vide dans la liste des imports.")
    change_count: int = Field(description="Nombre total de champs de salariés modifiés par l'import.")
    changes_offset: int = Field(0, description="Rang de la première modification de `changes`.")
    changes: list[ImportChangeOut] = Field(
        description="Les modifications de changes_offset à changes_offset + changes_limit, par matricule ; "
                    "vide dans la liste des imports.")
    unknown_columns: list[str] = Field(description="Colonnes du fichier qui ne correspondaient à aucun champ.")
    message: str
    created_items: ImportCreatedItemsOut = Field(description="Ce que l'import a créé, libellés tels que créés.")
    columns: list[ImportColumnOut] = Field(description="Lecture de chaque colonne du fichier, et pourquoi.")


class ImportJobListOut(Schema):
    items: list[ImportJobOut]
    count: int


class ImportCreatedOut(Schema):
    id: int
