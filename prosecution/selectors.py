from jcr.core.models import Area
from jcr.core.selectors import police_districts_with_prosecutors


def landing_context() -> dict:
    return {"districts": police_districts_with_prosecutors()}


def staff_landing_context(*, user) -> dict:
    return {"my_areas": list(Area.objects.filter(assignments__user=user).distinct().order_by("kind", "name"))}
