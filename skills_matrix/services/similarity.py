"""The organisation's skill similarity table (``SkillSimilarity``), from the mapping engine's encoder."""

from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp
from django.db import transaction
from django.db.models import Q

from ..models import OrgSkill, SkillMapping, SkillSimilarity

NEIGHBOURS = 10
THRESHOLD = 0.3


def _standard_labels(mappings: list[tuple[int, int | None, int | None, str]]) -> dict[tuple[str, int], str]:
    from referentials.models import EscoSkill, Skill

    rome = {m[1] for m in mappings if m[1]}
    esco = {m[2] for m in mappings if m[2]}
    labels = {("rome", pk): label for pk, label in Skill.objects.filter(pk__in=rome).values_list("pk", "label")}
    labels.update(
        {("esco", pk): label for pk, label in EscoSkill.objects.filter(pk__in=esco).values_list("pk", "label")}
    )
    return labels


def skill_similarities_build(*, skill_ids: Iterable[int] | None = None) -> int:
    """Compute σ between the organisation's skills and store the top ones in ``SkillSimilarity``.

    Each skill is compared with every other directly (encoder σ of the two labels) and through its ROME/ESCO
    candidates (its suggested or accepted mappings: an accepted one counts σ = 1), see
    ``referentials.engine.similarity.composed_similarity``. Labels already embedded are read from the disk
    cache, so after a few new skills (``skill_ids``) only those are encoded and only the rows that involve
    them are rewritten; without ``skill_ids`` the whole table is rewritten. Returns the rows written; 0 when
    the encoder is off (``ESIPRO_ENCODER`` empty): the table is then left as it is.
    """
    from referentials.engine.similarity import SIGMA_CALIBRATION, composed_similarity, sigma, skill_similarity
    from referentials.suggest import label_embeddings, similarity_encoder_name

    encoder = similarity_encoder_name()
    if encoder is None:
        return 0
    skills = list(OrgSkill.objects.order_by("pk").values_list("pk", "label"))
    if len(skills) < 2:
        return 0
    ids = np.array([pk for pk, _label in skills])
    position = {pk: i for i, pk in enumerate(ids.tolist())}
    embeddings = label_embeddings([label for _pk, label in skills], store="organisations", encoder=encoder)
    calibration = SIGMA_CALIBRATION[encoder]
    direct = skill_similarity(embeddings, None, NEIGHBOURS, THRESHOLD, calibration=calibration)

    mappings = list(
        SkillMapping.objects.exclude(status=SkillMapping.Status.REJECTED).values_list(
            "org_skill_id", "rome_skill_id", "esco_skill_id", "status"
        )
    )
    labels = _standard_labels(mappings)
    mappings = [m for m in mappings if (("rome", m[1]) if m[1] else ("esco", m[2])) in labels]
    candidates = sp.csr_matrix((len(ids), 0), dtype=np.float32)
    if mappings:
        targets = sorted({("rome", m[1]) if m[1] else ("esco", m[2]) for m in mappings})
        column = {target: j for j, target in enumerate(targets)}
        standard = label_embeddings([labels[t] for t in targets], encoder=encoder)
        rows = np.array([position[m[0]] for m in mappings])
        columns = np.array([column[("rome", m[1]) if m[1] else ("esco", m[2])] for m in mappings])
        accepted = np.array([m[3] == SkillMapping.Status.ACCEPTED for m in mappings])
        cosines = np.einsum("ij,ij->i", embeddings[rows], standard[columns])
        values = np.where(accepted, 1.0, sigma(cosines, calibration)).astype(np.float32)
        candidates = sp.csr_matrix((values, (rows, columns)), shape=(len(ids), len(targets)))
        candidates.sum_duplicates()
    similar = composed_similarity(direct, candidates, NEIGHBOURS).tocoo()
    keep = similar.data >= THRESHOLD
    pairs = [
        SkillSimilarity(skill_id=int(ids[r]), similar_id=int(ids[c]), sigma=round(float(min(v, 1.0)), 4))
        for r, c, v in zip(similar.row[keep], similar.col[keep], similar.data[keep], strict=True)
    ]
    with transaction.atomic():
        if skill_ids is None:
            SkillSimilarity.objects.all().delete()
        else:
            changed = {int(pk) for pk in skill_ids}
            SkillSimilarity.objects.filter(Q(skill_id__in=changed) | Q(similar_id__in=changed)).delete()
            pairs = [p for p in pairs if p.skill_id in changed or p.similar_id in changed]
        SkillSimilarity.objects.bulk_create(pairs, ignore_conflicts=True)
    return len(pairs)
