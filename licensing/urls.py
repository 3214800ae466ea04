from django.urls import URLPattern, URLResolver, path

from licensing import views

app_name = "licensing"

urlpatterns: list[URLPattern | URLResolver] = [
    path("customs/register/import/", views.register_import, name="register-import"),
    path(
        "customs/register/import/<int:pk>/apply/",
        views.register_import_apply,
        name="register-import-apply",
    ),
]
