"""URLs of news, press releases, the Justice Journal, podcasts, the newsletter, media
inquiries and the content editing pages (included by outreach/urls.py: no app_name, so the
names stay `outreach:...`)."""

from django.urls import path

from outreach.media import views_content, views_public, views_staff

urlpatterns = [
    path("news/", views_public.news_list_view, name="news_list"),
    path("news/feed/", views_public.news_feed_view, name="news_feed"),
    path("news/media-inquiries/", views_public.inquiry_form_view, name="inquiry_form"),
    path("news/media-inquiries/sent/", views_public.inquiry_done_view, name="inquiry_done"),
    path("news/<slug:slug>/", views_public.news_detail_view, name="news_detail"),
    path("justice-journal/", views_public.journal_list_view, name="journal_list"),
    path("justice-journal/<slug:slug>/", views_public.journal_episode_view, name="journal_episode"),
    path("justice-journal/<slug:slug>/captions.vtt", views_public.journal_captions_view, name="journal_captions"),
    path("podcasts/", views_public.podcast_list_view, name="podcast_list"),
    path("podcasts/audio/<uuid:guid>.<str:ext>", views_public.podcast_audio_view, name="podcast_audio"),
    path("podcasts/transcripts/<uuid:guid>.txt", views_public.podcast_transcript_view, name="podcast_transcript"),
    path("podcasts/<slug:slug>/", views_public.podcast_show_view, name="podcast_show"),
    path("podcasts/<slug:slug>/feed.xml", views_public.podcast_feed_view, name="podcast_feed"),
    path("podcasts/<slug:slug>/artwork.<str:ext>", views_public.podcast_artwork_view, name="podcast_artwork"),
    path("podcasts/<slug:show_slug>/<slug:slug>/", views_public.podcast_episode_view, name="podcast_episode"),
    path("newsletter/", views_public.newsletter_subscribe_view, name="newsletter_subscribe"),
    path("newsletter/check-your-inbox/", views_public.newsletter_sent_view, name="newsletter_sent"),
    path("newsletter/confirm/<str:key>/", views_public.newsletter_confirm_view, name="newsletter_confirm"),
    path(
        "newsletter/unsubscribe/<str:token>/", views_public.newsletter_unsubscribe_view, name="newsletter_unsubscribe"
    ),
    # Staff
    path("staff/outreach/media/", views_staff.staff_media_view, name="staff_media"),
    path(
        "staff/outreach/media/<str:kind>/<int:pk>/publish/",
        views_staff.staff_media_publish_view,
        name="staff_media_publish",
    ),
    path("staff/outreach/media-inquiries/", views_staff.staff_inquiry_list_view, name="staff_inquiry_list"),
    path(
        "staff/outreach/media-inquiries/<uuid:public_id>/",
        views_staff.staff_inquiry_detail_view,
        name="staff_inquiry_detail",
    ),
    path(
        "staff/outreach/media-inquiries/<uuid:public_id>/update/",
        views_staff.staff_inquiry_update_view,
        name="staff_inquiry_update",
    ),
    path(
        "staff/outreach/media-inquiries/<uuid:public_id>/note/",
        views_staff.staff_inquiry_note_view,
        name="staff_inquiry_note",
    ),
    path("staff/outreach/newsletter/", views_staff.staff_newsletter_view, name="staff_newsletter"),
    path(
        "staff/outreach/newsletter/issues/new/",
        views_staff.staff_newsletter_issue_create_view,
        name="staff_newsletter_issue_create",
    ),
    path(
        "staff/outreach/newsletter/issues/<int:pk>/",
        views_staff.staff_newsletter_issue_view,
        name="staff_newsletter_issue",
    ),
    path(
        "staff/outreach/newsletter/issues/<int:pk>/edit/",
        views_staff.staff_newsletter_issue_edit_view,
        name="staff_newsletter_issue_edit",
    ),
    path(
        "staff/outreach/newsletter/issues/<int:pk>/test/",
        views_staff.staff_newsletter_issue_test_view,
        name="staff_newsletter_issue_test",
    ),
    path(
        "staff/outreach/newsletter/issues/<int:pk>/send/",
        views_staff.staff_newsletter_send_view,
        name="staff_newsletter_send",
    ),
    # Content editing (staff)
    path("staff/outreach/content/", views_content.content_list_view, name="content_list"),
    path("staff/outreach/content/events/new/", views_content.content_event_create_view, name="content_event_create"),
    path(
        "staff/outreach/content/events/<uuid:public_id>/",
        views_content.content_event_edit_view,
        name="content_event_edit",
    ),
    path(
        "staff/outreach/content/events/<uuid:public_id>/publish/",
        views_content.content_event_publish_view,
        name="content_event_publish",
    ),
    path(
        "staff/outreach/content/programs/new/",
        views_content.content_program_create_view,
        name="content_program_create",
    ),
    path(
        "staff/outreach/content/programs/<int:pk>/",
        views_content.content_program_edit_view,
        name="content_program_edit",
    ),
    path("staff/outreach/content/news/new/", views_content.content_news_create_view, name="content_news_create"),
    path("staff/outreach/content/news/<int:pk>/", views_content.content_news_edit_view, name="content_news_edit"),
    path(
        "staff/outreach/content/journal/new/",
        views_content.content_journal_create_view,
        name="content_journal_create",
    ),
    path(
        "staff/outreach/content/journal/<int:pk>/",
        views_content.content_journal_edit_view,
        name="content_journal_edit",
    ),
    path(
        "staff/outreach/content/podcasts/new/",
        views_content.content_podcast_create_view,
        name="content_podcast_create",
    ),
    path(
        "staff/outreach/content/podcasts/<int:pk>/",
        views_content.content_podcast_edit_view,
        name="content_podcast_edit",
    ),
    path(
        "staff/outreach/content/media-contacts/new/",
        views_content.content_contact_create_view,
        name="content_contact_create",
    ),
    path(
        "staff/outreach/content/media-contacts/<int:pk>/",
        views_content.content_contact_edit_view,
        name="content_contact_edit",
    ),
]
