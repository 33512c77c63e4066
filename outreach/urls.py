from django.urls import path

from outreach import (
    views,
    views_dialogues,
    views_dialogues_staff,
    views_events,
    views_events_staff,
)
from outreach.media import views_content as views_content_staff
from outreach.media import views_public as views_media
from outreach.media import views_staff as views_media_staff
from outreach.social import views as views_social

app_name = "outreach"
urlpatterns = [
    path("outreach/", views.landing_view, name="landing"),
    path("staff/outreach/", views.staff_landing_view, name="staff_landing"),
]

# Programs and events
urlpatterns += [
    path("outreach/programs/", views_events.program_list_view, name="program_list"),
    path("outreach/programs/request/", views_events.presentation_request_view, name="presentation_request"),
    path(
        "outreach/programs/request/received/<str:reference>/",
        views_events.presentation_request_done_view,
        name="presentation_request_done",
    ),
    path("outreach/programs/<slug:slug>/", views_events.program_detail_view, name="program_detail"),
    path("outreach/events/", views_events.event_list_view, name="event_list"),
    path("outreach/events/month/", views_events.event_month_view, name="event_month"),
    path("outreach/events/calendar.ics", views_events.events_ics_view, name="events_ics"),
    path(
        "outreach/events/registration/<str:token>/", views_events.registration_detail_view, name="registration_detail"
    ),
    path(
        "outreach/events/registration/<str:token>/cancel/",
        views_events.registration_cancel_view,
        name="registration_cancel",
    ),
    path("outreach/events/<slug:slug>/", views_events.event_detail_view, name="event_detail"),
    path("outreach/events/<slug:slug>/register/", views_events.event_register_view, name="event_register"),
    path("outreach/events/<slug:slug>/event.ics", views_events.event_ics_view, name="event_ics"),
    path("staff/outreach/events/", views_events_staff.staff_event_list_view, name="staff_event_list"),
    path(
        "staff/outreach/events/<uuid:public_id>/",
        views_events_staff.staff_event_registrations_view,
        name="staff_event_registrations",
    ),
    path(
        "staff/outreach/events/<uuid:public_id>/export/",
        views_events_staff.staff_event_export_view,
        name="staff_event_export",
    ),
    path(
        "staff/outreach/events/<uuid:public_id>/cancel/",
        views_events_staff.staff_event_cancel_view,
        name="staff_event_cancel",
    ),
    path(
        "staff/outreach/registrations/<uuid:public_id>/check-in/",
        views_events_staff.staff_registration_check_in_view,
        name="staff_registration_check_in",
    ),
    path(
        "staff/outreach/presentations/", views_events_staff.staff_presentation_list_view, name="staff_presentation_list"
    ),
    path(
        "staff/outreach/presentations/<uuid:public_id>/",
        views_events_staff.staff_presentation_detail_view,
        name="staff_presentation_detail",
    ),
    path(
        "staff/outreach/presentations/<uuid:public_id>/schedule/",
        views_events_staff.staff_presentation_schedule_view,
        name="staff_presentation_schedule",
    ),
    path(
        "staff/outreach/presentations/<uuid:public_id>/deliver/",
        views_events_staff.staff_presentation_deliver_view,
        name="staff_presentation_deliver",
    ),
    path(
        "staff/outreach/presentations/<uuid:public_id>/decline/",
        views_events_staff.staff_presentation_decline_view,
        name="staff_presentation_decline",
    ),
]

