def end_all_sessions_on_logout(sender, request, user, **kwargs) -> None:
    """Signing out in one browser signs the person out everywhere."""
    if user is not None:
        from jcr.accounts.services import user_sessions_end

        user_sessions_end(user=user)
