def end_all_sessions_on_logout(sender, request, user, **kwargs) -> None:
    """Signing out in one browser signs the person out everywhere. A session that merely
    timed out (SessionLimitsMiddleware) ends alone."""
    if user is None or getattr(request, "jcr_session_timed_out", False):
        return
    from jcr.accounts.services import user_sessions_end

    user_sessions_end(user=user)
