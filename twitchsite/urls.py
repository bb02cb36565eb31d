from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from content.sitemaps import SITEMAPS
from content.views import robots_txt

admin.site.site_header = "Twitchy legs editors"
admin.site.site_title = "Twitchy legs editors"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("check/", include("triage.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("", include("content.urls")),
]

handler400 = "twitchsite.errors.bad_request"
handler404 = "content.views.page_not_found"
handler500 = "content.views.server_error"
