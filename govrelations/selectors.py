def landing_context() -> dict:
    return {}


def staff_landing_context(*, user) -> dict:
    return {}