# Community dialogues
urlpatterns += [
    path("outreach/dialogues/", views_dialogues.dialogue_list_view, name="dialogue_list"),
    path("outreach/dialogues/respond/<str:token>/", views_dialogues.dialogue_respond_view, name="dialogue_respond"),
    path("outreach/dialogues/<slug:slug>/", views_dialogues.dialogue_detail_view, name="dialogue_detail"),
    path("outreach/dialogues/<slug:slug>/apply/", views_dialogues.dialogue_apply_view, name="dialogue_apply"),
    path(
        "outreach/dialogues/<slug:slug>/apply/<uuid:public_id>/",
        views_dialogues.dialogue_apply_done_view,
        name="dialogue_apply_done",
    ),
    path(
        "outreach/dialogues/<slug:slug>/draw/", views_dialogues.dialogue_draw_record_view, name="dialogue_draw_record"
    ),
    path(
        "outreach/dialogues/<slug:slug>/draw.json",
        views_dialogues.dialogue_draw_record_json_view,
        name="dialogue_draw_record_json",
    ),
    path(
        "outreach/dialogues/<slug:slug>/recommendations/",
        views_dialogues.dialogue_recommendation_list_view,
        name="dialogue_recommendation_list",
    ),
    path(
        "outreach/dialogues/<slug:slug>/recommendations/<uuid:public_id>/",
        views_dialogues.dialogue_recommendation_detail_view,
        name="dialogue_recommendation_detail",
    ),
    path("staff/outreach/dialogues/", views_dialogues_staff.staff_dialogue_list_view, name="staff_dialogue_list"),
    path(
        "staff/outreach/dialogues/<slug:slug>/",
        views_dialogues_staff.staff_dialogue_series_view,
        name="staff_dialogue_series",
    ),
    path(
        "staff/outreach/dialogues/<slug:slug>/applications/<uuid:public_id>/",
        views_dialogues_staff.staff_dialogue_application_view,
        name="staff_dialogue_application",
    ),
    path(
        "staff/outreach/dialogues/<slug:slug>/applications/<uuid:public_id>/eligibility/",
        views_dialogues_staff.staff_dialogue_eligibility_view,
        name="staff_dialogue_eligibility",
    ),
    path(
        "staff/outreach/dialogues/<slug:slug>/draw/",
        views_dialogues_staff.staff_dialogue_draw_view,
        name="staff_dialogue_draw",
    ),
    path(
        "staff/outreach/dialogues/<slug:slug>/export/",
        views_dialogues_staff.staff_dialogue_export_view,
        name="staff_dialogue_export",
    ),
]

# Media

urlpatterns += [
    path("news/", views_media.news_list_view, name="news_list"),
    path("news/feed/", views_media.news_feed_view, name="news_feed"),
    path("news/media-inquiries/", views_media.inquiry_form_view, name="inquiry_form"),
    path("news/media-inquiries/sent/", views_media.inquiry_done_view, name="inquiry_done"),
    path("news/<slug:slug>/", views_media.news_detail_view, name="news_detail"),
    path("justice-journal/", views_media.journal_list_view, name="journal_list"),
    path("justice-journal/<slug:slug>/", views_media.journal_episode_view, name="journal_episode"),
    path("justice-journal/<slug:slug>/captions.vtt", views_media.journal_captions_view, name="journal_captions"),
    path("podcasts/", views_media.podcast_list_view, name="podcast_list"),
    path("podcasts/audio/<uuid:guid>.<str:ext>", views_media.podcast_audio_view, name="podcast_audio"),
    path("podcasts/transcripts/<uuid:guid>.txt", views_media.podcast_transcript_view, name="podcast_transcript"),
    path("podcasts/<slug:slug>/", views_media.podcast_show_view, name="podcast_show"),
    path("podcasts/<slug:slug>/feed.xml", views_media.podcast_feed_view, name="podcast_feed"),
    path("podcasts/<slug:slug>/artwork.<str:ext>", views_media.podcast_artwork_view, name="podcast_artwork"),
    path("podcasts/<slug:show_slug>/<slug:slug>/", views_media.podcast_episode_view, name="podcast_episode"),
    path("newsletter/", views_media.newsletter_subscribe_view, name="newsletter_subscribe"),
    path("newsletter/check-your-inbox/", views_media.newsletter_sent_view, name="newsletter_sent"),
    path("newsletter/confirm/<str:key>/", views_media.newsletter_confirm_view, name="newsletter_confirm"),
    path("newsletter/unsubscribe/<str:token>/", views_media.newsletter_unsubscribe_view, name="newsletter_unsubscribe"),
    # Staff
    path("staff/outreach/media/", views_media_staff.staff_media_view, name="staff_media"),
    path(
        "staff/outreach/media/<str:kind>/<int:pk>/publish/",
        views_media_staff.staff_media_publish_view,
        name="staff_media_publish",
    ),
    path("staff/outreach/media-inquiries/", views_media_staff.staff_inquiry_list_view, name="staff_inquiry_list"),
    path(
        "staff/outreach/media-inquiries/<uuid:public_id>/",
        views_media_staff.staff_inquiry_detail_view,
        name="staff_inquiry_detail",
    ),
    path(
        "staff/outreach/media-inquiries/<uuid:public_id>/update/",
        views_media_staff.staff_inquiry_update_view,
        name="staff_inquiry_update",
    ),
    path(
        "staff/outreach/media-inquiries/<uuid:public_id>/note/",
        views_media_staff.staff_inquiry_note_view,
        name="staff_inquiry_note",
    ),
    path("staff/outreach/newsletter/", views_media_staff.staff_newsletter_view, name="staff_newsletter"),
    path(
        "staff/outreach/newsletter/issues/new/",
        views_media_staff.staff_newsletter_issue_create_view,
        name="staff_newsletter_issue_create",
    ),
    path(
        "staff/outreach/newsletter/issues/<int:pk>/",
        views_media_staff.staff_newsletter_issue_view,
        name="staff_newsletter_issue",
    ),
    path(
        "staff/outreach/newsletter/issues/<int:pk>/edit/",
        views_media_staff.staff_newsletter_issue_edit_view,
        name="staff_newsletter_issue_edit",
    ),
    path(
        "staff/outreach/newsletter/issues/<int:pk>/test/",
        views_media_staff.staff_newsletter_issue_test_view,
        name="staff_newsletter_issue_test",
    ),
    path(
        "staff/outreach/newsletter/issues/<int:pk>/send/",
        views_media_staff.staff_newsletter_send_view,
        name="staff_newsletter_send",
    ),
    # Social publishing
    path("staff/outreach/social/", views_social.staff_social_list_view, name="staff_social_list"),
    path("staff/outreach/social/new/", views_social.staff_social_compose_view, name="staff_social_compose"),
    path("staff/outreach/social/approvals/", views_social.staff_social_approvals_view, name="staff_social_approvals"),
    path("staff/outreach/social/calendar/", views_social.staff_social_calendar_view, name="staff_social_calendar"),
    path("staff/outreach/social/check/", views_social.staff_social_check_view, name="staff_social_check"),
    path("staff/outreach/social/check/retry/", views_social.staff_social_retry_view, name="staff_social_retry"),
    path(
        "staff/outreach/social/deliveries/<int:pk>/mark-published/",
        views_social.staff_social_mark_published_view,
        name="staff_social_mark_published",
    ),
    path("staff/outreach/social/pause/", views_social.staff_social_pause_view, name="staff_social_pause"),
    path("staff/outreach/social/resume/", views_social.staff_social_resume_view, name="staff_social_resume"),
    path("staff/outreach/social/records/", views_social.staff_social_records_view, name="staff_social_records"),
    path(
        "staff/outreach/social/records/export/",
        views_social.staff_social_records_export_view,
        name="staff_social_records_export",
    ),
    path(
        "staff/outreach/social/from/<str:kind>/<int:pk>/",
        views_social.staff_social_from_source_view,
        name="staff_social_from_source",
    ),
    path("staff/outreach/social/<uuid:public_id>/", views_social.staff_social_detail_view, name="staff_social_detail"),
    path("staff/outreach/social/<uuid:public_id>/edit/", views_social.staff_social_edit_view, name="staff_social_edit"),
    path(
        "staff/outreach/social/<uuid:public_id>/<str:action>/",
        views_social.staff_social_action_view,
        name="staff_social_action",
    ),
]

