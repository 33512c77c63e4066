from django.conf import settings


def portal(request):
    user = getattr(request, "user", None)
    return {
        "SITE_URL": settings.SITE_URL,
        "is_staff_user": bool(user and user.is_authenticated and user.is_staff),
        "idle_timeout_seconds": int(settings.JCR_IDLE_TIMEOUT.total_seconds()),
        "idle_warning_seconds": int(settings.JCR_IDLE_WARNING.total_seconds()),
    }
