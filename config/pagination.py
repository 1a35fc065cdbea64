from rest_framework.pagination import PageNumberPagination


class StrictPageNumberPagination(PageNumberPagination):
    """`?page=` takes a page number, as the schema says: an empty value or `last` is a 404 "Invalid page." like
    any other bad page, instead of quietly meaning page 1 or the last page."""

    last_page_strings = ()

    def get_page_number(self, request, paginator):
        return request.query_params.get(self.page_query_param, 1)