# Content editing (staff)
urlpatterns += [
    path("staff/outreach/content/", views_content_staff.content_list_view, name="content_list"),
    path(
        "staff/outreach/content/events/new/", views_content_staff.content_event_create_view, name="content_event_create"
    ),
    path(
        "staff/outreach/content/events/<uuid:public_id>/",
        views_content_staff.content_event_edit_view,
        name="content_event_edit",
    ),
    path(
        "staff/outreach/content/events/<uuid:public_id>/publish/",
        views_content_staff.content_event_publish_view,
        name="content_event_publish",
    ),
    path(
        "staff/outreach/content/programs/new/",
        views_content_staff.content_program_create_view,
        name="content_program_create",
    ),
    path(
        "staff/outreach/content/programs/<int:pk>/",
        views_content_staff.content_program_edit_view,
        name="content_program_edit",
    ),
    path("staff/outreach/content/news/new/", views_content_staff.content_news_create_view, name="content_news_create"),
    path("staff/outreach/content/news/<int:pk>/", views_content_staff.content_news_edit_view, name="content_news_edit"),
    path(
        "staff/outreach/content/journal/new/",
        views_content_staff.content_journal_create_view,
        name="content_journal_create",
    ),
    path(
        "staff/outreach/content/journal/<int:pk>/",
        views_content_staff.content_journal_edit_view,
        name="content_journal_edit",
    ),
    path(
        "staff/outreach/content/podcasts/new/",
        views_content_staff.content_podcast_create_view,
        name="content_podcast_create",
    ),
    path(
        "staff/outreach/content/podcasts/<int:pk>/",
        views_content_staff.content_podcast_edit_view,
        name="content_podcast_edit",
    ),
    path(
        "staff/outreach/content/media-contacts/new/",
        views_content_staff.content_contact_create_view,
        name="content_contact_create",
    ),
    path(
        "staff/outreach/content/media-contacts/<int:pk>/",
        views_content_staff.content_contact_edit_view,
        name="content_contact_edit",
    ),
]
