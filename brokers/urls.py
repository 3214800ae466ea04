from django.urls import URLPattern, URLResolver

app_name = "brokers"

urlpatterns: list[URLPattern | URLResolver] = []
