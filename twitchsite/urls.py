"""The site's URLs: the admin, the checker under /check/, readers' feedback under
/feedback/, the sitemap, robots.txt and the content pages; error handlers live in
twitchsite/errors.py."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from content.views import robots_txt
from twitchsite.sitemaps import SITEMAPS

admin.site.site_header = admin.site.site_title = f"{settings.SITE_NAME} editors"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("check/", include("triage.urls")),
    path("feedback/", include("feedback.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("", include("content.urls")),
]

handler400 = "twitchsite.errors.bad_request"
handler500 = "twitchsite.errors.server_error"
