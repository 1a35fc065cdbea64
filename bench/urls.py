"""The product's URLs plus the bare reference view that every figure in bench/RESULTS.md is compared with."""

from django.urls import path

from bench.views import bare
from config.urls import handler404  # noqa: F401
from config.urls import urlpatterns as product_urlpatterns

urlpatterns = [path("bench/bare/", bare), *product_urlpatterns]
