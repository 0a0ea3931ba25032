from django.contrib import admin
from django.urls import include, path

from config.errors import healthz
from prevention.donor import donor_site
from prevention.views.home import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz/", healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("donor/", donor_site.urls),
    path("", include("prevention.urls")),
]

handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
