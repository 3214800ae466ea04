from django.urls import URLPattern, URLResolver

app_name = "brokers"

# The public register (issue 3).
register_urls: list[URLPattern | URLResolver] = []


# The customs area: sanctions and agents (issue 7).
customs_urls: list[URLPattern | URLResolver] = []


urlpatterns: list[URLPattern | URLResolver] = register_urls + customs_urls
