from django.urls import path

from outreach import views

app_name = "outreach"
urlpatterns = [
    path("outreach/", views.landing_view, name="landing"),
    path("staff/outreach/", views.staff_landing_view, name="staff_landing"),
]

# Media
from outreach import views_media, views_media_staff  # noqa: E402

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
        "staff/outreach/newsletter/issues/<int:pk>/send/",
        views_media_staff.staff_newsletter_send_view,
        name="staff_newsletter_send",
    ),
]
